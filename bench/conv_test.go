package bench

import (
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// convShape is one Conv2d workload: batch n, in → out channels, a k×k kernel with padding pad on
// h×w images (stride 1, no dilation, one group), and whether the input needs a gradient (every
// layer of a network but the first).
type convShape struct {
	name                   string
	n, in, out, k, pad, hw int
	inputGrad              bool
}

// convShapes are the two convolutions of PyTorch's examples/mnist network at batch 64, and a
// ResNet-style 64→64 3×3 layer on 56×56 at batch 8. bench/peers/torch/conv.py has the same list.
var convShapes = []convShape{
	{"mnist1", 64, 1, 32, 3, 0, 28, false},
	{"mnist2", 64, 32, 64, 3, 0, 26, true},
	{"resnet56", 8, 64, 64, 3, 1, 56, true},
}

// flops returns the floating-point operations of one forward and backward pass: one product of
// 2·n·out·in·k²·oh·ow flops each for the output, the weight gradient and, when needed, the input
// gradient (the bias gradient, a sum, is not counted).
func (c convShape) flops() float64 {
	o := c.hw + 2*c.pad - c.k + 1
	products := 2.0
	if c.inputGrad {
		products = 3
	}
	return products * 2 * float64(c.n*c.out*c.in*c.k*c.k*o*o)
}

// BenchmarkConv2d: loss = sum(conv2d(x, W) + b), forward and backward, gradients for W and b
// and, past a network's first layer, for x; x uniform in [0, 1), W and b from PyTorch's default
// initialisation bounds. Reports GFLOP/s (see convShape.flops).
func BenchmarkConv2d(b *testing.B) {
	for _, c := range convShapes {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			b.Run(c.name+"/"+short(dt), func(b *testing.B) { convStep(b, c, dt) })
		}
	}
}

func convStep(b *testing.B, c convShape, dt ag.DType) {
	bound := 1 / math.Sqrt(float64(c.in*c.k*c.k))
	xs := randSlice(30, c.n*c.in*c.hw*c.hw, 0, 1)
	ws := randSlice(31, c.out*c.in*c.k*c.k, -bound, bound)
	bs := randSlice(32, c.out, -bound, bound)
	x32 := to32(xs)
	var w, bias ag.Var
	if dt == ag.Float32 {
		w, bias = ag.NewParam32(to32(ws), c.out, c.in, c.k, c.k), ag.NewParam32(to32(bs), c.out)
	} else {
		w, bias = ag.NewParam(ws, c.out, c.in, c.k, c.k), ag.NewParam(bs, c.out)
	}
	one, pad := [2]int{1, 1}, [2]int{c.pad, c.pad}
	tp := ag.NewTape()
	step := func() {
		tp.Reset()
		var x ag.Var
		switch {
		case c.inputGrad && dt == ag.Float32:
			x = tp.Variable32(x32, c.n, c.in, c.hw, c.hw)
		case c.inputGrad:
			x = tp.Variable(xs, c.n, c.in, c.hw, c.hw)
		case dt == ag.Float32:
			x = tp.Wrap32(x32, c.n, c.in, c.hw, c.hw)
		default:
			x = tp.Wrap(xs, c.n, c.in, c.hw, c.hw)
		}
		if err := ag.Backward(ops.Sum(ops.Conv2d(x, w, bias, one, pad, one, 1))); err != nil {
			b.Fatal(err)
		}
		ag.ZeroGrad(w, bias)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
	gflops(b, c.flops())
}
