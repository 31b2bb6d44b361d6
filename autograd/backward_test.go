package autograd_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func TestBackwardAccumulatesUntilZeroGrad(t *testing.T) {
	w := ag.ScalarParam(3)
	for step := 1; step <= 3; step++ {
		tp := ag.NewTape()
		x := tp.Scalar(2)
		loss := ops.Mul(ops.Mul(w, w), x) // d/dw (w²x) = 2wx = 12
		if err := ag.Backward(loss); err != nil {
			t.Fatalf("step %d: Backward: %v", step, err)
		}
		if got, want := w.Grad().Item(), 12.0*float64(step); got != want {
			t.Errorf("step %d: accumulated grad = %v, want %v", step, got, want)
		}
	}
	ag.ZeroGrad(w)
	if got := w.Grad(); !got.IsNil() {
		t.Errorf("after ZeroGrad: grad = %v, want the zero Var (no gradient)", got)
	}
	// ZeroGrad followed directly by Backward: the fresh gradient, not a sum with the old one.
	tp := ag.NewTape()
	if err := ag.Backward(ops.Mul(ops.Mul(w, w), tp.Scalar(2))); err != nil {
		t.Fatal(err)
	}
	ag.ZeroGrad(w)
	if err := ag.Backward(ops.Mul(ops.Mul(w, w), tp.Scalar(2))); err != nil {
		t.Fatal(err)
	}
	if got := w.Grad().Item(); got != 12 {
		t.Errorf("Backward after ZeroGrad: grad = %v, want 12", got)
	}
}

func TestBackwardSeeds(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Variable([]float64{1, 2, 3})
	y := ops.MulScalar(x, 2)
	err := ag.Backward(y)
	if !errors.Is(err, ag.ErrSeed) {
		t.Fatalf("Backward of a (3) output without a seed: err = %v, want ErrSeed", err)
	}
	const want = "autograd.Backward: output 0 has shape (3); a non-scalar output needs an explicit seed (autograd.Seed)"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	if err := ag.Backward(y, ag.Seed(tp.Const([]float64{1, 10, 100}))); err != nil {
		t.Fatalf("seeded Backward: %v", err)
	}
	for i, want := range []float64{2, 20, 200} {
		if got := x.Grad().At(i); got != want {
			t.Errorf("grad[%d] = %v, want %v", i, got, want)
		}
	}
	err = ag.Backward(y, ag.Seed(tp.Const([]float64{1, 2})))
	if !errors.Is(err, ag.ErrSeed) {
		t.Errorf("Backward with a (2) seed for a (3) output: err = %v, want ErrSeed", err)
	}
}

func TestBackwardAfterResetIsAnError(t *testing.T) {
	tp := ag.NewTape()
	w := ag.NewParam([]float64{1, 2}, 2)
	loss := ops.Sum(ops.Mul(w, tp.Const([]float64{3, 4})))
	tp.Reset()
	err := ag.Backward(loss)
	if !errors.Is(err, ag.ErrReleased) {
		t.Fatalf("Backward through a reset tape: err = %v, want ErrReleased", err)
	}
	if w.Grad().IsNil() == false {
		t.Errorf("parameter gradient changed by a failed Backward: %v", w.Grad())
	}
	// The recycled nodes of the next step must not be mistaken for the old ones.
	_ = ops.Sum(ops.Mul(w, tp.Const([]float64{5, 6})))
	if err := ag.Backward(loss); !errors.Is(err, ag.ErrReleased) {
		t.Errorf("Backward of a stale loss after the tape was reused: err = %v, want ErrReleased", err)
	}
}

