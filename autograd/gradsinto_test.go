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
// gradient is the same either way: 2 per use, 10 in all.
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
