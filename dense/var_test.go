package dense_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gorgonia.org/tensor"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/dense"
	"github.com/gograd/gograd/ops"
)

// TestFromVarShares checks that FromVar keeps shape, dtype and values, and that a write on the
// tensor is seen by the Var: the two share storage.
func TestFromVarShares(t *testing.T) {
	tp := ag.NewTape()
	cases := []struct {
		name  string
		v     ag.Var
		shape []int
		dtype tensor.Dtype
	}{
		{"param64", ag.NewParam([]float64{1, 2, 3, 4, 5, 6}, 2, 3), []int{2, 3}, tensor.Float64},
		{"param32", ag.NewParam32([]float32{1, 2, 3}), []int{3}, tensor.Float32},
		{"tapeConst", tp.Const([]float64{1, 2, 3, 4}, 2, 1, 2), []int{2, 1, 2}, tensor.Float64},
		{"scalarParam", ag.ScalarParam(7), []int{}, tensor.Float64},
		{"tapeScalar", tp.Scalar(7), []int{}, tensor.Float64},
	}
	for _, c := range cases {
		want := c.v.Float64s()
		d := dense.FromVar(c.v)
		if got := []int(d.Shape()); !cmp.Equal(got, c.shape, cmpopts.EquateEmpty()) {
			t.Errorf("%s: shape %v, want %v", c.name, got, c.shape)
		}
		if d.Dtype() != c.dtype {
			t.Errorf("%s: dtype %v, want %v", c.name, d.Dtype(), c.dtype)
		}
		if diff := cmp.Diff(want, float64sOf(d)); diff != "" {
			t.Errorf("%s: values (-want +got):\n%s", c.name, diff)
		}
		if c.dtype == tensor.Float32 {
			d.Float32s()[0] = -1
		} else {
			d.Float64s()[0] = -1
		}
		if got := c.v.At(0); got != -1 {
			t.Errorf("%s: after writing -1 to the tensor, v.At(0) = %v, want -1 (shared storage)", c.name, got)
		}
	}
}

// TestParamShares checks that Param shares d's storage both ways and trains: the gradient of
// Σp² is 2p, and an update through the Var's data is seen in d.
func TestParamShares(t *testing.T) {
	for _, d := range []*tensor.Dense{
		tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, -2, 3, 0.5})),
		tensor.New(tensor.WithShape(3), tensor.WithBacking([]float32{1, -2, 3})),
		tensor.New(tensor.FromScalar(1.5)),
	} {
		name := fmt.Sprintf("%v %v", d.Shape(), d.Dtype())
		p := dense.Param(d)
		if !p.IsParam() || !p.RequiresGrad() {
			t.Errorf("%s: IsParam %v, RequiresGrad %v, want both true", name, p.IsParam(), p.RequiresGrad())
		}
		if got, want := p.Shape(), []int(d.Shape()); !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Errorf("%s: Param shape %v, want %v", name, got, want)
		}
		before := float64sOf(d)
		if diff := cmp.Diff(before, p.Float64s()); diff != "" {
			t.Errorf("%s: Param values (-tensor +param):\n%s", name, diff)
		}
		if err := ag.Backward(ops.Sum(ops.Square(p))); err != nil {
			t.Fatalf("%s: Backward: %v", name, err)
		}
		want := make([]float64, len(before))
		for i, x := range before {
			want[i] = 2 * x // d/dp Σp² = 2p, exact in binary floating point
		}
		if diff := cmp.Diff(want, p.Grad().Float64s()); diff != "" {
			t.Errorf("%s: gradient of Σp² (-want +got):\n%s", name, diff)
		}
		if p.DType() == ag.Float32 {
			p.Data32()[0] = 42
		} else {
			p.Data64()[0] = 42
		}
		if got := float64sOf(d)[0]; got != 42 {
			t.Errorf("%s: after writing 42 to the parameter, d[0] = %v, want 42 (shared storage)", name, got)
		}
	}
}

// TestConst checks that Const shares a contiguous tensor and copies a transpose in row-major
// order.
func TestConst(t *testing.T) {
	tp := ag.NewTape()
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))
	c := dense.Const(tp, d)
	if c.RequiresGrad() || c.Tape() != tp {
		t.Errorf("Const: RequiresGrad %v, Tape %p; want false, %p", c.RequiresGrad(), c.Tape(), tp)
	}
	d.Float64s()[0] = -1
	if got := c.At(0); got != -1 {
		t.Errorf("Const of a contiguous tensor: after writing -1 to it, c.At(0) = %v, want -1 (shared)", got)
	}
	tr := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := tr.T(); err != nil {
		t.Fatal(err)
	}
	ct := dense.Const(tp, tr)
	if diff := cmp.Diff([]int{3, 2}, ct.Shape()); diff != "" {
		t.Errorf("Const of a transpose: shape (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float32{1, 4, 2, 5, 3, 6}, ct.Data32()); diff != "" {
		t.Errorf("Const of a transpose: values (-want +got):\n%s", diff)
	}
	s := dense.Const(nil, tensor.New(tensor.FromScalar(float32(2.5))))
	if s.Rank() != 0 || s.Item() != 2.5 || s.DType() != ag.Float32 {
		t.Errorf("Const of a float32 scalar: rank %d, Item %v, dtype %v; want 0, 2.5, float32", s.Rank(), s.Item(), s.DType())
	}
}

// TestConversionErrors checks the typed panics of FromVar, Param and Const.
func TestConversionErrors(t *testing.T) {
	transposed := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))
	if err := transposed.T(); err != nil {
		t.Fatal(err)
	}
	ints := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int64{1, 2}))
	cases := []struct {
		name string
		fn   func()
		want error
	}{
		{"FromVar(empty)", func() { dense.FromVar(ag.NewParam(nil, 0, 3)) }, ag.ErrShape},
		{"FromVar(nil Var)", func() { dense.FromVar(ag.Var{}) }, ag.ErrNilVar},
		{"Param(int64)", func() { dense.Param(ints) }, ag.ErrDType},
		{"Param(transpose)", func() { dense.Param(transposed) }, ag.ErrShape},
		{"Param(nil)", func() { dense.Param(nil) }, ag.ErrValue},
		{"Const(int64)", func() { dense.Const(ag.NewTape(), ints) }, ag.ErrDType},
	}
	for _, c := range cases {
		err := ag.Maybe(c.fn)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got error %v, want %v", c.name, err, c.want)
		}
	}
}

// float64sOf returns a copy of d's elements as float64s.
func float64sOf(d *tensor.Dense) []float64 {
	switch data := d.Data().(type) {
	case []float64:
		return append([]float64(nil), data...)
	case []float32:
		out := make([]float64, len(data))
		for i, x := range data {
			out[i] = float64(x)
		}
		return out
	case float64:
		return []float64{data}
	case float32:
		return []float64{float64(data)}
	}
	panic("float64sOf: unexpected dtype")
}
