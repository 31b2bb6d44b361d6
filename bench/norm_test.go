package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// BenchmarkLayerNorm: loss = sum(LayerNorm(x)) over a 4096×1024 batch normalised along its rows
// (torch.nn.LayerNorm(1024)), forward plus backward, with x, the scale and the shift all
// receiving gradients. The PyTorch peer is bench/peers/torch/norm.py.
func BenchmarkLayerNorm(b *testing.B) {
	b.Run("4096x1024/f64", func(b *testing.B) { layerNorm(b, 4096, 1024, ag.Float64) })
	b.Run("4096x1024/f32", func(b *testing.B) { layerNorm(b, 4096, 1024, ag.Float32) })
}

func layerNorm(b *testing.B, rows, cols int, dt ag.DType) {
	xs := randSlice(1, rows*cols, -1, 1)
	x32 := to32(xs)
	ln := layers.NewLayerNorm([]int{cols}, layers.WithDType(dt))
	params := layers.Params(ln)
	tp := ag.NewTape()
	// x is a variable of the tape, so that it gets a gradient as torch's x.requires_grad_()
	// does; making it copies the batch (about 1% of the step).
	input := func() ag.Var { return tp.Variable(xs, rows, cols) }
	if dt == ag.Float32 {
		input = func() ag.Var { return tp.Variable32(x32, rows, cols) }
	}
	step := func() {
		tp.Reset()
		loss := ops.Sum(ln.Forward(input()))
		if err := ag.Backward(loss); err != nil {
			b.Fatal(err)
		}
		ag.ZeroGrad(params...)
	}
	// Warm-up, as in a training loop and as the torch peer: the first step sizes the tape's
	// buffers, the second merges them into one and touches its pages.
	step()
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	perUnit(b, rows*cols, "ns/elem")
}

// BenchmarkBatchNorm2d: loss = sum(BatchNorm2d(x)) in training mode over a batch of 64 images of
// 32 channels of 26×26 (the input of PyTorch's examples/mnist second convolution; torch.nn.
// BatchNorm2d(32)), float32, forward plus backward, with x, the scale and the shift receiving
// gradients. The PyTorch peer is bench/peers/torch/norm.py.
func BenchmarkBatchNorm2d(b *testing.B) {
	const n, c, h, w = 64, 32, 26, 26
	x := to32(randSlice(1, n*c*h*w, -1, 1))
	bn := layers.NewBatchNorm2d(c, layers.WithDType(ag.Float32))
	params := layers.Params(bn)
	tp := ag.NewTape()
	step := func() {
		tp.Reset()
		loss := ops.Sum(bn.Forward(tp.Variable32(x, n, c, h, w)))
		if err := ag.Backward(loss); err != nil {
			b.Fatal(err)
		}
		ag.ZeroGrad(params...)
	}
	stepBench(b, step, n*c*h*w, "ns/elem")
}
