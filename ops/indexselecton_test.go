package ops_test

import (
	"errors"
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestIndexSelectOn checks that a lookup of a parameter records on the given tape (so Reset
// releases it), gives IndexSelect's values and the parameter's gradient, and refuses an operand
// on another tape.
func TestIndexSelectOn(t *testing.T) {
	w := ag.NewParam([]float64{1, 2, 3, 4, 5, 6}, 3, 2)
	idx := ops.NewIndex([]int{2, 0, 2})
	heap := ops.IndexSelect(w, 0, idx)
	if heap.Tape() != nil {
		t.Fatalf("IndexSelect of a parameter is on tape %p, want the heap", heap.Tape())
	}
	if err := ag.Backward(ops.Sum(ops.Square(heap))); err != nil {
		t.Fatal(err)
	}
	want := w.Grad().Float64s()
	ag.ZeroGrad(w)

	tp := ag.NewTape()
	y := ops.IndexSelectOn(tp, w, 0, idx)
	if y.Tape() != tp {
		t.Errorf("IndexSelectOn(tp, param) is on tape %p, want %p", y.Tape(), tp)
	}
	if got := y.Float64s(); !slices.Equal(got, heap.Float64s()) {
		t.Errorf("IndexSelectOn = %v, IndexSelect = %v", got, heap.Float64s())
	}
	if err := ag.Backward(ops.Sum(ops.Square(y))); err != nil {
		t.Fatal(err)
	}
	if got := w.Grad().Float64s(); !slices.Equal(got, want) {
		t.Errorf("gradient through IndexSelectOn = %v, through IndexSelect %v", got, want)
	}
	ag.ZeroGrad(w)
	tp.Reset()
	if err := ag.Maybe(func() { y.Shape() }); !errors.Is(err, ag.ErrReleased) {
		t.Errorf("the lookup after tp.Reset: %v, want ErrReleased", err)
	}

	other := ag.NewTape()
	err := ag.Maybe(func() { ops.IndexSelectOn(tp, other.Zeros(ag.Float64, 3, 2), 0, idx) })
	if !errors.Is(err, ag.ErrTapes) {
		t.Errorf("IndexSelectOn(tp, a on another tape) = %v, want ErrTapes", err)
	}
}
