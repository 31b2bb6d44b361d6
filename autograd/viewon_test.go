package autograd_test

import (
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestViewOn checks that ViewOn records a view of a parameter on the given tape (where View puts
// it on the heap), shares its storage, passes the gradient back, and leaves taped values on their
// own tape.
func TestViewOn(t *testing.T) {
	reshape := &ag.Op{Name: "test.Reshape", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var { return ops.Reshape(g, y.Inputs()[0].Shape()...) },
	}}
	w := ag.NewParam([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	tp := ag.NewTape()
	v := ag.ViewOn(tp, reshape, w, []int{3, 2})
	if v.Tape() != tp {
		t.Errorf("ViewOn(tp, parameter).Tape() = %p, want the tape %p", v.Tape(), tp)
	}
	if h := ag.View(reshape, w, []int{3, 2}); h.Tape() != nil {
		t.Errorf("View(parameter).Tape() = %p, want nil (the heap)", h.Tape())
	}
	if &v.Data64()[0] != &w.Data64()[0] || !slices.Equal(v.Shape(), []int{3, 2}) {
		t.Errorf("ViewOn: shape %v sharing storage %v, want (3,2) sharing the parameter's", v.Shape(), &v.Data64()[0] == &w.Data64()[0])
	}
	c := tp.Const([]float64{1, 10, 100, 1000, 1e4, 1e5}, 3, 2)
	if err := ag.Backward(ops.Sum(ops.Mul(v, c))); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Grad().Float64s(), []float64{1, 10, 100, 1000, 1e4, 1e5}; !slices.Equal(got, want) {
		t.Errorf("gradient through ViewOn = %v, want %v", got, want)
	}
	other := ag.NewTape()
	x := tp.Const([]float64{1, 2}, 2)
	if got := ag.ViewOn(other, reshape, x, []int{2, 1}).Tape(); got != tp {
		t.Errorf("ViewOn(other, taped value).Tape() = %p, want its own tape %p", got, tp)
	}
}
