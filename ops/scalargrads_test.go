package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// scalarGradOps are the primitives with Op.ScalarGrads.
func scalarGradOps() []*ag.Op {
	return []*ag.Op{addOp, subOp, mulOp, divOp, negOp, expOp, logOp, sigmoidOp, tanhOp, reluOp}
}

// withoutScalarGrads removes the primitives' ScalarGrads, so that the backward pass applies
// their Grads to scalars too, and returns the function that puts them back.
func withoutScalarGrads() (restore func()) {
	ops := scalarGradOps()
	saved := make([]func(g, y, a, b float64) (float64, float64), len(ops))
	for i, op := range ops {
		saved[i], op.ScalarGrads = op.ScalarGrads, nil
	}
	return func() {
		for i, op := range ops {
			op.ScalarGrads = saved[i]
		}
	}
}

// countingScalarGrads wraps the primitives' ScalarGrads to count their calls into *calls, and
// returns the function that puts the originals back.
func countingScalarGrads(calls *int) (restore func()) {
	ops := scalarGradOps()
	saved := make([]func(g, y, a, b float64) (float64, float64), len(ops))
	for i, op := range ops {
		f := op.ScalarGrads
		saved[i] = f
		op.ScalarGrads = func(g, y, a, b float64) (float64, float64) { *calls++; return f(g, y, a, b) }
	}
	return func() {
		for i, op := range ops {
			op.ScalarGrads = saved[i]
		}
	}
}

// scalarProgram returns a random function of scalars: steps operations, each Add, Sub, Mul or
// Div (whose divisor is an exponential, so it stays away from 0), Sigmoid, Tanh, Neg, ReLU, the
// Log of a sum of exponentials, or Softplus, which has no ScalarGrads, of earlier values picked at
// random (so that values fan out to several uses); its result is the sum of the last three
// values.
func scalarProgram(seed uint64, steps int) func(xs ...ag.Var) ag.Var {
	return func(xs ...ag.Var) ag.Var {
		rng := rand.New(rand.NewPCG(seed, 7))
		vals := append([]ag.Var(nil), xs...)
		pick := func() ag.Var { return vals[len(vals)-1-rng.IntN(min(len(vals), 6))] }
		for range steps {
			a, b := pick(), pick()
			var v ag.Var
			switch rng.IntN(10) {
			case 0:
				v = Add(a, b)
			case 1:
				v = Sub(a, b)
			case 2:
				v = Mul(a, b)
			case 3:
				v = Div(a, Exp(b))
			case 4:
				v = Sigmoid(a)
			case 5:
				v = Neg(a)
			case 6:
				v = ReLU(a)
			case 7:
				v = Log(Add(Exp(a), Exp(b)))
			case 8:
				v = Softplus(a)
			default:
				v = Tanh(Mul(a, b))
			}
			vals = append(vals, v)
		}
		n := len(vals)
		return Add(Add(vals[n-1], vals[n-2]), vals[n-3])
	}
}

// TestScalarGradsMatchRules checks that the backward pass of random scalar programs gives the
// same bits with the primitives' ScalarGrads (counting that they were used) as with their Grads:
// the gradients of two variables on the tape (by Grad), of a parameter (by Backward, twice, the
// second adding into the first), and of a parameter whose products with another make nodes off
// the tape (heap nodes, which the pass walks after the tape).
func TestScalarGradsMatchRules(t *testing.T) {
	for _, c := range []struct {
		seed  uint64
		steps int
	}{{1, 5}, {2, 30}, {3, 60}, {4, 200}} {
		name := fmt.Sprintf("seed %d, %d steps", c.seed, c.steps)
		f := scalarProgram(c.seed, c.steps)
		grads := func() []uint64 {
			tp := ag.NewTape()
			p, q := ag.ScalarParam(0.7), ag.ScalarParam(-1.3)
			var bits []uint64
			for range 2 {
				u, v := tp.ScalarVariable(0.4), tp.ScalarVariable(-0.9)
				inputs := []ag.Var{u, v, Mul(p, q), tp.Scalar(1.1), p}
				gs, err := ag.Grad([]ag.Var{f(inputs...)}, []ag.Var{u, v}, ag.AllowUnused())
				if err != nil {
					t.Fatalf("%s: Grad: %v", name, err)
				}
				bits = append(append(bits, bitsOf(gs[0])...), bitsOf(gs[1])...)
				if err := ag.Backward(f(inputs...)); err != nil {
					t.Fatalf("%s: Backward: %v", name, err)
				}
				tp.Reset()
			}
			// A parameter's first gradient goes into its zeroed buffer through GradsInto, which
			// turns a −0 into +0 (autograd.Op.GradsInto); ScalarGrads keep it, as PyTorch does.
			for _, w := range []ag.Var{p, q} {
				if g := w.Grad(); !g.IsNil() { // nil when the program does not use w
					bits = append(bits, plusZero(bitsOf(g))...)
				}
			}
			return bits
		}
		calls := 0
		restore := countingScalarGrads(&calls)
		with := grads()
		restore()
		restore = withoutScalarGrads()
		without := grads()
		restore()
		if calls == 0 {
			t.Errorf("%s: the pass called no ScalarGrads", name)
		}
		if d := cmp.Diff(without, with); d != "" {
			t.Errorf("%s: gradient bits (-Grads +ScalarGrads):\n%s", name, d)
		}
	}
}

