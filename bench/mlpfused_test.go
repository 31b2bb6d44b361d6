package bench

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// BenchmarkMLPStepFused is BenchmarkMLPStep with the opt-in fused update: both weights go
// through ops.MatMulSGD and the step is optim.SGD.BackwardStep, so each weight's update is the
// β = 1 epilogue of the GEMM that computes its gradient, and no weight gradient is stored.
func BenchmarkMLPStepFused(b *testing.B) {
	b.Run("f64", func(b *testing.B) { runSteps(b, fusedMLPStepper(b, ag.Float64)) })
	b.Run("f32", func(b *testing.B) { runSteps(b, fusedMLPStepper(b, ag.Float32)) })
}

// fusedMLPStepper returns BenchmarkMLPStepFused's step in dtype dt: the model, data and
// learning rate of mlpStepper.
func fusedMLPStepper(tb testing.TB, dt ag.DType) func() {
	step, _ := fusedMLP(tb, dt)
	return step
}

// fusedMLP returns fusedMLPStepper's step and the model's parameters.
func fusedMLP(tb testing.TB, dt ag.DType) (func(), []ag.Var) {
	m := newMLPModel(dt)
	l1, l2, params := m.l1, m.l2, m.params()
	sgd, err := optim.NewSGD(params, optim.SGDConfig{LR: 0.01})
	if err != nil {
		tb.Fatal(err)
	}
	layer := func(x ag.Var, d dense) ag.Var { return ops.Add(ops.MatMulSGD(x, d.w, sgd), d.b) }
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		x := m.input(tp)
		l, err := losses.CrossEntropy(layer(ops.ReLU(layer(x, l1)), l2), m.labels)
		if err != nil {
			tb.Fatal(err)
		}
		if err := sgd.BackwardStep(l); err != nil {
			tb.Fatal(err)
		}
		if !l1.w.Grad().IsNil() || !l2.w.Grad().IsNil() {
			tb.Fatal("a weight has a gradient after BackwardStep: its update was not fused")
		}
		sgd.ZeroGrad()
	}, params
}

// TestMLPStepFusedMatchesPlain runs five steps of BenchmarkMLPStepFused's model and of a copy
// trained by Backward and Step (the model of BenchmarkMLPStep) and compares the parameters: the
// benchmarks' shapes, whose products are split over the cores.
func TestMLPStepFusedMatchesPlain(t *testing.T) {
	for _, c := range []struct {
		dt   ag.DType
		rtol float64
	}{
		// The amd64 kernels' epilogue rounds −η·(xᵀg), then adds w, as Step does: the same
		// bits. Kernels that fuse the multiply-add there may differ by an ulp per step.
		{ag.Float64, 1e-12},
		{ag.Float32, 1e-5},
	} {
		fused, params := fusedMLP(t, c.dt)
		const batch, in, hidden, classes = 64, 784, 256, 10
		l1, l2 := newDense(10, in, hidden, c.dt), newDense(11, hidden, classes, c.dt)
		xs := randSlice(12, batch*in, 0, 1)
		labels := make([]int, batch)
		for i, u := range randSlice(13, batch, 0, classes) {
			labels[i] = int(u)
		}
		plain := trainingStep(t, 0.01, []ag.Var{l1.w, l1.b, l2.w, l2.b}, func(tp *ag.Tape) (ag.Var, error) {
			x := tp.Wrap(xs, batch, in)
			if c.dt == ag.Float32 {
				x = tp.Wrap32(to32(xs), batch, in)
			}
			return losses.CrossEntropy(l2.forward(ops.ReLU(l1.forward(x))), labels)
		})
		for range 5 {
			fused()
			plain()
		}
		for i, p := range []ag.Var{l1.w, l1.b, l2.w, l2.b} {
			// atol: biases start at 0 and some weights pass near it.
			if d := cmp.Diff(p.Float64s(), params[i].Float64s(), cmpopts.EquateApprox(c.rtol, c.rtol/100)); d != "" {
				t.Errorf("%v: parameter %d after 5 steps (-plain +fused):\n%s", c.dt, i, d)
			}
		}
	}
}
