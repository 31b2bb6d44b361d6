package optim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// fusedNet is a two-layer perceptron x·W1 + b1 → ReLU → ·W2 + b2 → softmax cross-entropy, built
// either with ops.MatMul (the reference) or with ops.MatMulSGD (fused).
type fusedNet struct {
	w1, b1, w2, b2 ag.Var
	x              []float64
	labels         []int
	shape          []int // of x: (batch, in) or (2, batch/2, in)
}

func newFusedNet(dt ag.DType, batch, in, hidden, classes int, rank3 bool) *fusedNet {
	r := rand.New(rand.NewPCG(7, uint64(in)))
	vals := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = r.Float64()*2 - 1
		}
		return s
	}
	param := func(s []float64, shape ...int) ag.Var {
		if dt == ag.Float32 {
			s32 := make([]float32, len(s))
			for i, v := range s {
				s32[i] = float32(v)
			}
			return ag.NewParam32(s32, shape...)
		}
		return ag.NewParam(s, shape...)
	}
	n := &fusedNet{
		w1: param(vals(in*hidden), in, hidden), b1: param(vals(hidden), hidden),
		w2: param(vals(hidden*classes), hidden, classes), b2: param(vals(classes), classes),
		x: vals(batch * in), labels: make([]int, batch), shape: []int{batch, in},
	}
	for i := range n.labels {
		n.labels[i] = r.IntN(classes)
	}
	if rank3 {
		n.shape = []int{2, batch / 2, in}
	}
	return n
}

func (n *fusedNet) params() []ag.Var { return []ag.Var{n.w1, n.b1, n.w2, n.b2} }

// loss records the network's loss on tp; a nil f uses ops.MatMul.
func (n *fusedNet) loss(t testing.TB, tp *ag.Tape, f ops.SGDFuser) ag.Var {
	t.Helper()
	x := tp.Const(n.x, n.shape...)
	if n.w1.DType() == ag.Float32 {
		x = ops.Cast(x, ag.Float32)
	}
	mm := ops.MatMul
	if f != nil {
		mm = func(a, w ag.Var) ag.Var { return ops.MatMulSGD(a, w, f) }
	}
	h := ops.ReLU(ops.Add(mm(x, n.w1), n.b1))
	y := ops.Add(mm(h, n.w2), n.b2)
	if len(n.shape) == 3 {
		y = ops.Reshape(y, n.shape[0]*n.shape[1], -1)
	}
	l, err := losses.CrossEntropy(y, n.labels)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// values returns the parameters' values.
func values(ps []ag.Var) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = p.Float64s()
	}
	return out
}

