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
	products := mlpProductFuncs(dt)
	return func() {
		for _, f := range products {
			f()
		}
	}
}

// mlpProductFuncs returns one function per product of mlpProducts, each running it in dtype dt
// on random operands of its own.
func mlpProductFuncs(dt ag.DType) []func() {
	fs := make([]func(), len(mlpProducts))
	for i, p := range mlpProducts {
		a, b, c := randSlice(uint64(30+i), p.m*p.k, -1, 1), randSlice(uint64(40+i), p.k*p.n, -1, 1), make([]float64, p.m*p.n)
		a32, b32, c32 := to32(a), to32(b), to32(c)
		lda, ldb, ldc := p.k, p.n, p.n
		if p.transA {
			lda = p.m
		}
		if p.transB {
			ldb = p.k
		}
		if dt == ag.Float32 {
			fs[i] = func() { gemm.Sgemm(p.transA, p.transB, p.m, p.n, p.k, 1, a32, lda, b32, ldb, 0, c32, ldc) }
		} else {
			fs[i] = func() { gemm.Dgemm(p.transA, p.transB, p.m, p.n, p.k, 1, a, lda, b, ldb, 0, c, ldc) }
		}
	}
	return fs
}
