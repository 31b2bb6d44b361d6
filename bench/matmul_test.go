package bench

import (
	"fmt"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

var matmulSizes = []int{64, 256, 512, 1024}

func squareParams(n int, dt ag.DType) (a, c ag.Var) {
	as, bs := randSlice(4, n*n, -1, 1), randSlice(5, n*n, -1, 1)
	if dt == ag.Float32 {
		return ag.NewParam32(to32(as), n, n), ag.NewParam32(to32(bs), n, n)
	}
	return ag.NewParam(as, n, n), ag.NewParam(bs, n, n)
}

// BenchmarkMatMul: one product C = A·B of random n×n matrices (2n³ flops).
func BenchmarkMatMul(b *testing.B) {
	for _, n := range matmulSizes {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			b.Run(fmt.Sprintf("n=%d/%s", n, short(dt)), func(b *testing.B) {
				a, c := squareParams(n, dt)
				tp := ag.NewTape()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					tp.Reset()
					tp.NoGrad(func() { ops.MatMul(ops.Reshape(a, n, n), c) })
				}
				gflops(b, 2*float64(n)*float64(n)*float64(n))
			})
		}
	}
}

// BenchmarkMatMulFwdBwd: C = A·B, loss = sum(C), forward plus backward: three products (6n³
// flops).
func BenchmarkMatMulFwdBwd(b *testing.B) {
	for _, n := range matmulSizes {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			b.Run(fmt.Sprintf("n=%d/%s", n, short(dt)), func(b *testing.B) {
				a, c := squareParams(n, dt)
				tp := ag.NewTape()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					tp.Reset()
					x := tp.Zeros(dt) // puts the step on tp
					loss := ops.Sum(ops.MatMul(ops.Add(a, x), c))
					if err := ag.Backward(loss); err != nil {
						b.Fatal(err)
					}
					ag.ZeroGrad(a, c)
				}
				gflops(b, 6*float64(n)*float64(n)*float64(n))
			})
		}
	}
}

func short(dt ag.DType) string {
	if dt == ag.Float32 {
		return "f32"
	}
	return "f64"
}
