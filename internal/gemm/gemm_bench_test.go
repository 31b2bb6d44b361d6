package gemm

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchShape describes one benchmarked product op(A)(m×k) * op(B)(k×n).
type benchShape struct {
	m, n, k        int
	transA, transB bool
}

// randSlice returns n uniform values in [-1, 1): gonum's GEMM skips zero
// entries, so benchmarking on zeros would flatter it.
func randSlice[T float](n int) []T {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	x := make([]T, n)
	for i := range x {
		x[i] = T(rng.Float64()*2 - 1)
	}
	return x
}

// operands allocates A, B, C and the leading dimensions for s.
func operands[T float](s benchShape) (a, b, c []T, lda, ldb, ldc int) {
	lda, ldb, ldc = s.k, s.n, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	return randSlice[T](s.m * s.k), randSlice[T](s.k * s.n), randSlice[T](s.m * s.n), lda, ldb, ldc
}

// report records GFLOP/s for b.N products of shape s.
func report(b *testing.B, s benchShape) {
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// trans converts a transpose flag to gonum's blas.Transpose.
func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// benchD measures Dgemm on shape s.
func benchD(b *testing.B, s benchShape) {
	a, bb, c, lda, ldb, ldc := operands[float64](s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
	}
	report(b, s)
}

// benchS measures Sgemm on shape s.
func benchS(b *testing.B, s benchShape) {
	a, bb, c, lda, ldb, ldc := operands[float32](s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
	}
	report(b, s)
}

// benchGonumD measures gonum's Dgemm on shape s.
func benchGonumD(b *testing.B, s benchShape) {
	a, bb, c, lda, ldb, ldc := operands[float64](s)
	var impl gonum.Implementation
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		impl.Dgemm(trans(s.transA), trans(s.transB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
	}
	report(b, s)
}

// benchGonumS measures gonum's Sgemm on shape s.
func benchGonumS(b *testing.B, s benchShape) {
	a, bb, c, lda, ldb, ldc := operands[float32](s)
	var impl gonum.Implementation
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		impl.Sgemm(trans(s.transA), trans(s.transB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
	}
	report(b, s)
}

// benchDgemm and friends measure square n×n products.
func benchDgemm(b *testing.B, n int)      { benchD(b, benchShape{m: n, n: n, k: n}) }
func benchSgemm(b *testing.B, n int)      { benchS(b, benchShape{m: n, n: n, k: n}) }
func benchGonumDgemm(b *testing.B, n int) { benchGonumD(b, benchShape{m: n, n: n, k: n}) }
func benchGonumSgemm(b *testing.B, n int) { benchGonumS(b, benchShape{m: n, n: n, k: n}) }

// The MLP shapes: forward 64x784 @ 784x256, and the backward products
// 784x64 @ 64x256 (A transposed) and 64x256 @ 256x784 (B transposed).
var (
	mlpForward = benchShape{m: 64, n: 256, k: 784}
	mlpGradW   = benchShape{m: 784, n: 256, k: 64, transA: true}
	mlpGradX   = benchShape{m: 64, n: 784, k: 256, transB: true}
	xorShape   = benchShape{m: 4, n: 4, k: 2}
)

// xorStep holds the five products of one training step of the 2-4-1 XOR network (batch 4):
// X·W1 and H·W2 forward; G·W2ᵀ, Hᵀ·G and Xᵀ·G1 backward.
var xorStep = []benchShape{
	{m: 4, n: 4, k: 2},
	{m: 4, n: 1, k: 4},
	{m: 4, n: 4, k: 1, transB: true},
	{m: 4, n: 1, k: 4, transA: true},
	{m: 2, n: 4, k: 4, transA: true},
}

// BenchmarkDgemmXORStep measures the five tiny products of one XOR training step together: the
// small-matrix path, where call overhead outweighs the arithmetic.
func BenchmarkDgemmXORStep(b *testing.B) {
	type ops struct {
		a, b, c       []float64
		lda, ldb, ldc int
	}
	all := make([]ops, len(xorStep))
	for i, s := range xorStep {
		o := &all[i]
		o.a, o.b, o.c, o.lda, o.ldb, o.ldc = operands[float64](s)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, s := range xorStep {
			o := &all[j]
			Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
		}
	}
}

func BenchmarkDgemm64(b *testing.B)   { benchDgemm(b, 64) }
func BenchmarkDgemm256(b *testing.B)  { benchDgemm(b, 256) }
func BenchmarkDgemm512(b *testing.B)  { benchDgemm(b, 512) }
func BenchmarkDgemm1024(b *testing.B) { benchDgemm(b, 1024) }

func BenchmarkSgemm64(b *testing.B)   { benchSgemm(b, 64) }
func BenchmarkSgemm256(b *testing.B)  { benchSgemm(b, 256) }
func BenchmarkSgemm512(b *testing.B)  { benchSgemm(b, 512) }
func BenchmarkSgemm1024(b *testing.B) { benchSgemm(b, 1024) }

func BenchmarkGonumDgemm64(b *testing.B)   { benchGonumDgemm(b, 64) }
func BenchmarkGonumDgemm256(b *testing.B)  { benchGonumDgemm(b, 256) }
func BenchmarkGonumDgemm512(b *testing.B)  { benchGonumDgemm(b, 512) }
func BenchmarkGonumDgemm1024(b *testing.B) { benchGonumDgemm(b, 1024) }

func BenchmarkGonumSgemm64(b *testing.B)   { benchGonumSgemm(b, 64) }
func BenchmarkGonumSgemm256(b *testing.B)  { benchGonumSgemm(b, 256) }
func BenchmarkGonumSgemm512(b *testing.B)  { benchGonumSgemm(b, 512) }
func BenchmarkGonumSgemm1024(b *testing.B) { benchGonumSgemm(b, 1024) }

func BenchmarkDgemmMLPForward(b *testing.B) { benchD(b, mlpForward) }
func BenchmarkDgemmMLPGradW(b *testing.B)   { benchD(b, mlpGradW) }
func BenchmarkDgemmMLPGradX(b *testing.B)   { benchD(b, mlpGradX) }
func BenchmarkSgemmMLPForward(b *testing.B) { benchS(b, mlpForward) }
func BenchmarkSgemmMLPGradW(b *testing.B)   { benchS(b, mlpGradW) }
func BenchmarkSgemmMLPGradX(b *testing.B)   { benchS(b, mlpGradX) }
func BenchmarkDgemmXOR(b *testing.B)        { benchD(b, xorShape) }

func BenchmarkGonumDgemmMLPForward(b *testing.B) { benchGonumD(b, mlpForward) }
func BenchmarkGonumDgemmMLPGradW(b *testing.B)   { benchGonumD(b, mlpGradW) }
func BenchmarkGonumDgemmMLPGradX(b *testing.B)   { benchGonumD(b, mlpGradX) }
func BenchmarkGonumSgemmMLPForward(b *testing.B) { benchGonumS(b, mlpForward) }
func BenchmarkGonumSgemmMLPGradW(b *testing.B)   { benchGonumS(b, mlpGradW) }
func BenchmarkGonumSgemmMLPGradX(b *testing.B)   { benchGonumS(b, mlpGradX) }
func BenchmarkGonumDgemmXOR(b *testing.B)        { benchGonumD(b, xorShape) }
