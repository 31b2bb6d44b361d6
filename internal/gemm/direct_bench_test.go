package gemm

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// BenchmarkDirectVsPacked alternates, per iteration, one product on the direct path and one on
// the packed paths (split across cores from parallelWork, as without direct kernels), and
// reports their ratio ("x-packed", packed time / direct time: above 1 when the direct path
// wins). It measures where the directWork threshold should lie, with the machine as it is:
//
//	go test -run '^$' -bench DirectVsPacked -count 6 ./internal/gemm
func BenchmarkDirectVsPacked(b *testing.B) {
	if dkern.direct == nil || skern.direct == nil {
		b.Skip("no direct kernels on this build or CPU")
	}
	for _, n := range []int{16, 32, 48, 64, 80, 96, 128, 160} {
		s := benchShape{m: n, n: n, k: n}
		b.Run(fmt.Sprintf("f64/n=%d", n), func(b *testing.B) {
			a, bb, c, lda, ldb, ldc := operands[float64](s)
			pairDirect(b, func() { Dgemm(false, false, n, n, n, 1, a, lda, bb, ldb, 0, c, ldc) })
		})
		b.Run(fmt.Sprintf("f32/n=%d", n), func(b *testing.B) {
			a, bb, c, lda, ldb, ldc := operands[float32](s)
			pairDirect(b, func() { Sgemm(false, false, n, n, n, 1, a, lda, bb, ldb, 0, c, ldc) })
		})
	}
}

// pairDirect times product with the direct path forced on and off in turn.
func pairDirect(b *testing.B, product func()) {
	dw, dk := directWork, directK
	defer func() { directWork, directK = dw, dk }()
	var direct, packed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		directWork, directK = math.MaxInt, math.MaxInt
		t0 := time.Now()
		product()
		t1 := time.Now()
		directWork = 0
		product()
		direct, packed = direct+t1.Sub(t0), packed+time.Since(t1)
	}
	b.ReportMetric(float64(direct.Nanoseconds())/float64(b.N), "direct-ns")
	b.ReportMetric(float64(packed.Nanoseconds())/float64(b.N), "packed-ns")
	b.ReportMetric(packed.Seconds()/direct.Seconds(), "x-packed")
}
