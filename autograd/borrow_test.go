package autograd_test

import (
	"errors"
	"runtime"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// A parameter's gradient borrows the backward pass's storage (see collectGrad); these tests pin
// down that the borrow never changes what Grad returns.

func TestBorrowedGradientsAreNotShared(t *testing.T) {
	// Add hands the same upstream gradient to both operands: p1 may borrow it, p2 must not.
	p1, p2 := ag.NewParam([]float64{1, 2}, 2), ag.NewParam([]float64{3, 4}, 2)
	tp := ag.NewTape()
	y := ops.Mul(ops.Add(p1, p2), tp.Const([]float64{5, 6}))
	if err := ag.Backward(y, ag.Seed(tp.Const([]float64{1, 1}))); err != nil {
		t.Fatal(err)
	}
	g1 := p1.Grad().Data64()
	for i := range g1 { // what gradient clipping does
		g1[i] *= 0.5
	}
	for i, want := range []float64{5, 6} {
		if got := p2.Grad().At(i); got != want {
			t.Errorf("p2 grad[%d] = %v after scaling p1's gradient, want %v", i, got, want)
		}
	}
}

func TestBorrowedGradientsAccumulateAcrossResets(t *testing.T) {
	w := ag.NewParam([]float64{1, 2, 3}, 3)
	tp := ag.NewTape()
	for step := 1; step <= 3; step++ {
		tp.Reset()
		loss := ops.Sum(ops.Mul(w, tp.Const([]float64{1, 10, 100})))
		if err := ag.Backward(loss); err != nil {
			t.Fatal(err)
		}
		for i, c := range []float64{1, 10, 100} {
			if got, want := w.Grad().At(i), c*float64(step); got != want {
				t.Errorf("step %d: grad[%d] = %v, want %v", step, i, got, want)
			}
		}
	}
	tp.Reset()
	tp = nil
	runtime.GC() // the gradient is the parameter's own now, whatever happens to the tape
	if got := w.Grad().At(2); got != 300 {
		t.Errorf("after Reset and GC: grad[2] = %v, want 300", got)
	}
}

func TestGradVarFromBeforeZeroGradIsStale(t *testing.T) {
	w := ag.NewParam([]float64{1, 2}, 2)
	tp := ag.NewTape()
	if err := ag.Backward(ops.Sum(ops.Mul(w, tp.Const([]float64{3, 4})))); err != nil {
		t.Fatal(err)
	}
	old := w.Grad()
	ag.ZeroGrad(w)
	if err := ag.Maybe(func() { old.At(0) }); !errors.Is(err, ag.ErrReleased) {
		t.Errorf("reading a gradient Var kept across ZeroGrad: err = %v, want ErrReleased", err)
	}
	if got := w.Grad(); !got.IsNil() && got.At(0) != 0 {
		t.Errorf("gradient after ZeroGrad = %v, want zeros", got)
	}
}

func TestBorrowedGradientOutlivesItsTape(t *testing.T) {
	w := ag.NewParam([]float64{1, 2}, 2)
	func() {
		tp := ag.NewTape()
		if err := ag.Backward(ops.Sum(ops.Mul(w, tp.Const([]float64{7, 8})))); err != nil {
			t.Fatal(err)
		}
	}()
	runtime.GC()
	for i, want := range []float64{7, 8} {
		if got := w.Grad().At(i); got != want {
			t.Errorf("grad[%d] = %v after the tape was dropped, want %v", i, got, want)
		}
	}
}
