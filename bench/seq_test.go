package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// BenchmarkLSTMStep: one training step's forward and backward of a one-layer LSTM (input 128,
// hidden 256, torch.nn.LSTM(128, 256, batch_first=True)) over a batch of 32 sequences of 64
// steps in float32, loss = sum of the outputs at every step; the input does not need a gradient.
// The PyTorch peer is bench/peers/torch/seq.py.
func BenchmarkLSTMStep(b *testing.B) { seqBench(b, lstmStepper) }

// BenchmarkGRUStep: BenchmarkLSTMStep with a GRU (torch.nn.GRU(128, 256, batch_first=True)),
// composed of ops (Sigmoid, Tanh, Mul, Add) where the LSTM has fused cell kernels.
func BenchmarkGRUStep(b *testing.B) { seqBench(b, gruStepper) }

// BenchmarkTransformerStep: one training step's forward and backward of a pre-norm transformer
// block (width 256, 4 heads, MLP hidden width 1024, GELU, no dropout, causal; torch's
// TransformerEncoderLayer(256, 4, 1024, dropout=0, activation="gelu", batch_first=True,
// norm_first=True) with a causal mask) over a batch of 16 sequences of 128 positions in float32,
// loss = sum of the outputs. The PyTorch peer is bench/peers/torch/seq.py.
func BenchmarkTransformerStep(b *testing.B) { seqBench(b, transformerStepper) }

// BenchmarkTransformerForward is BenchmarkTransformerStep's forward pass and loss alone, recorded
// for a backward pass that does not run, as torch records it with parameters that need
// gradients.
func BenchmarkTransformerForward(b *testing.B) { seqBench(b, transformerForwarder) }

// lstmStepper returns BenchmarkLSTMStep's step and its number of tokens.
func lstmStepper(tb testing.TB) (func(), int) {
	return recurrentStepper(tb, func(in, hidden int) layers.Module {
		return layers.NewLSTM(in, hidden, 1, layers.WithDType(ag.Float32), layers.WithSeed(1))
	})
}

// gruStepper returns BenchmarkGRUStep's step and its number of tokens.
func gruStepper(tb testing.TB) (func(), int) {
	return recurrentStepper(tb, func(in, hidden int) layers.Module {
		return layers.NewGRU(in, hidden, 1, layers.WithDType(ag.Float32), layers.WithSeed(1))
	})
}

// recurrentStepper returns the step of a recurrent layer made by newLayer over a batch of 32
// sequences of 64 steps of 128 features, with 256 hidden units, and its number of tokens.
func recurrentStepper(tb testing.TB, newLayer func(in, hidden int) layers.Module) (func(), int) {
	const batch, seq, in, hidden = 32, 64, 128, 256
	l := newLayer(in, hidden)
	x := to32(randSlice(1, batch*seq*in, -1, 1))
	return seqStepper(tb, l, layers.Params(l), func(tp *ag.Tape) ag.Var { return tp.Const32(x, batch, seq, in) }), batch * seq
}

// transformerStepper returns BenchmarkTransformerStep's step and its number of tokens.
func transformerStepper(tb testing.TB) (func(), int) {
	blk, input, tokens := transformerBench()
	return seqStepper(tb, blk, layers.Params(blk), input), tokens
}

// transformerForwarder returns BenchmarkTransformerForward's forward pass and its number of
// tokens.
func transformerForwarder(testing.TB) (func(), int) {
	blk, input, tokens := transformerBench()
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		ops.Sum(blk.Forward(input(tp)))
	}, tokens
}

// transformerBench returns the transformer benchmarks' block, their input (16 sequences of 128
// positions of width 256) on a tape, and their number of tokens.
func transformerBench() (*layers.TransformerBlock, func(*ag.Tape) ag.Var, int) {
	const batch, seq, width = 16, 128, 256
	blk := layers.NewTransformerBlock(width, 4, 1024, 0, true, layers.WithDType(ag.Float32), layers.WithSeed(1))
	x := to32(randSlice(1, batch*seq*width, -1, 1))
	return blk, func(tp *ag.Tape) ag.Var { return tp.Const32(x, batch, seq, width) }, batch * seq
}

// seqStepper returns one step: reset the tape, forward, loss = sum of the outputs, Backward,
// ZeroGrad (before the next Reset, which ends the parameters' borrow of their gradients).
func seqStepper(tb testing.TB, m layers.Module, params []ag.Var, input func(*ag.Tape) ag.Var) func() {
	tp := ag.NewTape()
	return func() {
		tp.Reset()
		loss := ops.Sum(m.Forward(input(tp)))
		if err := ag.Backward(loss); err != nil {
			tb.Fatal(err)
		}
		ag.ZeroGrad(params...)
	}
}

func seqBench(b *testing.B, stepper func(testing.TB) (func(), int)) {
	step, tokens := stepper(b)
	stepBench(b, step, tokens, "ns/token")
}

// stepBench times step after warmUp and reports its time per unit, of which a step has units.
func stepBench(b *testing.B, step func(), units int, unit string) {
	warmUp(step)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	perUnit(b, units, unit)
}

// TestSeqStepsAllocateNothing checks that steady steps of BenchmarkLSTMStep, BenchmarkGRUStep and
// BenchmarkTransformerStep, parallel kernels included, allocate nothing.
func TestSeqStepsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	if testing.Short() {
		t.Skip("an LSTM or transformer step takes a tenth of a second")
	}
	for _, c := range []struct {
		name    string
		stepper func(testing.TB) (func(), int)
	}{{"LSTMStep", lstmStepper}, {"GRUStep", gruStepper}, {"TransformerStep", transformerStepper}} {
		step, _ := c.stepper(t)
		step()
		step()
		if allocs := testing.AllocsPerRun(3, step); allocs > 0 {
			t.Errorf("%s: a steady step allocates %v times, want 0", c.name, allocs)
		}
	}
}