// TestScalarGradsFiniteDifferences checks the gradients of random scalar programs, which the
// pass computes with ScalarGrads, against central finite differences.
func TestScalarGradsFiniteDifferences(t *testing.T) {
	calls := 0
	defer countingScalarGrads(&calls)()
	tp := ag.NewTape()
	inputs := []ag.Var{tp.ScalarVariable(0.4), tp.ScalarVariable(-0.9), tp.ScalarVariable(1.1)}
	for seed := uint64(1); seed <= 8; seed++ {
		if err := ag.CheckGrad(scalarProgram(seed, 25), inputs); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	if calls == 0 {
		t.Errorf("CheckGrad's passes called no ScalarGrads")
	}
}

// TestScalarGradsNotUsedWhenRecording checks that a pass that records itself (CreateGraph) or
// traces its rules applies Grads, whose results are nodes, not ScalarGrads.
func TestScalarGradsNotUsedWhenRecording(t *testing.T) {
	calls := 0
	defer countingScalarGrads(&calls)()
	for _, c := range []struct {
		name string
		opt  ag.Option
	}{{"CreateGraph", ag.CreateGraph()}, {"WithTrace", ag.WithTrace(new(ag.Trace))}} {
		tp := ag.NewTape()
		x := tp.ScalarVariable(0.3)
		y := Add(Mul(x, x), Div(x, tp.Scalar(2)))
		gs, err := ag.Grad([]ag.Var{y}, []ag.Var{x}, c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got, want := gs[0].Item(), 2*0.3+0.5; got != want {
			t.Errorf("%s: dy/dx = %v, want %v", c.name, got, want)
		}
		if calls != 0 {
			t.Errorf("%s: the pass called ScalarGrads %d times, want none", c.name, calls)
		}
	}
}

// plusZero replaces the bits of −0 in bits with those of +0.
func plusZero(bits []uint64) []uint64 {
	for i, b := range bits {
		if b == 1<<63 {
			bits[i] = 0
		}
	}
	return bits
}

// TestScalarFastPathValues checks that the elementwise operations with a scalar fast path give a
// float64 scalar the bits their loops give a one-element tensor, at ordinary and special values.
func TestScalarFastPathValues(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -2.5, 3e-3, 30, -30, 800, -800, 5e-324,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	unaries := []struct {
		name string
		f    func(ag.Var) ag.Var
	}{{"Neg", Neg}, {"Exp", Exp}, {"Log", Log}, {"Abs", Abs}, {"Sign", Sign}, {"Step", Step},
		{"Sigmoid", Sigmoid}, {"Tanh", Tanh}, {"Softplus", Softplus}, {"Erf", Erf}, {"ReLU", ReLU}}
	binaries := []struct {
		name string
		f    func(a, b ag.Var) ag.Var
	}{{"Add", Add}, {"Sub", Sub}, {"Mul", Mul}, {"Div", Div}}
	same := func(got, want float64) bool {
		return math.Float64bits(got) == math.Float64bits(want) || got != got && want != want
	}
	tp := ag.NewTape()
	for _, c := range unaries {
		for _, x := range values {
			got, want := c.f(tp.Scalar(x)), c.f(tp.Const([]float64{x}, 1))
			if got.Rank() != 0 || !same(got.Item(), want.Item()) {
				t.Errorf("%s(%g): scalar %g (rank %d), one-element tensor %g", c.name, x, got.Item(), got.Rank(), want.Item())
			}
		}
	}
	for _, c := range binaries {
		for _, x := range values {
			for _, y := range values {
				got, want := c.f(tp.Scalar(x), tp.Scalar(y)), c.f(tp.Const([]float64{x}, 1), tp.Const([]float64{y}, 1))
				if !same(got.Item(), want.Item()) {
					t.Errorf("%s(%g, %g): scalar %g, one-element tensor %g", c.name, x, y, got.Item(), want.Item())
				}
			}
		}
	}
}
