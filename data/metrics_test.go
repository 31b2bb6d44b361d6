package data_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

func TestAccuracy(t *testing.T) {
	for _, tc := range []struct {
		pred, labels []int
		want         float64
		err          error
	}{
		{[]int{1, 2, 3, 4}, []int{1, 0, 3, 0}, 0.5, nil},
		{[]int{7}, []int{7}, 1, nil},
		{[]int{1, 2}, []int{1}, 0, data.ErrLength},
		{nil, nil, 0, data.ErrEmpty},
	} {
		got, err := data.Accuracy(tc.pred, tc.labels)
		if got != tc.want || !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("Accuracy(%v, %v): got %v, %v, want %v, %v", tc.pred, tc.labels, got, err, tc.want, tc.err)
		}
	}
}

func TestArgmax(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		x    []float64
		cols int
		want []int
	}{
		{[]float64{1, 3, 2, 9, 8, 7}, 3, []int{1, 0}},
		{[]float64{1, 3, 2, 9, 8, 7}, 2, []int{1, 1, 0}},
		{[]float64{5, 5, 1}, 3, []int{0}},
		{[]float64{nan, 1, 2, 3, nan, nan}, 3, []int{2, 0}},
		{[]float64{math.Inf(-1), math.Inf(-1)}, 2, []int{0}},
		{nil, 4, []int{}},
	} {
		got := data.Argmax(nil, tc.x, tc.cols)
		if !cmp.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Argmax(%v, %d): got %v, want %v", tc.x, tc.cols, got, tc.want)
		}
	}
	dst := make([]int, 0, 2)
	x := []float64{0, 1, 1, 0}
	if allocs := testing.AllocsPerRun(10, func() { dst = data.Argmax(dst, x, 2) }); allocs != 0 {
		t.Errorf("Argmax into a large enough dst: got %v allocations, want 0", allocs)
	}
}
