package gemm

import (
	"math"
	"testing"
	"time"
)

func minTime(f func(), reps int) time.Duration {
	best := time.Hour
	for r := 0; r < reps; r++ {
		t0 := time.Now()
		f()
		best = min(best, time.Since(t0))
	}
	return best
}

func TestTuneX(t *testing.T) {
	for _, s := range []benchShape{{64, 64, 64, false, false}, {256, 256, 256, false, false}, {512, 512, 512, false, false}, {1024, 1024, 1024, false, false}, mlpForward, mlpGradW, mlpGradX} {
		a, bb, c, lda, ldb, ldc := operands[float64](s)
		a3, bb3, c3, _, _, _ := operands[float32](s)
		fl := 2 * float64(s.m*s.n*s.k)
		reps := int(math.Min(300, 3e10/fl))
		var r [4]float64
		withMode(0, math.MaxInt, func() {
			r[0] = fl / minTime(func() { Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc) }, reps).Seconds() / 1e9
			r[1] = fl / minTime(func() { Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a3, lda, bb3, ldb, 0, c3, ldc) }, reps).Seconds() / 1e9
		})
		r[2] = fl / minTime(func() { Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, ldc) }, reps).Seconds() / 1e9
		r[3] = fl / minTime(func() { Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a3, lda, bb3, ldb, 0, c3, ldc) }, reps).Seconds() / 1e9
		t.Logf("%4d %4d %4d %5v %5v  serial d %6.1f s %6.1f   auto d %6.1f s %6.1f", s.m, s.n, s.k, s.transA, s.transB, r[0], r[1], r[2], r[3])
	}
}