func TestEveryParameterInTheGraphGetsItsGradient(t *testing.T) {
	// Each parameter enters the graph in a different way: through MatMul, a broadcast bias, a
	// reduction and an elementwise op. All must receive a non-zero gradient equal to the finite
	// difference.
	w := ag.NewParam([]float64{0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, 3, 2)
	b := ag.NewParam([]float64{0.05, -0.05}, 2)
	s := ag.ScalarParam(1.5)
	loss := func(tp *ag.Tape) ag.Var {
		x := tp.Const([]float64{1, 2, 3, -1, 0.5, 2}, 2, 3)
		h := ops.Tanh(ops.Add(ops.MatMul(x, w), b))
		return ops.Mul(ops.Sum(ops.Square(h)), s)
	}
	tp := ag.NewTape()
	if err := ag.Backward(loss(tp)); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]ag.Var{"w": w, "b": b, "s": s} {
		g := p.Grad()
		if g.IsNil() {
			t.Fatalf("%s: no gradient", name)
		}
		for i := 0; i < p.Len(); i++ {
			data := p.Data64()
			old := data[i]
			const h = 1e-6
			data[i] = old + h
			fp := loss(tp).Item()
			data[i] = old - h
			fm := loss(tp).Item()
			data[i] = old
			num := (fp - fm) / (2 * h)
			// central differences with h = 1e-6 on an O(1) function: error ~1e-9
			if got := g.At(i); got == 0 || math.Abs(got-num) > 1e-6 {
				t.Errorf("%s[%d]: gradient %v, finite difference %v", name, i, got, num)
			}
		}
	}
}

func TestGradDoesNotTouchLeafGradients(t *testing.T) {
	w := ag.ScalarParam(2)
	tp := ag.NewTape()
	y := ops.PowConst(w, 3)
	g, err := ag.Grad([]ag.Var{y}, []ag.Var{w})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g[0].Item(), 12.0; got != want {
		t.Errorf("dy/dw = %v, want %v", got, want)
	}
	if !w.Grad().IsNil() {
		t.Errorf("Grad changed the leaf gradient to %v", w.Grad())
	}
	unused := tp.Variable([]float64{1})
	if _, err := ag.Grad([]ag.Var{y}, []ag.Var{unused}); !errors.Is(err, ag.ErrUnused) {
		t.Errorf("Grad with an unused input: err = %v, want ErrUnused", err)
	}
	g, err = ag.Grad([]ag.Var{y}, []ag.Var{unused}, ag.AllowUnused())
	if err != nil || g[0].Item() != 0 {
		t.Errorf("Grad with AllowUnused: %v, %v; want 0, nil", g, err)
	}
}

func TestCreateGraphGivesDifferentiableGradients(t *testing.T) {
	tp := ag.NewTape()
	for _, c := range []struct {
		name string
		f    func(ag.Var) ag.Var
		d1   func(float64) float64
		d2   func(float64) float64
	}{
		{"x^4", func(x ag.Var) ag.Var { return ops.PowConst(x, 4) },
			func(x float64) float64 { return 4 * x * x * x }, func(x float64) float64 { return 12 * x * x }},
		{"exp(2x)", func(x ag.Var) ag.Var { return ops.Exp(ops.MulScalar(x, 2)) },
			func(x float64) float64 { return 2 * math.Exp(2*x) }, func(x float64) float64 { return 4 * math.Exp(2*x) }},
		{"sigmoid", ops.Sigmoid,
			func(x float64) float64 { s := 1 / (1 + math.Exp(-x)); return s * (1 - s) },
			func(x float64) float64 { s := 1 / (1 + math.Exp(-x)); return s * (1 - s) * (1 - 2*s) }},
		{"tanh", ops.Tanh,
			func(x float64) float64 { th := math.Tanh(x); return 1 - th*th },
			func(x float64) float64 { th := math.Tanh(x); return -2 * th * (1 - th*th) }},
	} {
		x := tp.ScalarVariable(0.7)
		g, err := ag.Grad([]ag.Var{c.f(x)}, []ag.Var{x}, ag.CreateGraph())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		gg, err := ag.Grad(g, []ag.Var{x})
		if err != nil {
			t.Fatalf("%s: second Grad: %v", c.name, err)
		}
		// closed forms evaluated in float64: agreement to a few ulps
		if got, want := g[0].Item(), c.d1(0.7); math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: f' = %v, want %v", c.name, got, want)
		}
		if got, want := gg[0].Item(), c.d2(0.7); math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: f'' = %v, want %v", c.name, got, want)
		}
	}
}

