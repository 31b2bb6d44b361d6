package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// mlpProducts are the five matrix products of one BenchmarkMLPStep (batch 64, 784-256-10), with
// the shapes and transposition flags ops.MatMul and its derivative rules hand to the GEMM: the
// two forward products X·W1 and H·W2, then backward Hᵀ·G2 (∂W2), G2·W2ᵀ (∂H) and Xᵀ·G1 (∂W1).
// The input X needs no gradient, so Xᵀ's partner G1·W1ᵀ is never computed.
var mlpProducts = []struct {
	transA, transB bool
	m, n, k        int
}{
	{false, false, 64, 256, 784},
	{false, false, 64, 10, 256},
	{true, false, 256, 10, 64},
	{false, true, 64, 256, 10},
	{true, false, 784, 256, 64},
}

// BenchmarkMLPStepGEMMs times the products of BenchmarkMLPStep alone, so that the step's time
// can be stated as a multiple of the time its GEMMs take (issue 16 asks for at most 1.3x).
func BenchmarkMLPStepGEMMs(b *testing.B) {
	b.Run("f64", func(b *testing.B) { runSteps(b, mlpGEMMs(ag.Float64)) })
	b.Run("f32", func(b *testing.B) { runSteps(b, mlpGEMMs(ag.Float32)) })
}

// mlpGEMMs returns a function that runs mlpProducts once in dtype dt on random operands.
func mlpGEMMs(dt ag.DType) func() {
	type operands struct {
		a, b, c       []float64
		a32, b32, c32 []float32
		lda, ldb, ldc int
	}
	ops := make([]operands, len(mlpProducts))
	for i, p := range mlpProducts {
		o := &ops[i]
		o.a, o.b, o.c = randSlice(uint64(30+i), p.m*p.k, -1, 1), randSlice(uint64(40+i), p.k*p.n, -1, 1), make([]float64, p.m*p.n)
		o.a32, o.b32, o.c32 = to32(o.a), to32(o.b), to32(o.c)
		o.lda, o.ldb, o.ldc = p.k, p.n, p.n
		if p.transA {
			o.lda = p.m
		}
		if p.transB {
			o.ldb = p.k
		}
	}
	return func() {
		for i, p := range mlpProducts {
			o := &ops[i]
			if dt == ag.Float32 {
				gemm.Sgemm(p.transA, p.transB, p.m, p.n, p.k, 1, o.a32, o.lda, o.b32, o.ldb, 0, o.c32, o.ldc)
			} else {
				gemm.Dgemm(p.transA, p.transB, p.m, p.n, p.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
			}
		}
	}
}
