package bench

import (
	"math/rand/v2"
	"runtime"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// mnistCNN is the network of PyTorch's examples/mnist: conv 1→32 3×3, ReLU, conv 32→64 3×3,
// ReLU, max-pool 2, dropout 0.25, flatten, fc 9216→128, ReLU, dropout 0.5, fc 128→10.
type mnistCNN struct {
	conv1, conv2 *layers.Conv2d
	pool         *layers.MaxPool2d
	drop1, drop2 *layers.Dropout
	flat         *layers.Flatten
	fc1, fc2     *layers.Linear
}

func newMNISTCNN(dt ag.DType) *mnistCNN {
	o := func(seed uint64) []layers.Option {
		return []layers.Option{layers.WithSeed(seed), layers.WithDType(dt)}
	}
	return &mnistCNN{
		conv1: layers.NewConv2d(1, 32, 3, o(40)...),
		conv2: layers.NewConv2d(32, 64, 3, o(41)...),
		pool:  layers.NewMaxPool2d(2),
		drop1: layers.NewDropout(0.25, rand.New(rand.NewPCG(42, 1))),
		drop2: layers.NewDropout(0.5, rand.New(rand.NewPCG(43, 1))),
		flat:  layers.NewFlatten(),
		fc1:   layers.NewLinear(9216, 128, o(44)...),
		fc2:   layers.NewLinear(128, 10, o(45)...),
	}
}

func (m *mnistCNN) forward(x ag.Var) ag.Var {
	x = ops.ReLU(m.conv1.Forward(x))
	x = ops.ReLU(m.conv2.Forward(x))
	x = m.drop1.Forward(m.pool.Forward(x))
	x = ops.ReLU(m.fc1.Forward(m.flat.Forward(x)))
	return m.fc2.Forward(m.drop2.Forward(x))
}

func (m *mnistCNN) params() []ag.Var {
	return []ag.Var{m.conv1.Weight, m.conv1.Bias, m.conv2.Weight, m.conv2.Bias,
		m.fc1.Weight, m.fc1.Bias, m.fc2.Weight, m.fc2.Bias}
}

// cnnStepper returns one training step of mnistCNN at batch 64 on random images and labels from
// a fixed seed: reset the tape, forward, cross-entropy, Backward, an Adam step (lr 1e-3) and
// ZeroGrad, PyTorch's examples/mnist loop with its zero_grad moved from the start of a step to the
// end of the one before. ZeroGrad before the next Reset releases the gradients Backward lent to
// the parameters from the tape, which Reset would otherwise copy out.
func cnnStepper(tb testing.TB, dt ag.DType) func() {
	const batch, classes = 64, 10
	m := newMNISTCNN(dt)
	adam, err := optim.NewAdam(m.params(), optim.AdamConfig{LR: 1e-3})
	if err != nil {
		tb.Fatal(err)
	}
	xs := randSlice(46, batch*28*28, 0, 1)
	x32 := to32(xs)
	labels := make([]int, batch)
	for i, u := range randSlice(47, batch, 0, classes) {
		labels[i] = int(u)
	}
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		var x ag.Var
		if dt == ag.Float32 {
			x = tp.Wrap32(x32, batch, 1, 28, 28)
		} else {
			x = tp.Wrap(xs, batch, 1, 28, 28)
		}
		loss, err := losses.CrossEntropy(m.forward(x), labels)
		if err != nil {
			tb.Fatal(err)
		}
		if err := ag.Backward(loss); err != nil {
			tb.Fatal(err)
		}
		adam.Step()
		adam.ZeroGrad()
	}
}

// BenchmarkCNNStep: one training step of PyTorch's examples/mnist CNN at batch 64 (see
// cnnStepper), after warmUp.
func BenchmarkCNNStep(b *testing.B) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		b.Run(short(dt), func(b *testing.B) {
			step := cnnStepper(b, dt)
			warmUp(step)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
		})
	}
}

// TestCNNStepAllocatesNothing checks that a steady step of BenchmarkCNNStep's training loop,
// parallel kernels included, allocates nothing: none in AllocsPerRun's steps, and at most
// strayBytes over the steps in which the pool's sites first try running their loops alone (the
// 16th loop of each site, then 5 loops), where a GEMM run alone for the first time grew a packing
// buffer by megabytes before its stock reserved the buffers of the serial run (internal/gemm).
// The Go runtime's own allocations, which parking the pool's workers makes now and then (112
// bytes each), are what strayBytes leaves room for.
func TestCNNStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	if testing.Short() {
		t.Skip("a CNN step at batch 64 takes a tenth of a second")
	}
	const triesDone, strayBytes = 24, 16 << 10
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		step := cnnStepper(t, dt)
		step()
		step()
		if allocs := testing.AllocsPerRun(3, step); allocs > 0 {
			t.Errorf("%v: a steady CNN step allocates %v times, want 0", dt, allocs)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range triesDone {
			step()
		}
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > strayBytes {
			t.Errorf("%v: steps 7 to %d allocated %d bytes, want at most %d", dt, 6+triesDone, got, strayBytes)
		}
	}
}
