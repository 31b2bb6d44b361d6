package bench

import (
	"testing"

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
	const batch, in, hidden, classes = 64, 784, 256, 10
	l1, l2 := newDense(10, in, hidden, dt), newDense(11, hidden, classes, dt)
	xs := randSlice(12, batch*in, 0, 1)
	x32 := to32(xs)
	labels := make([]int, batch)
	for i, u := range randSlice(13, batch, 0, classes) {
		labels[i] = int(u)
	}
	sgd, err := optim.NewSGD([]ag.Var{l1.w, l1.b, l2.w, l2.b}, optim.SGDConfig{LR: 0.01})
	if err != nil {
		tb.Fatal(err)
	}
	layer := func(x ag.Var, d dense) ag.Var { return ops.Add(ops.MatMulSGD(x, d.w, sgd), d.b) }
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		var x ag.Var
		if dt == ag.Float32 {
			x = tp.Wrap32(x32, batch, in)
		} else {
			x = tp.Wrap(xs, batch, in)
		}
		l, err := losses.CrossEntropy(layer(ops.ReLU(layer(x, l1)), l2), labels)
		if err != nil {
			tb.Fatal(err)
		}
		if err := sgd.BackwardStep(l); err != nil {
			tb.Fatal(err)
		}
		sgd.ZeroGrad()
	}
}
