package bench

import (
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// dense is one fully connected layer, y = x·W + b.
type dense struct{ w, b ag.Var }

func newDense(seed uint64, in, out int, dt ag.DType) dense {
	lim := math.Sqrt(6 / float64(in+out)) // Glorot uniform
	w, b := randSlice(seed, in*out, -lim, lim), make([]float64, out)
	if dt == ag.Float32 {
		return dense{ag.NewParam32(to32(w), in, out), ag.NewParam32(to32(b), out)}
	}
	return dense{ag.NewParam(w, in, out), ag.NewParam(b, out)}
}

func (d dense) forward(x ag.Var) ag.Var { return ops.Affine(x, d.w, d.b) } // as layers.Linear

// composite is forward written with the two ops Affine fuses, as the benchmarks did before it.
func (d dense) composite(x ag.Var) ag.Var { return ops.Add(ops.MatMul(x, d.w), d.b) }

// BenchmarkMLPStep: one training step of a 784-256-10 MLP (ReLU, softmax cross-entropy, batch
// 64, plain SGD with lr 0.01) on random data from a fixed seed.
func BenchmarkMLPStep(b *testing.B) {
	b.Run("f64", func(b *testing.B) { mlpStep(b, ag.Float64) })
	b.Run("f32", func(b *testing.B) { mlpStep(b, ag.Float32) })
}

func mlpStep(b *testing.B, dt ag.DType) { runSteps(b, mlpStepper(b, dt)) }

// mlpStepper returns BenchmarkMLPStep's step in dtype dt.
func mlpStepper(tb testing.TB, dt ag.DType) func() {
	m := newMLPModel(dt)
	return trainingStep(tb, 0.01, m.params(), func(tp *ag.Tape) (ag.Var, error) {
		return losses.CrossEntropy(m.l2.forward(ops.ReLU(m.l1.forward(m.input(tp)))), m.labels)
	})
}

// mlpModel is BenchmarkMLPStep's model and data: a 784-256-10 MLP and a batch of 64 random
// inputs and labels, all from fixed seeds.
type mlpModel struct {
	l1, l2 dense
	xs     []float64
	x32    []float32
	labels []int
	dt     ag.DType
}

const mlpBatch, mlpIn, mlpHidden, mlpClasses = 64, 784, 256, 10

func newMLPModel(dt ag.DType) mlpModel {
	m := mlpModel{l1: newDense(10, mlpIn, mlpHidden, dt), l2: newDense(11, mlpHidden, mlpClasses, dt), dt: dt}
	m.xs = randSlice(12, mlpBatch*mlpIn, 0, 1)
	m.x32 = to32(m.xs)
	m.labels = make([]int, mlpBatch)
	for i, u := range randSlice(13, mlpBatch, 0, mlpClasses) {
		m.labels[i] = int(u)
	}
	return m
}

// input wraps the batch's inputs on tp.
func (m mlpModel) input(tp *ag.Tape) ag.Var {
	if m.dt == ag.Float32 {
		return tp.Wrap32(m.x32, mlpBatch, mlpIn)
	}
	return tp.Wrap(m.xs, mlpBatch, mlpIn)
}

func (m mlpModel) params() []ag.Var { return []ag.Var{m.l1.w, m.l1.b, m.l2.w, m.l2.b} }

// BenchmarkXORStep: one training step of a 2-4-1 sigmoid MLP with MSE over the four XOR rows,
// SGD with lr 0.5, each layer one ops.Affine as in layers.Linear.
func BenchmarkXORStep(b *testing.B) {
	b.Run("f64", func(b *testing.B) { runSteps(b, xorStepper(b)) })
}

// BenchmarkXORStepComposite is BenchmarkXORStep with each layer written Add(MatMul(x, W), b),
// two nodes where ops.Affine (and layers.Linear) record one.
func BenchmarkXORStepComposite(b *testing.B) {
	b.Run("f64", func(b *testing.B) { runSteps(b, xorStepperWith(b, dense.composite)) })
}

// xorStepper returns BenchmarkXORStep's step.
func xorStepper(tb testing.TB) func() { return xorStepperWith(tb, dense.forward) }

// xorStepperWith returns the XOR step with layers computed by layer.
func xorStepperWith(tb testing.TB, layer func(dense, ag.Var) ag.Var) func() {
	l1, l2 := newDense(20, 2, 4, ag.Float64), newDense(21, 4, 1, ag.Float64)
	xs := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	ts := []float64{0, 1, 1, 0}
	return trainingStep(tb, 0.5, []ag.Var{l1.w, l1.b, l2.w, l2.b}, func(tp *ag.Tape) (ag.Var, error) {
		y := ops.Sigmoid(layer(l2, ops.Sigmoid(layer(l1, tp.Wrap(xs, 4, 2)))))
		return losses.MSE(y, tp.Wrap(ts, 4, 1))
	})
}

// trainingStep returns a training step as a user's loop runs it: reset the tape, compute the
// loss, Backward, an SGD update with learning rate lr, ZeroGrad.
func trainingStep(tb testing.TB, lr float64, params []ag.Var, loss func(tp *ag.Tape) (ag.Var, error)) func() {
	sgd, err := optim.NewSGD(params, optim.SGDConfig{LR: lr})
	if err != nil {
		tb.Fatal(err)
	}
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		l, err := loss(tp)
		if err != nil {
			tb.Fatal(err)
		}
		if err := ag.Backward(l); err != nil {
			tb.Fatal(err)
		}
		sgd.Step()
		sgd.ZeroGrad()
	}
}

// runSteps times step after warmUp. A step whose loops the pool could split also reports the
// share of them it ran on one core (alone/loop, see parallel.Counts): a slow run with a high share
// ran with a core missing.
func runSteps(b *testing.B, step func()) {
	warmUp(step)
	b.ReportAllocs()
	s0, a0 := parallel.Counts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	b.StopTimer()
	if s, a := parallel.Counts(); s+a > s0+a0 {
		b.ReportMetric(float64(a-a0)/float64(s+a-s0-a0), "alone/loop")
	}
}

// TestTrainingStepsAllocateNothing checks that steady steps of BenchmarkMLPStep and
// BenchmarkMLPStepFused (both dtypes, parallel kernels included) and BenchmarkXORStep allocate
// nothing.
func TestTrainingStepsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, c := range []struct {
		name string
		step func() // a fresh model's step
	}{
		{"MLPStep/f64", mlpStepper(t, ag.Float64)},
		{"MLPStep/f32", mlpStepper(t, ag.Float32)},
		{"MLPStepFused/f64", fusedMLPStepper(t, ag.Float64)},
		{"MLPStepFused/f32", fusedMLPStepper(t, ag.Float32)},
		{"XORStep/f64", xorStepper(t)},
		{"XORStepComposite/f64", xorStepperWith(t, dense.composite)},
	} {
		c.step()
		c.step()
		if allocs := testing.AllocsPerRun(5, c.step); allocs > 0 {
			t.Errorf("%s: a steady step allocates %v times, want 0", c.name, allocs)
		}
	}
}
