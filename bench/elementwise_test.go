package bench

import (
	"fmt"
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

var elementwiseSizes = []int{1_000, 100_000, 1_000_000}

// BenchmarkElementwise: loss = sum(sigmoid(x·w + b)) over n elements, forward plus backward,
// with w and b parameters.
func BenchmarkElementwise(b *testing.B) {
	for _, n := range elementwiseSizes {
		b.Run(fmt.Sprintf("n=%d/f64", n), func(b *testing.B) { elementwise(b, n, ag.Float64) })
		b.Run(fmt.Sprintf("n=%d/f32", n), func(b *testing.B) { elementwise(b, n, ag.Float32) })
	}
}

func elementwise(b *testing.B, n int, dt ag.DType) {
	xs, ws, bs := randSlice(1, n, -1, 1), randSlice(2, n, -1, 1), randSlice(3, n, -1, 1)
	var w, c ag.Var
	tp := ag.NewTape()
	constant := func() ag.Var { return tp.Wrap(xs) }
	if dt == ag.Float32 {
		w, c = ag.NewParam32(to32(ws), n), ag.NewParam32(to32(bs), n)
		x32 := to32(xs)
		constant = func() ag.Var { return tp.Wrap32(x32) }
	} else {
		w, c = ag.NewParam(ws, n), ag.NewParam(bs, n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tp.Reset()
		loss := ops.Sum(ops.Sigmoid(ops.Add(ops.Mul(constant(), w), c)))
		if err := ag.Backward(loss); err != nil {
			b.Fatal(err)
		}
		ag.ZeroGrad(w, c)
	}
	perUnit(b, n, "ns/elem")
}

// BenchmarkElementwiseLoop is the same forward and backward as a hand-written Go loop over the
// same float64 slices: the baseline for the engine's elementwise overhead.
func BenchmarkElementwiseLoop(b *testing.B) {
	for _, n := range elementwiseSizes {
		b.Run(fmt.Sprintf("n=%d/f64", n), func(b *testing.B) {
			x, w, c := randSlice(1, n, -1, 1), randSlice(2, n, -1, 1), randSlice(3, n, -1, 1)
			y := make([]float64, n)
			gw, gc := make([]float64, n), make([]float64, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				loss := 0.0
				for j := range y {
					y[j] = 1 / (1 + math.Exp(-(x[j]*w[j] + c[j])))
					loss += y[j]
				}
				for j := range y {
					d := y[j] * (1 - y[j])
					gw[j] += d * x[j]
					gc[j] += d
				}
				clear(gw)
				clear(gc)
				_ = loss
			}
			perUnit(b, n, "ns/elem")
		})
	}
}
