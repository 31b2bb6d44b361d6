package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// BenchmarkGELU: GELU over the transformer benchmark's hidden activations, a 2048×1024 float32
// batch of values in [−3, 3]: fwd is the forward pass alone on the batch wrapped without a copy,
// fwdbwd the forward pass, loss = sum and the backward pass to x, a variable of the tape (a copy
// of the batch, about 0.85 ms here, that torch's peer, bench/peers/torch/activation.py, does not
// make). ns per element.
func BenchmarkGELU(b *testing.B) {
	const rows, cols = 2048, 1024
	x := to32(randSlice(1, rows*cols, -3, 3))
	tp := ag.NewTape()
	b.Run("2048x1024/f32/fwd", func(b *testing.B) {
		step := func() {
			tp.Reset()
			ops.GELU(tp.Wrap32(x, rows, cols))
		}
		stepBench(b, step, rows*cols, "ns/elem")
	})
	b.Run("2048x1024/f32/fwdbwd", func(b *testing.B) {
		step := func() {
			tp.Reset()
			if err := ag.Backward(ops.Sum(ops.GELU(tp.Variable32(x, rows, cols)))); err != nil {
				b.Fatal(err)
			}
		}
		stepBench(b, step, rows*cols, "ns/elem")
	})
}
