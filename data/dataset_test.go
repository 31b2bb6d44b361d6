package data_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

// table returns a data set of n rows of 2 features 10i and 10i+1, with
// label i%3 and target -i.
func table(n int) data.Dataset {
	d := data.Dataset{Rows: n, Cols: 2}
	for i := range n {
		d.X = append(d.X, float64(10*i), float64(10*i+1))
		d.Y = append(d.Y, i%3)
		d.T = append(d.T, float64(-i))
	}
	return d
}

func TestGather(t *testing.T) {
	d := table(5)
	var got data.Dataset
	d.Gather(&got, []int{4, 0, 4})
	want := data.Dataset{Rows: 3, Cols: 2, X: []float64{40, 41, 0, 1, 40, 41}, Y: []int{1, 0, 1}, T: []float64{-4, 0, -4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Gather([4 0 4]) mismatch (-want +got):\n%s", diff)
	}
	d.Y, d.T = nil, nil
	d.Gather(&got, []int{1})
	want = data.Dataset{Rows: 1, Cols: 2, X: []float64{10, 11}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Gather([1]) without labels mismatch (-want +got):\n%s", diff)
	}
}

func TestSubset(t *testing.T) {
	d := table(3)
	got := d.Subset([]int{2, 1, 0})
	got.X[0] = 99 // Must not change d.
	want := data.Dataset{Rows: 3, Cols: 2, X: []float64{99, 21, 10, 11, 0, 1}, Y: []int{2, 1, 0}, T: []float64{-2, -1, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Subset([2 1 0]) mismatch (-want +got):\n%s", diff)
	}
	if d.X[4] != 20 {
		t.Errorf("Subset changed the original: X[4] = %v, want 20", d.X[4])
	}
}

func TestSplit(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4} {
		d := table(4)
		head, tail := data.Split(d, n)
		if head.Rows != n || tail.Rows != 4-n || len(head.X) != 2*n || len(tail.X) != 2*(4-n) || len(head.Y) != n || len(tail.T) != 4-n {
			t.Errorf("Split(4 rows, %d): got heads of %d rows, %d values, tail of %d rows, %d values", n, head.Rows, len(head.X), tail.Rows, len(tail.X))
			continue
		}
		if tail.Rows > 0 && (tail.X[0] != float64(10*n) || tail.Y[0] != n%3 || tail.T[0] != float64(-n)) {
			t.Errorf("Split(4 rows, %d): tail starts with %v, %d, %v, want row %d", n, tail.X[:2], tail.Y[0], tail.T[0], n)
		}
		// Appending to head must not overwrite tail.
		head.X = append(head.X, -1)
		if tail.Rows > 0 && tail.X[0] != float64(10*n) {
			t.Errorf("Split(4 rows, %d): append to head overwrote tail", n)
		}
	}
}

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		y    []int
		want int
	}{{nil, 0}, {[]int{0}, 1}, {[]int{2, 0, 1}, 3}, {[]int{9, 3}, 10}} {
		d := data.Dataset{Y: tc.y}
		if got := d.Classes(); got != tc.want {
			t.Errorf("Classes() of labels %v: got %d, want %d", tc.y, got, tc.want)
		}
	}
}