// TestRuleCannotReenterThePass checks that a user-defined rule starting a second backward pass on
// its own tape gets a clear error instead of wiping the running pass's state.
func TestRuleCannotReenterThePass(t *testing.T) {
	reenter := &ag.Op{Name: "test.Reenter", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var {
			x := y.Inputs()[0]
			if _, err := ag.Grad([]ag.Var{ops.Sum(ops.Square(x))}, []ag.Var{x}); err != nil {
				panic(err)
			}
			return g
		},
	}}
	tp := ag.NewTape()
	x := tp.Variable([]float64{1, 2}, 2)
	y := ag.NewResult(reenter, ag.Float64, []int{2}, x)
	copy(y.Data64(), x.Data64())
	err := ag.Backward(ops.Sum(y))
	if !errors.Is(err, ag.ErrValue) || !strings.Contains(err.Error(), "already running on this tape") {
		t.Errorf("Backward through a rule that calls Grad on its tape: error %v, want ErrValue naming the running pass", err)
	}
	// The tape still works afterwards.
	if _, err := ag.Grad([]ag.Var{ops.Sum(ops.Square(x))}, []ag.Var{x}); err != nil {
		t.Errorf("Grad after the refused re-entry: %v", err)
	}
}

// TestAnomalyNamesTheLineInAUserRule checks that a NaN made inside a user-defined Op's rule is
// reported at the rule's own line, not only at the Backward call.
func TestAnomalyNamesTheLineInAUserRule(t *testing.T) {
	var site string
	bad := &ag.Op{Name: "test.BadRule", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var {
			l := ops.Log(ops.Neg(ops.Abs(g))) // log of a negative number: NaN
			_, file, line, _ := runtime.Caller(0)
			site = fmt.Sprintf("%s:%d", file, line-1)
			return ops.Mul(l, g)
		},
	}}
	tp := ag.NewTape()
	tp.SetAnomalyDetection(true)
	x := tp.Variable([]float64{1, 2}, 2)
	y := ag.NewResult(bad, ag.Float64, []int{2}, x)
	copy(y.Data64(), x.Data64())
	err := ag.Backward(ops.Sum(y))
	if !errors.Is(err, ag.ErrAnomaly) || !strings.Contains(err.Error(), "ops.Log produced NaN") || !strings.Contains(err.Error(), site) {
		t.Errorf("NaN from a user rule: error %v, want ErrAnomaly naming ops.Log and %s", err, site)
	}
}

// TestGradWithRespectToAnInputAndItsOperand checks Grad with respect to x and to z where x is
// computed from z through another node: z's gradient must flow through x (pruning keeps the path
// below an input that leads to another input). y = x², x = 3z·1: ∂y/∂x = 2x, ∂y/∂z = 6x. Small
// integers: exact.
func TestGradWithRespectToAnInputAndItsOperand(t *testing.T) {
	for _, c := range []struct {
		name string
		z    func() ag.Var
	}{
		{"tape", func() ag.Var { return ag.NewTape().ScalarVariable(2) }},
		{"heap", func() ag.Var { return ag.ScalarParam(2) }},
	} {
		z := c.z()
		three, one := ag.Scalar(3), ag.Scalar(1)
		if tp := z.Tape(); tp != nil {
			three, one = tp.Scalar(3), tp.Scalar(1)
		}
		x := ops.Mul(ops.Mul(z, three), one) // a node between x and z
		y := ops.Mul(x, x)
		for _, order := range [][2]int{{0, 1}, {1, 0}} {
			ins := []ag.Var{x, z}
			ins = []ag.Var{ins[order[0]], ins[order[1]]}
			g, err := ag.Grad([]ag.Var{y}, ins)
			if err != nil {
				t.Fatalf("%s, inputs %v: Grad: %v", c.name, order, err)
			}
			want := map[int]float64{0: 12, 1: 36} // ∂y/∂x = 2·6, ∂y/∂z = 6·6
			for i, gi := range g {
				if got := gi.Item(); got != want[order[i]] {
					t.Errorf("%s, inputs %v: gradient %d = %v, want %v", c.name, order, i, got, want[order[i]])
				}
			}
		}
	}
}

// TestGradWithAnInputListedTwice checks that Grad gives an input listed twice its gradient at
// both places, on a tape and on the heap: y = x², ∂y/∂x = 2x = 6.
func TestGradWithAnInputListedTwice(t *testing.T) {
	for _, x := range []ag.Var{ag.NewTape().ScalarVariable(3), ag.ScalarParam(3)} {
		g, err := ag.Grad([]ag.Var{ops.Mul(x, x)}, []ag.Var{x, x})
		if err != nil {
			t.Fatalf("on tape %v: Grad: %v", x.Tape() != nil, err)
		}
		for i, gi := range g {
			if got := gi.Item(); got != 6 {
				t.Errorf("on tape %v: gradient %d = %v, want 6", x.Tape() != nil, i, got)
			}
		}
	}
}
