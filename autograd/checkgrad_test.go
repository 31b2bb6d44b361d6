package autograd_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// wrongSquare is x² with a deliberately wrong derivative rule (x instead of 2x), to show that
// CheckGrad catches a bad rule and names where.
var wrongSquare = &ag.Op{Name: "test.WrongSquare", Grads: []func(g, y ag.Var) ag.Var{
	func(g, y ag.Var) ag.Var { return ops.Mul(g, y.Inputs()[0]) },
}}

func square(x ag.Var) ag.Var {
	out := ag.NewResult(wrongSquare, ag.Float64, x.Shape(), x)
	for i, v := range x.Data64() {
		out.Data64()[i] = v * v
	}
	return out
}

// badHessianSquare is x² whose first derivative is right (2x) but is written with a raw constant
// copy of x, so its second derivative is lost: only Order(2) catches it.
var badHessianSquare = &ag.Op{Name: "test.BadHessianSquare", Grads: []func(g, y ag.Var) ag.Var{
	func(g, y ag.Var) ag.Var { return ops.Mul(g, ops.MulScalar(ag.Detach(y.Inputs()[0]), 2)) },
}}

func TestCheckGradCatchesWrongRules(t *testing.T) {
	x := ag.Const([]float64{0.5, -1.5, 2}, 3)
	err := ag.CheckGrad(func(xs ...ag.Var) ag.Var { return ops.Sum(square(xs[0])) }, []ag.Var{x})
	if !errors.Is(err, ag.ErrGradCheck) {
		t.Fatalf("wrong first derivative: err = %v, want ErrGradCheck", err)
	}
	for _, want := range []string{"order 1", "input 0 element 0", "analytic 0.5", "numeric 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report %q lacks %q", err, want)
		}
	}

	f := func(xs ...ag.Var) ag.Var {
		out := ag.NewResult(badHessianSquare, ag.Float64, xs[0].Shape(), xs[0])
		for i, v := range xs[0].Data64() {
			out.Data64()[i] = v * v
		}
		return ops.Sum(out)
	}
	if err := ag.CheckGrad(f, []ag.Var{x}); err != nil {
		t.Errorf("correct first derivative: CheckGrad order 1 = %v, want nil", err)
	}
	if err := ag.CheckGrad(f, []ag.Var{x}, ag.Order(2)); !errors.Is(err, ag.ErrGradCheck) || !strings.Contains(err.Error(), "order 2") {
		t.Errorf("lost second derivative: CheckGrad order 2 = %v, want an order 2 ErrGradCheck", err)
	}
}

func TestCheckGradRandomDirectionsForLargeInputs(t *testing.T) {
	data := make([]float64, 300)
	for i := range data {
		data[i] = math.Sin(float64(i))
	}
	x := ag.Const(data, 300)
	good := func(xs ...ag.Var) ag.Var { return ops.Sum(ops.Tanh(xs[0])) }
	if err := ag.CheckGrad(good, []ag.Var{x}, ag.Order(2)); err != nil {
		t.Errorf("tanh on 300 elements: %v", err)
	}
	bad := func(xs ...ag.Var) ag.Var { return ops.Sum(square(xs[0])) }
	if err := ag.CheckGrad(bad, []ag.Var{x}); !errors.Is(err, ag.ErrGradCheck) || !strings.Contains(err.Error(), "random direction") {
		t.Errorf("wrong rule on 300 elements: err = %v, want a random-direction ErrGradCheck", err)
	}
}

func TestCheckGradRejectsFloat32(t *testing.T) {
	x := ag.NewParam32([]float32{1, 2}, 2)
	err := ag.CheckGrad(func(xs ...ag.Var) ag.Var { return ops.Sum(xs[0]) }, []ag.Var{x})
	if !errors.Is(err, ag.ErrDType) {
		t.Errorf("float32 input: err = %v, want ErrDType", err)
	}
}

func TestHVPAndHessianClosedForms(t *testing.T) {
	// f(x) = ½ xᵀAx with symmetric A: H = A, Hv = Av.
	a := []float64{2, 1, 0, 1, 3, -1, 0, -1, 4}
	f := func(x ag.Var) ag.Var {
		A := ag.Const(a, 3, 3)
		xc := ops.Reshape(x, 3, 1)
		return ops.MulScalar(ops.Sum(ops.Mul(xc, ops.MatMul(A, xc))), 0.5)
	}
	tp := ag.NewTape()
	x := tp.Variable([]float64{0.3, -0.2, 1.1})
	v := tp.Const([]float64{1, 2, 3})
	hv, err := ag.HVP(f, x, v)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{2*1 + 1*2, 1 + 3*2 - 3, -2 + 4*3} {
		if got := hv.At(i); math.Abs(got-want) > 1e-14 { // exact integer arithmetic
			t.Errorf("Hv[%d] = %v, want %v", i, got, want)
		}
	}
	h, err := ag.Hessian(f, x)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range a {
		if got := h.Data64()[i]; math.Abs(got-want) > 1e-14 {
			t.Errorf("H[%d] = %v, want %v", i, got, want)
		}
	}
}
