package autograd_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// usedTimes returns the sum of uses copies of double(p), one product each.
func usedTimes(p autograd.Var, uses int) autograd.Var {
	loss := ops.Sum(double(p))
	for range uses - 1 {
		loss = ops.Add(loss, ops.Sum(double(p)))
	}
	return loss
}

// TestParamGradSummedInPlace checks that Backward sums a small parameter's gradient in the
// parameter's own buffer from its first use on (GradsInto at every use), when it has no gradient
// yet; that a second Backward without ZeroGrad adds to the gradient after summing its own, as
// PyTorch does (GradsInto from the third use); and that ZeroGrad starts over, with the Vars Grad
// returned before it stale. Each use adds 2 to every element.
func TestParamGradSummedInPlace(t *testing.T) {
	const uses = 5
	p := autograd.NewParam([]float64{1, -2, 3})
	for _, c := range []struct {
		name      string
		zeroFirst bool
		wantCalls int
		want      float64
	}{
		{"first Backward", false, uses, 2 * uses},
		{"second Backward, no ZeroGrad", false, uses - 2, 4 * uses},
		{"after ZeroGrad", true, uses, 2 * uses},
	} {
		before := p.Grad()
		if c.zeroFirst {
			autograd.ZeroGrad(p)
			if g := p.Grad(); !g.IsNil() {
				t.Fatalf("%s: Grad after ZeroGrad = %v, want the zero Var", c.name, g)
			}
		}
		doubleInto = 0
		if err := autograd.Backward(usedTimes(p, uses)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if doubleInto != c.wantCalls {
			t.Errorf("%s: GradsInto called %d times, want %d", c.name, doubleInto, c.wantCalls)
		}
		if d := cmp.Diff([]float64{c.want, c.want, c.want}, p.Grad().Float64s()); d != "" {
			t.Errorf("%s: gradient (-want +got):\n%s", c.name, d)
		}
		if c.zeroFirst {
			err := autograd.Maybe(func() { before.Float64s() })
			if !errors.Is(err, autograd.ErrReleased) {
				t.Errorf("%s: reading the gradient from before ZeroGrad: err = %v, want ErrReleased", c.name, err)
			}
		}
	}
}

// noIntoOp is y = 2x whose GradsInto rule declines (reports false), and whose Grads rule
// returns 2g, or the zero Var while noGradient is set.
var (
	noGradient bool
	noIntoOp   = &autograd.Op{
		Name: "test.NoInto",
		Grads: []func(g, y autograd.Var) autograd.Var{func(g, y autograd.Var) autograd.Var {
			if noGradient {
				return autograd.Var{}
			}
			return ops.MulScalar(g, 2)
		}},
		GradsInto: []func(dst, g, y autograd.Var) bool{func(dst, g, y autograd.Var) bool { return false }},
	}
)

// TestParamGradIntoDeclined checks a GradsInto rule that declines a parameter's buffer: the
// gradient is Grads's, and a rule that then returns no gradient leaves the parameter without
// one (the zero Var, not zeros).
func TestParamGradIntoDeclined(t *testing.T) {
	defer func() { noGradient = false }()
	for _, c := range []struct {
		name string
		none bool
		want []float64
	}{{"Grads gives 2g", false, []float64{2, 2}}, {"Grads gives none", true, nil}} {
		noGradient = c.none
		p := autograd.NewParam([]float64{1, 2})
		y := autograd.NewResult(noIntoOp, autograd.Float64, p.Shape(), p)
		if err := autograd.Backward(ops.Sum(y)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkParamGrad(t, c.name, p, c.want)
	}
}

// badRuleOp is y = x whose rule returns a gradient of the wrong shape.
var badRuleOp = &autograd.Op{
	Name: "test.BadRule",
	Grads: []func(g, y autograd.Var) autograd.Var{func(g, y autograd.Var) autograd.Var {
		return ops.Sum(g)
	}},
}

// TestParamGradKeptOnFailedPass checks that a Backward that fails after a parameter's gradient
// was summed in its buffer leaves the parameter as it was: without a gradient after ZeroGrad,
// or with its earlier gradient. The failing rule belongs to a node recorded before the
// parameter's product, so the pass reaches it later.
func TestParamGradKeptOnFailedPass(t *testing.T) {
	for _, c := range []struct {
		name string
		zero bool
		want []float64
	}{{"after ZeroGrad", true, nil}, {"with a gradient", false, []float64{2, 2, 2}}} {
		p := autograd.NewParam([]float64{1, 2, 3})
		if err := autograd.Backward(ops.Sum(double(p))); err != nil {
			t.Fatalf("%s: first Backward: %v", c.name, err)
		}
		if c.zero {
			autograd.ZeroGrad(p)
		}
		tp := autograd.NewTape()
		x := tp.Variable([]float64{1, 2}, 2)
		bad := autograd.NewResult(badRuleOp, autograd.Float64, x.Shape(), x)
		dp := autograd.NewResultOn(tp, doubleOp, autograd.Float64, p.Shape(), p) // on the tape, after bad
		copy(dp.Data64(), []float64{2, 4, 6})
		loss := ops.Add(ops.Sum(bad), ops.Sum(dp))
		doubleInto = 0
		if err := autograd.Backward(loss); !errors.Is(err, autograd.ErrRule) {
			t.Fatalf("%s: Backward with a bad rule: err = %v, want ErrRule", c.name, err)
		}
		if c.zero && doubleInto != 1 {
			t.Errorf("%s: GradsInto called %d times, want 1 (before the bad rule)", c.name, doubleInto)
		}
		checkParamGrad(t, c.name+", after the failed Backward", p, c.want)
	}
}

// TestParamGradSeededWithItself checks a Backward seeded with a parameter's own gradient, which
// Add's rule passes on to the parameter's slot: the slot holds the parameter's gradient buffer
// without the pass having summed in it, and the seed is added to the gradient as any other
// (2 from double, then 2 more), for a small parameter and a large one.
func TestParamGradSeededWithItself(t *testing.T) {
	for _, n := range []int{3, 300} {
		p := bigParam(n, 1)
		if err := autograd.Backward(ops.Sum(double(p))); err != nil {
			t.Fatalf("%d elements: first Backward: %v", n, err)
		}
		tp := autograd.NewTape()
		loss := ops.Add(p, tp.Zeros(autograd.Float64, n))
		if err := autograd.Backward(loss, autograd.Seed(p.Grad())); err != nil {
			t.Fatalf("%d elements: seeded Backward: %v", n, err)
		}
		if d := cmp.Diff(constant(n, 4), p.Grad().Float64s()); d != "" {
			t.Errorf("%d elements: gradient (-want +got):\n%s", n, d)
		}
	}
}

// TestParamGradWatchedPass checks that a Backward that traces its rules (WithTrace) or checks
// them for anomalies calls no GradsInto, the parameter's buffer included, and still sums the
// gradient: 2 per use, three uses.
func TestParamGradWatchedPass(t *testing.T) {
	for _, c := range []struct {
		name    string
		anomaly bool
		opts    []autograd.Option
	}{
		{"WithTrace", false, []autograd.Option{autograd.WithTrace(&autograd.Trace{})}},
		{"anomaly detection", true, nil},
	} {
		p := autograd.NewParam([]float64{1, 2, 3})
		tp := autograd.NewTape()
		tp.SetAnomalyDetection(c.anomaly)
		loss := tp.Zeros(autograd.Float64)
		for range 3 { // on the tape, so that the tape's anomaly detection applies
			y := autograd.NewResultOn(tp, doubleOp, autograd.Float64, p.Shape(), p)
			copy(y.Data64(), []float64{2, 4, 6})
			loss = ops.Add(loss, ops.Sum(y))
		}
		doubleInto = 0
		if err := autograd.Backward(loss, c.opts...); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if doubleInto != 0 {
			t.Errorf("%s: GradsInto called %d times, want 0", c.name, doubleInto)
		}
		if d := cmp.Diff([]float64{6, 6, 6}, p.Grad().Float64s()); d != "" {
			t.Errorf("%s: gradient (-want +got):\n%s", c.name, d)
		}
	}
}

// checkParamGrad reports an error unless p's gradient is want, or the zero Var for a nil want.
func checkParamGrad(t *testing.T, name string, p autograd.Var, want []float64) {
	t.Helper()
	g := p.Grad()
	if want == nil {
		if !g.IsNil() {
			t.Errorf("%s: Grad = %v, want the zero Var", name, g)
		}
		return
	}
	if d := cmp.Diff(want, g.Float64s()); d != "" {
		t.Errorf("%s: gradient (-want +got):\n%s", name, d)
	}
}
