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

// BenchmarkMatMul: one product C = A·B of random n×n matrices (2n³ flops), the operands wrapped
// as constants of the step.
func BenchmarkMatMul(b *testing.B) {
	squareBench(b, 2, func(tp *ag.Tape, a, c ag.Var) {
		if a.DType() == ag.Float32 {
			ops.MatMul(tp.Wrap32(a.Data32(), a.Shape()...), tp.Wrap32(c.Data32(), c.Shape()...))
		} else {
			ops.MatMul(tp.Wrap(a.Data64(), a.Shape()...), tp.Wrap(c.Data64(), c.Shape()...))
		}
	})
}

// BenchmarkMatMulFwdBwd: C = A·B, loss = sum(C), forward plus backward: three products (6n³
// flops).
func BenchmarkMatMulFwdBwd(b *testing.B) {
	squareBench(b, 6, func(tp *ag.Tape, a, c ag.Var) {
		x := ops.Add(a, tp.Zeros(a.DType())) // puts the step on tp (A·B of two parameters would not be)
		if err := ag.Backward(ops.Sum(ops.MatMul(x, c))); err != nil {
			b.Fatal(err)
		}
		ag.ZeroGrad(a, c)
	})
}

// squareBench runs step on random n×n parameters for every size and dtype, resetting the tape
// before each step, and reports flopsPerN3·n³ flops per step as GFLOP/s.
func squareBench(b *testing.B, flopsPerN3 float64, step func(tp *ag.Tape, a, c ag.Var)) {
	for _, n := range matmulSizes {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			b.Run(fmt.Sprintf("n=%d/%s", n, short(dt)), func(b *testing.B) {
				a, c := squareParams(n, dt)
				tp := ag.NewTape()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					tp.Reset()
					step(tp, a, c)
				}
				gflops(b, flopsPerN3*float64(n)*float64(n)*float64(n))
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
