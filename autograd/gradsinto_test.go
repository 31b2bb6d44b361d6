package autograd_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// doubleInto counts the calls of doubleOp's GradsInto rule.
var doubleInto int

// doubleOp is y = 2x with a GradsInto rule that adds 2g into the running sum by hand.
var doubleOp = &autograd.Op{
	Name:  "test.Double",
	Grads: []func(g, y autograd.Var) autograd.Var{func(g, y autograd.Var) autograd.Var { return ops.MulScalar(g, 2) }},
	GradsInto: []func(dst, g, y autograd.Var) bool{func(dst, g, y autograd.Var) bool {
		doubleInto++
		d, s := dst.Data64(), g.Data64()
		for i := range d {
			d[i] += 2 * s[i]
		}
		return true
	}},
}

func double(x autograd.Var) autograd.Var {
	y := autograd.NewResult(doubleOp, autograd.Float64, x.Shape(), x)
	for i, v := range x.Data64() {
		y.Data64()[i] = 2 * v
	}
	return y
}

// TestGradsIntoContract checks when the backward pass hands a rule the running sum of an
// input's gradient (Op.GradsInto): for a parameter used five times, from its third use on (the
// first sets the sum, the second makes the buffer the pass owns), and never when the pass is
// recorded (CreateGraph) or traced (WithTrace), which need each contribution apart. The
// gradient is the same either way: 2 per use, 10 in all. (TestFreshGradientIsOwned has
// Backward's case for large tensors, which owns the first result.)
func TestGradsIntoContract(t *testing.T) {
	const uses = 5
	for _, c := range []struct {
		name      string
		opts      []autograd.Option
		wantCalls int
	}{
		{"Grad", nil, uses - 2},
		{"Grad with CreateGraph", []autograd.Option{autograd.CreateGraph()}, 0},
		{"Grad with WithTrace", []autograd.Option{autograd.WithTrace(&autograd.Trace{})}, 0},
	} {
		x := autograd.NewParam([]float64{1, -2, 3})
		loss := ops.Sum(double(x))
		for range uses - 1 {
			loss = ops.Add(loss, ops.Sum(double(x)))
		}
		doubleInto = 0
		gs, err := autograd.Grad([]autograd.Var{loss}, []autograd.Var{x}, c.opts...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if doubleInto != c.wantCalls {
			t.Errorf("%s: GradsInto called %d times, want %d", c.name, doubleInto, c.wantCalls)
		}
		if d := cmp.Diff([]float64{10, 10, 10}, gs[0].Float64s()); d != "" {
			t.Errorf("%s: gradient (-want +got):\n%s", c.name, d)
		}
	}
}

// zeroIntoOp is y = 0·x whose rule returns the zero Var, as a rule may for an all-zero
// gradient, and which has a GradsInto rule as well.
var zeroIntoOp = &autograd.Op{
	Name:      "test.Zero",
	Grads:     []func(g, y autograd.Var) autograd.Var{func(g, y autograd.Var) autograd.Var { return autograd.Var{} }},
	GradsInto: []func(dst, g, y autograd.Var) bool{func(dst, g, y autograd.Var) bool { return true }},
}

// TestGradsIntoLooksWithoutQueueing checks that asking whether an input's sum is owned does not
// register the input as holding a gradient: an operation on the heap (here x·2 of a parameter)
// whose only consumer's rule returns the zero Var has no gradient to pass on, and Grad reports
// it unused instead of walking it with none.
func TestGradsIntoLooksWithoutQueueing(t *testing.T) {
	p := autograd.NewParam([]float64{1, 2})
	x := ops.MulScalar(p, 2) // a heap node with a rule
	y := autograd.NewResult(zeroIntoOp, autograd.Float64, x.Shape(), x)
	loss := ops.Add(ops.Sum(y), ops.Sum(double(p)))
	gs, err := autograd.Grad([]autograd.Var{loss}, []autograd.Var{p})
	if err != nil {
		t.Fatalf("Grad: %v", err)
	}
	if d := cmp.Diff([]float64{2, 2}, gs[0].Float64s()); d != "" {
		t.Errorf("gradient of p (-want +got):\n%s", d)
	}
}

// bigParam returns a float64 parameter of n elements, all v: large enough (from 256 elements)
// for Backward's results to get buffers of their own, which the pass may own.
func bigParam(n int, v float64) autograd.Var {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return autograd.NewParam(x)
}

// constant returns n copies of v.
func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

// TestFreshGradientIsOwned checks that Backward keeps a rule's new result as the sum it owns: a
// parameter of 256 elements used five times gets GradsInto from its second use on, and the
// gradient is still 2 per use. With 255 elements (results in the tape's arena) the parameter's
// own gradient buffer is the sum from the first use on (TestParamGradSummedInPlace).
func TestFreshGradientIsOwned(t *testing.T) {
	const uses = 5
	for _, c := range []struct {
		n, wantCalls int
	}{{256, uses - 1}, {255, uses}} {
		x := bigParam(c.n, 1)
		loss := ops.Sum(double(x))
		for range uses - 1 {
			loss = ops.Add(loss, ops.Sum(double(x)))
		}
		doubleInto = 0
		if err := autograd.Backward(loss); err != nil {
			t.Fatalf("%d elements: %v", c.n, err)
		}
		if doubleInto != c.wantCalls {
			t.Errorf("%d elements: GradsInto called %d times, want %d", c.n, doubleInto, c.wantCalls)
		}
		if d := cmp.Diff(constant(c.n, 2*uses), x.Grad().Float64s()); d != "" {
			t.Errorf("%d elements: gradient (-want +got):\n%s", c.n, d)
		}
	}
}

// sharedGrad is the result pairOp's rule made for its first input, which its rule for the
// second input returns again: a rule that hands one Var to two inputs.
var sharedGrad autograd.Var

// pairOp is y = a + b whose rules return one Var, a copy of g, for both inputs.
var pairOp = &autograd.Op{
	Name: "test.Pair",
	Grads: []func(g, y autograd.Var) autograd.Var{
		func(g, y autograd.Var) autograd.Var { sharedGrad = ops.MulScalar(g, 1); return sharedGrad },
		func(g, y autograd.Var) autograd.Var { return sharedGrad },
	},
}

// TestSharedGradientStaysApart checks that the pass adds into no gradient that two inputs
// hold, for a and b that each get a later gradient (double, with GradsInto) after one they
// share. ops.Add passes its upstream gradient, a result the pass may own, to both inputs;
// pairOp's rule hands its new result for a to b too. Added into the shared one, a's and b's
// gradients would mix, and pairOp's result would be added into, become a's gradient buffer
// and be released.
func TestSharedGradientStaysApart(t *testing.T) {
	const n = 256 // Backward's results get buffers the pass may own
	for _, c := range []struct {
		name string
		join func(a, b autograd.Var) autograd.Var
	}{
		{"ops.Add", ops.Add},
		{"pairOp", func(a, b autograd.Var) autograd.Var {
			return autograd.NewResult(pairOp, autograd.Float64, a.Shape(), a, b)
		}},
	} {
		a, b := bigParam(n, 1), bigParam(n, -2)
		loss := ops.Add(ops.Sum(double(a)), ops.Sum(double(b)))
		loss = ops.Add(loss, ops.Sum(c.join(a, b))) // made last: its rule runs first
		sharedGrad = autograd.Var{}
		if err := autograd.Backward(loss); err != nil {
			t.Fatalf("%s: Backward: %v", c.name, err)
		}
		for _, p := range []struct {
			name string
			p    autograd.Var
		}{{"a", a}, {"b", b}} {
			if d := cmp.Diff(constant(n, 3), p.p.Grad().Float64s()); d != "" {
				t.Errorf("%s: gradient of %s (-want +got):\n%s", c.name, p.name, d)
			}
		}
		if sharedGrad.IsNil() {
			continue
		}
		var got []float64
		if err := autograd.Maybe(func() { got = sharedGrad.Float64s() }); err != nil {
			t.Errorf("%s: the rule's result: %v; want it live", c.name, err)
		} else if d := cmp.Diff(constant(n, 1), got); d != "" {
			t.Errorf("%s: the rule's result (-want +got):\n%s", c.name, d)
		}
	}
}

// TestLateNewResultIsNotAddedInto checks that a rule's new result reaching a slot that already
// holds a gradient is not summed into: the node's rule for another input may still return it
// (pairOp hands its result for a to b). Here a's slot holds ops.Add's gradient, shared with c,
// when pairOp's rule runs; summed into pairOp's result, b's gradient would read 6.
func TestLateNewResultIsNotAddedInto(t *testing.T) {
	const n = 256 // Backward's results get buffers the pass may own
	a, b, c := bigParam(n, 1), bigParam(n, -2), bigParam(n, 3)
	y := autograd.NewResult(pairOp, autograd.Float64, a.Shape(), a, b)
	five := autograd.Const(constant(n, 5))
	loss := ops.Add(ops.Sum(y), ops.Sum(ops.Mul(ops.Add(a, c), five))) // made last: runs first
	if err := autograd.Backward(loss); err != nil {
		t.Fatalf("Backward: %v", err)
	}
	for _, p := range []struct {
		name string
		p    autograd.Var
		want float64
	}{{"a", a, 6}, {"b", b, 1}, {"c", c, 5}} {
		if d := cmp.Diff(constant(n, p.want), p.p.Grad().Float64s()); d != "" {
			t.Errorf("gradient of %s (-want +got):\n%s", p.name, d)
		}
	}
}

// TestSumPassedOnStaysIntact checks a sum the pass made and then passed on: u = a − b gets two
// gradients, summed into a buffer of the pass; Sub's rule passes that sum to a, whose slot
// already holds a gradient, and then reads it again to negate it for b. The second use of u
// multiplies by 3 (a new result reaching u's slot second) or adds c.
func TestSumPassedOnStaysIntact(t *testing.T) {
	const n = 256
	for _, c := range []struct {
		name   string
		second func(u, c autograd.Var) autograd.Var
		du     float64
	}{
		{"Add", ops.Add, 2},
		{"Mul", func(u, _ autograd.Var) autograd.Var { return ops.Mul(u, autograd.Const(constant(n, 3))) }, 4},
	} {
		a, b, p := bigParam(n, 1), bigParam(n, 1), bigParam(n, 1)
		u := ops.Sub(a, b)
		l1 := ops.Sum(c.second(u, p)) // runs after l2's rules
		l2 := ops.Sum(ops.Add(u, p))
		la := ops.Sum(ops.Add(a, p)) // made last: runs first, so a's slot holds a gradient
		if err := autograd.Backward(ops.Add(ops.Add(l1, l2), la)); err != nil {
			t.Fatalf("%s: Backward: %v", c.name, err)
		}
		for _, g := range []struct {
			name string
			p    autograd.Var
			want float64
		}{{"a", a, c.du + 1}, {"b", b, -c.du}} {
			if d := cmp.Diff(constant(n, g.want), g.p.Grad().Float64s()); d != "" {
				t.Errorf("%s: gradient of %s (-want +got):\n%s", c.name, g.name, d)
			}
		}
	}
}
