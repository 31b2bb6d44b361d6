package ops

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// lstmCases covers ops/lstm.go: each output of LSTMCell alone, both together (so that the
// gradient of pre sums the two primitives' rules), and two cells in a row (the second cell's c
// is the first's c'). The order-2 checks differentiate the rules, LSTMCellStateGrad and
// LSTMCellOutputGrad included.
func lstmCases() []gradCase {
	pre := func(seed uint64) operand { return gen(signed, seed, 2, 8) } // batch 2, hidden 2
	c := gen(shifted, 3, 2, 2)
	return []gradCase{
		{name: "LSTMCell.h", f: func(xs ...ag.Var) ag.Var { h, _ := LSTMCell(xs[0], xs[1]); return h }, in: []operand{pre(1), c}},
		{name: "LSTMCell.c", f: func(xs ...ag.Var) ag.Var { _, c2 := LSTMCell(xs[0], xs[1]); return c2 }, in: []operand{pre(2), c}},
		{name: "LSTMCell.h·c", f: func(xs ...ag.Var) ag.Var { h, c2 := LSTMCell(xs[0], xs[1]); return Mul(h, c2) }, in: []operand{pre(4), c}},
		{name: "LSTMCell twice", f: func(xs ...ag.Var) ag.Var {
			h, c2 := LSTMCell(xs[0], xs[2])
			h2, c3 := LSTMCell(Mul(xs[1], Concat(1, h, h, h, h)), c2)
			return Add(h2, c3)
		}, in: []operand{pre(5), pre(6), c}},
	}
}

// lstmComposite is LSTMCell composed of Split and elementwise ops, as layers.LSTMCell was.
func lstmComposite(pre, c ag.Var) (h, c2 ag.Var) {
	n := pre.Shape()[1] / 4
	gs := Split(pre, 1, n, n, n, n)
	i, f, g, o := Sigmoid(gs[0]), Sigmoid(gs[1]), Tanh(gs[2]), Sigmoid(gs[3])
	c2 = Add(Mul(f, c), Mul(i, g))
	return Mul(o, Tanh(c2)), c2
}

// TestLSTMCellMatchesComposite compares LSTMCell's values and gradients (of h'·u + c'·v for
// fixed u, v) with the composite, in both dtypes, at a hidden size wider than one kernel chunk.
func TestLSTMCellMatchesComposite(t *testing.T) {
	const batch, hidden = 3, lstmChunk + 5
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		run := func(cell func(pre, c ag.Var) (ag.Var, ag.Var)) []([]float64) {
			tp := ag.NewTape()
			pre := ag.NewParam(gen(signed, 7, batch, 4*hidden).data, batch, 4*hidden)
			c := ag.NewParam(gen(shifted, 8, batch, hidden).data, batch, hidden)
			pre32, c32 := Cast(pre, dt), Cast(c, dt)
			u := Cast(tp.Const(gen(signed, 9, batch, hidden).data, batch, hidden), dt)
			v := Cast(tp.Const(gen(signed, 10, batch, hidden).data, batch, hidden), dt)
			h, c2 := cell(pre32, c32)
			loss := Sum(Add(Mul(h, u), Mul(c2, v)))
			gs, err := ag.Grad([]ag.Var{loss}, []ag.Var{pre, c})
			if err != nil {
				t.Fatal(err)
			}
			return [][]float64{Cast(h, ag.Float64).Float64s(), Cast(c2, ag.Float64).Float64s(), gs[0].Float64s(), gs[1].Float64s()}
		}
		got, want := run(LSTMCell), run(lstmComposite)
		// float64: the kernels multiply in another order than the composite, a few ulps of
		// values of order 1. float32: tanh is 2σ(2x)−1 there (absolute error below 3e-7),
		// plus float32 rounding of values of order 1 in both.
		tol := cmpopts.EquateApprox(0, 1e-14)
		if dt == ag.Float32 {
			tol = cmpopts.EquateApprox(0, 1e-6)
		}
		for k, name := range []string{"h'", "c'", "∂pre", "∂c"} {
			if diff := cmp.Diff(want[k], got[k], tol); diff != "" {
				t.Errorf("%v: %s of LSTMCell differs from the composite (-want +got):\n%s", dt, name, diff)
			}
		}
	}
}

// TestLSTMCellErrors checks the typed errors for bad shapes and dtypes.
func TestLSTMCellErrors(t *testing.T) {
	tp := ag.NewTape()
	cases := []struct {
		name   string
		pre, c ag.Var
		want   error
	}{
		{"pre not 4·hidden", tp.Zeros(ag.Float64, 2, 7), tp.Zeros(ag.Float64, 2, 2), ag.ErrShape},
		{"batch differs", tp.Zeros(ag.Float64, 3, 8), tp.Zeros(ag.Float64, 2, 2), ag.ErrShape},
		{"c rank 1", tp.Zeros(ag.Float64, 2, 8), tp.Zeros(ag.Float64, 2), ag.ErrShape},
		{"dtypes differ", tp.Zeros(ag.Float64, 2, 8), tp.Zeros(ag.Float32, 2, 2), ag.ErrDType},
	}
	for _, c := range cases {
		err := ag.Maybe(func() { LSTMCell(c.pre, c.c) })
		if !errors.Is(err, c.want) {
			t.Errorf("%s: LSTMCell error = %v, want %v", c.name, err, c.want)
		}
	}
}