// TestBackwardStepMatchesBackwardAndStep trains a reference network with Backward, Step and
// ZeroGrad and a copy with ops.MatMulSGD and BackwardStep for several steps, and compares the
// parameters after each step; it also checks that the weights were fused (their Grad() is the
// zero Var) and that the biases' gradients were collected as usual.
func TestBackwardStepMatchesBackwardAndStep(t *testing.T) {
	for _, c := range []struct {
		dt                         ag.DType
		batch, in, hidden, classes int
		rank3                      bool
		wd                         float64 // weight decay
		rtol, atol                 float64
	}{
		// Without weight decay the amd64 kernels' epilogue rounds −η·(xᵀg), then adds w, as
		// Step does (the same bits); a kernel fusing that multiply-add, and weight decay's
		// (1 − ηλ)·w against w − η·(xᵀg + λw), differ by ulps per step, compounding; atol for
		// the values of order 1 that the sums of the biases' gradients cancel to near 0.
		{ag.Float64, 4, 7, 5, 3, false, 0, 1e-12, 1e-14},
		{ag.Float64, 6, 7, 5, 3, true, 0, 1e-12, 1e-14},
		{ag.Float64, 4, 7, 5, 3, false, 0.05, 1e-12, 1e-14},
		{ag.Float64, 64, 100, 64, 10, false, 0, 1e-12, 1e-14}, // products split over the cores
		{ag.Float64, 64, 100, 64, 10, false, 0.05, 1e-12, 1e-14},
		{ag.Float32, 4, 7, 5, 3, false, 0, 1e-5, 1e-6},
		{ag.Float32, 64, 100, 64, 10, true, 0.05, 1e-5, 1e-6},
	} {
		name := fmt.Sprintf("%v/%dx%d-%d-%d/rank3=%v/wd=%g", c.dt, c.batch, c.in, c.hidden, c.classes, c.rank3, c.wd)
		t.Run(name, func(t *testing.T) {
			ref, fused := newFusedNet(c.dt, c.batch, c.in, c.hidden, c.classes, c.rank3), newFusedNet(c.dt, c.batch, c.in, c.hidden, c.classes, c.rank3)
			cfg := SGDConfig{LR: 0.1, WeightDecay: c.wd}
			refOpt, err := NewSGD(ref.params(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			opt, err := NewSGD(fused.params(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			tp, tq := ag.NewTape(), ag.NewTape()
			for step := range 5 {
				tp.Reset()
				if err := ag.Backward(ref.loss(t, tp, nil)); err != nil {
					t.Fatal(err)
				}
				refOpt.Step()
				tq.Reset()
				if err := opt.BackwardStep(fused.loss(t, tq, opt)); err != nil {
					t.Fatal(err)
				}
				for _, w := range []ag.Var{fused.w1, fused.w2} {
					if g := w.Grad(); !g.IsNil() {
						t.Fatalf("step %d: a fused weight %v has a gradient %v, want the zero Var", step, w.Shape(), g)
					}
				}
				for i, b := range []ag.Var{fused.b1, fused.b2} {
					want := []ag.Var{ref.b1, ref.b2}[i].Grad().Float64s()
					if d := cmp.Diff(want, b.Grad().Float64s(), cmpopts.EquateApprox(c.rtol, c.atol)); d != "" {
						t.Fatalf("step %d: bias %d gradient (-Backward +BackwardStep):\n%s", step, i, d)
					}
				}
				if d := cmp.Diff(values(ref.params()), values(fused.params()), cmpopts.EquateApprox(c.rtol, c.atol)); d != "" {
					t.Fatalf("step %d: parameters (-Backward,Step +BackwardStep):\n%s", step, d)
				}
				refOpt.ZeroGrad()
				opt.ZeroGrad()
			}
		})
	}
}

// TestBackwardStepFallsBack checks the cases where BackwardStep must not fuse a weight, each
// against Backward and Step on a copy: the weight then collects its gradient as usual.
func TestBackwardStepFallsBack(t *testing.T) {
	for _, c := range []struct {
		name    string
		cfg     SGDConfig
		twice   bool // the loss sums two forward passes: two products per weight
		penalty bool // the loss adds Σ W1² + Σ W2² (also read by Mul)
		view    bool // the loss adds Σ Reshape(W1) + Σ Reshape(W2) (read through a view)
		accum   bool // an ordinary Backward first, as with gradient accumulation over batches
	}{
		{"momentum", SGDConfig{LR: 0.1, Momentum: 0.9}, false, false, false, false},
		{"two products", SGDConfig{LR: 0.1}, true, false, false, false},
		{"penalty", SGDConfig{LR: 0.1}, false, true, false, false},
		{"view", SGDConfig{LR: 0.1}, false, false, true, false},
		{"gradient accumulated", SGDConfig{LR: 0.1}, false, false, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref, fused := newFusedNet(ag.Float64, 4, 7, 5, 3, false), newFusedNet(ag.Float64, 4, 7, 5, 3, false)
			refOpt, err := NewSGD(ref.params(), c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			opt, err := NewSGD(fused.params(), c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			lossOf := func(n *fusedNet, tp *ag.Tape, f ops.SGDFuser) ag.Var {
				l := n.loss(t, tp, f)
				if c.twice {
					l = ops.Add(l, n.loss(t, tp, f))
				}
				for _, w := range []ag.Var{n.w1, n.w2} {
					if c.penalty {
						l = ops.Add(ops.Sum(ops.Mul(w, w)), l) // recorded after the product
					}
					if c.view {
						l = ops.Add(l, ops.Sum(ops.Reshape(w, -1)))
					}
				}
				return l
			}
			tp, tq := ag.NewTape(), ag.NewTape()
			for step := range 3 {
				tp.Reset()
				l := lossOf(ref, tp, nil)
				if err := ag.Backward(l); err != nil {
					t.Fatal(err)
				}
				if c.accum {
					tp.Reset()
					if err := ag.Backward(ref.loss(t, tp, nil)); err != nil {
						t.Fatal(err)
					}
				}
				refOpt.Step()
				tq.Reset()
				l = lossOf(fused, tq, opt)
				if c.accum {
					if err := ag.Backward(l); err != nil {
						t.Fatal(err)
					}
					tq.Reset()
					l = fused.loss(t, tq, opt)
				}
				if err := opt.BackwardStep(l); err != nil {
					t.Fatal(err)
				}
				if fused.w1.Grad().IsNil() || fused.w2.Grad().IsNil() {
					t.Fatalf("step %d: a weight has no gradient: it was fused", step)
				}
				// Nothing was fused: the same operations in the same order, the same bits.
				if d := cmp.Diff(values(ref.params()), values(fused.params())); d != "" {
					t.Fatalf("step %d: parameters (-Backward,Step +BackwardStep):\n%s", step, d)
				}
				refOpt.ZeroGrad()
				opt.ZeroGrad()
			}
		})
	}
}

// TestMatMulSGDOrdinaryPasses checks that outside BackwardStep a MatMulSGD product is MatMul:
// Backward collects the same gradients bit for bit and leaves the weight alone, autograd.Grad
// does too, and CheckGrad agrees at orders 1 and 2.
func TestMatMulSGDOrdinaryPasses(t *testing.T) {
	ref, fused := newFusedNet(ag.Float64, 4, 7, 5, 3, false), newFusedNet(ag.Float64, 4, 7, 5, 3, false)
	opt, err := NewSGD(fused.params(), SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	before := values(fused.params())
	tp, tq := ag.NewTape(), ag.NewTape()
	if err := ag.Backward(ref.loss(t, tp, nil)); err != nil {
		t.Fatal(err)
	}
	if err := ag.Backward(fused.loss(t, tq, opt)); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(values(before2(ref.params())), values(before2(fused.params()))); d != "" {
		t.Errorf("Backward: gradients (-MatMul +MatMulSGD):\n%s", d)
	}
	if d := cmp.Diff(before, values(fused.params())); d != "" {
		t.Errorf("Backward changed the parameters (-before +after):\n%s", d)
	}
	tq.Reset()
	gs, err := ag.Grad([]ag.Var{fused.loss(t, tq, opt)}, []ag.Var{fused.w1})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ref.w1.Grad().Float64s(), gs[0].Float64s()); d != "" {
		t.Errorf("Grad: ∂W1 (-MatMul +MatMulSGD):\n%s", d)
	}
	if d := cmp.Diff(before, values(fused.params())); d != "" {
		t.Errorf("Grad changed the parameters (-before +after):\n%s", d)
	}
	f := func(xs ...ag.Var) ag.Var { return ops.Sum(ops.Tanh(ops.MatMulSGD(xs[0], xs[1], opt))) }
	for _, in := range [][]ag.Var{
		{ag.NewParam([]float64{0.1, -0.7, 0.3, 0.9, -0.2, 0.5}, 2, 3), ag.NewParam([]float64{0.4, -0.1, 0.8, -0.6, 0.2, 0.3}, 3, 2)},
		{ag.NewParam([]float64{0.1, -0.7, 0.3, 0.9, -0.2, 0.5}, 2, 1, 3), ag.NewParam([]float64{0.4, -0.1, 0.8}, 3, 1)},
	} {
		if err := ag.CheckGrad(f, in, ag.Order(2)); err != nil {
			t.Errorf("CheckGrad of MatMulSGD %v x %v: %v", in[0].Shape(), in[1].Shape(), err)
		}
	}
}

// before2 returns the parameters' gradients.
func before2(ps []ag.Var) []ag.Var {
	out := make([]ag.Var, len(ps))
	for i, p := range ps {
		out[i] = p.Grad()
	}
	return out
}

// TestMatMulSGDMisuse checks MatMulSGD's panics: each names the op and the fault.
func TestMatMulSGDMisuse(t *testing.T) {
	w := ag.NewParam([]float64{1, 2, 3, 4, 5, 6}, 3, 2)
	opt, err := NewSGD([]ag.Var{w}, SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	tp := ag.NewTape()
	for _, c := range []struct {
		name string
		x, w ag.Var
		f    ops.SGDFuser
		want error
	}{
		{"nil fuser", tp.Const([]float64{1, 2, 3}, 1, 3), w, nil, ag.ErrValue},
		{"vector x", tp.Const([]float64{1, 2, 3}, 3), w, opt, ag.ErrShape},
		{"3-D w", tp.Const([]float64{1, 2, 3}, 1, 3), ag.NewParam([]float64{1, 2, 3}, 1, 3, 1), opt, ag.ErrShape},
		{"inner dimensions", tp.Const([]float64{1, 2}, 1, 2), w, opt, ag.ErrShape},
		{"nil x", ag.Var{}, w, opt, ag.ErrNilVar},
	} {
		err := ag.Maybe(func() { ops.MatMulSGD(c.x, c.w, c.f) })
		var e *ag.Error
		if !errors.Is(err, c.want) || !errors.As(err, &e) || e.Op != "ops.MatMulSGD" && e.Op != "ops.MatMul" {
			t.Errorf("%s: error %v, want one wrapping %v from ops.MatMulSGD", c.name, err, c.want)
		}
	}
}

// TestBackwardStepErrors checks that BackwardStep returns Backward's errors, and that after a
// failed pass an ordinary Backward collects the weights' gradients (the fusion is disarmed).
func TestBackwardStepErrors(t *testing.T) {
	n := newFusedNet(ag.Float64, 4, 7, 5, 3, false)
	opt, err := NewSGD(n.params(), SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	tp := ag.NewTape()
	for _, c := range []struct {
		name string
		loss ag.Var
		want error
	}{
		{"nil loss", ag.Var{}, ag.ErrNilVar},
		{"constant loss", tp.Const([]float64{1}, 1), ag.ErrValue},
		{"non-scalar loss", ops.MatMulSGD(tp.Const(n.x, 4, 7), n.w1, opt), ag.ErrSeed},
	} {
		if err := opt.BackwardStep(c.loss); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want one wrapping %v", c.name, err, c.want)
		}
	}
	before := n.w1.Float64s()
	if err := ag.Backward(n.loss(t, tp, opt)); err != nil {
		t.Fatal(err)
	}
	if n.w1.Grad().IsNil() || n.w2.Grad().IsNil() {
		t.Errorf("Backward after failed BackwardSteps: a weight has no gradient; it was fused")
	}
	if d := cmp.Diff(before, n.w1.Float64s()); d != "" {
		t.Errorf("Backward after failed BackwardSteps changed W1 (-before +after):\n%s", d)
	}
}
