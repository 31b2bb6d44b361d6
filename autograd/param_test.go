package autograd_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// TestWrapParamShares checks that WrapParam and WrapParam32 share the caller's slice both ways,
// take its shape, and panic with ErrShape when the slice does not fill the shape.
func TestWrapParamShares(t *testing.T) {
	d64 := []float64{1, 2, 3, 4, 5, 6}
	p := ag.WrapParam(d64, 2, 3)
	if !p.IsParam() || !p.RequiresGrad() {
		t.Errorf("WrapParam: IsParam %v, RequiresGrad %v; want true, true", p.IsParam(), p.RequiresGrad())
	}
	if diff := cmp.Diff([]int{2, 3}, p.Shape()); diff != "" {
		t.Errorf("WrapParam shape (-want +got):\n%s", diff)
	}
	d64[5] = -6
	if got := p.At(5); got != -6 {
		t.Errorf("WrapParam: after writing -6 to data[5], p.At(5) = %v, want -6", got)
	}
	p.Data64()[0] = 10
	if d64[0] != 10 {
		t.Errorf("WrapParam: after writing 10 to p.Data64()[0], data[0] = %v, want 10", d64[0])
	}
	d32 := []float32{1, 2, 3}
	q := ag.WrapParam32(d32)
	if diff := cmp.Diff([]int{3}, q.Shape()); diff != "" {
		t.Errorf("WrapParam32 with no shape: shape (-want +got):\n%s", diff)
	}
	q.Data32()[2] = 7
	if d32[2] != 7 {
		t.Errorf("WrapParam32: after writing 7 to q.Data32()[2], data[2] = %v, want 7", d32[2])
	}
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"WrapParam(2 values, shape (3))", func() { ag.WrapParam([]float64{1, 2}, 3) }},
		{"WrapParam(nil, shape (2))", func() { ag.WrapParam(nil, 2) }},
		{"WrapParam32(3 values, shape (2,2))", func() { ag.WrapParam32([]float32{1, 2, 3}, 2, 2) }},
	} {
		if err := ag.Maybe(c.fn); !errors.Is(err, ag.ErrShape) {
			t.Errorf("%s: got error %v, want ErrShape", c.name, err)
		}
	}
}
