package gemm

import (
	"testing"
	"time"

	"gonum.org/v1/gonum/blas/gonum"
)

// benchPurego runs bench with the pure-Go kernels in use, whatever the build tags (packing
// still uses assembly on amd64 unless built with -tags purego).
func benchPurego(b *testing.B, bench func(*testing.B, benchShape), s benchShape) {
	useGeneric(true)
	defer useGeneric(false)
	bench(b, s)
}

// usePortable puts in use the kernels a build without this package's assembly chooses (the
// speed non-amd64 and -tags purego users get): gonum's where it has assembly (amd64), the
// pure-Go kernels elsewhere. useGeneric(false) undoes it.
func usePortable() {
	dkern = portableBest(gonumKernel64, genericKernel64)
	skern = portableBest(gonumKernel32, genericKernel32)
}

// The pure-Go kernels on the shapes of the Gonum benchmarks, for a side-by-side comparison:
//
//	go test -tags purego -run '^$' -bench '(Purego|Gonum)[DS]gemm(256|512|MLPForward|MLPGradW)$' ./internal/gemm
func BenchmarkPuregoDgemm256(b *testing.B) {
	benchPurego(b, benchD, benchShape{m: 256, n: 256, k: 256})
}
func BenchmarkPuregoDgemm512(b *testing.B) {
	benchPurego(b, benchD, benchShape{m: 512, n: 512, k: 512})
}
func BenchmarkPuregoSgemm256(b *testing.B) {
	benchPurego(b, benchS, benchShape{m: 256, n: 256, k: 256})
}
func BenchmarkPuregoSgemm512(b *testing.B) {
	benchPurego(b, benchS, benchShape{m: 512, n: 512, k: 512})
}

func BenchmarkPuregoDgemmMLPForward(b *testing.B) { benchPurego(b, benchD, mlpForward) }
func BenchmarkPuregoDgemmMLPGradW(b *testing.B)   { benchPurego(b, benchD, mlpGradW) }
func BenchmarkPuregoSgemmMLPForward(b *testing.B) { benchPurego(b, benchS, mlpForward) }
func BenchmarkPuregoSgemmMLPGradW(b *testing.B)   { benchPurego(b, benchS, mlpGradW) }

// benchPairedD alternates one Dgemm with the portable kernels (usePortable) and one gonum Dgemm
// per iteration, so that both see the same machine load, and reports each one's GFLOP/s and
// their ratio ("x-gonum", above 1 when ours is faster).
func benchPairedD(b *testing.B, s benchShape) {
	usePortable()
	defer useGeneric(false)
	a, bb, c, lda, ldb, ldc := operands[float64](s)
	var impl gonum.Implementation
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
		t1 := time.Now()
		impl.Dgemm(trans(s.transA), trans(s.transB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
		ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
	}
	reportPair(b, s, ours, theirs)
}

// benchPairedS is benchPairedD for float32.
func benchPairedS(b *testing.B, s benchShape) {
	usePortable()
	defer useGeneric(false)
	a, bb, c, lda, ldb, ldc := operands[float32](s)
	var impl gonum.Implementation
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
		t1 := time.Now()
		impl.Sgemm(trans(s.transA), trans(s.transB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc)
		ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
	}
	reportPair(b, s, ours, theirs)
}

// reportPair records both GFLOP/s figures and their ratio.
func reportPair(b *testing.B, s benchShape, ours, theirs time.Duration) {
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
	b.ReportMetric(flops/ours.Seconds()/1e9, "purego-GFLOP/s")
	b.ReportMetric(flops/theirs.Seconds()/1e9, "gonum-GFLOP/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "x-gonum")
}

// BenchmarkPuregoVsGonum compares the portable kernels (usePortable) with gonum call by call;
// with -tags purego,noasm gonum is built without its assembly, as on arm64:
//
//	go test -tags purego -run '^$' -bench PuregoVsGonum -count 5 ./internal/gemm
func BenchmarkPuregoVsGonum(b *testing.B) {
	shapes := []struct {
		name string
		s    benchShape
	}{
		{"64", benchShape{m: 64, n: 64, k: 64}},
		{"256", benchShape{m: 256, n: 256, k: 256}},
		{"512", benchShape{m: 512, n: 512, k: 512}},
		{"MLPForward", mlpForward},
		{"MLPGradW", mlpGradW},
	}
	for _, sh := range shapes {
		b.Run("f64/"+sh.name, func(b *testing.B) { benchPairedD(b, sh.s) })
		b.Run("f32/"+sh.name, func(b *testing.B) { benchPairedS(b, sh.s) })
	}
}
