package gemm

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// BenchmarkSplitVsSerial alternates, per iteration, one product split across cores and one
// computed on the calling goroutine, with the best kernels, and reports their ratio ("x-serial",
// serial time / split time: above 1 when splitting pays). It measures where the parallelWork
// threshold should lie, with the machine as it is (quiet, or with other processes competing
// for the cores):
//
//	go test -run '^$' -bench SplitVsSerial -count 6 ./internal/gemm
func BenchmarkSplitVsSerial(b *testing.B) {
	for _, n := range []int{40, 48, 64, 80, 96, 128} {
		s := benchShape{m: n, n: n, k: n}
		b.Run(fmt.Sprintf("f64/n=%d", n), func(b *testing.B) {
			a, bb, c, lda, ldb, ldc := operands[float64](s)
			pairSplit(b, func() { Dgemm(false, false, n, n, n, 1, a, lda, bb, ldb, 0, c, ldc) })
		})
		b.Run(fmt.Sprintf("f32/n=%d", n), func(b *testing.B) {
			a, bb, c, lda, ldb, ldc := operands[float32](s)
			pairSplit(b, func() { Sgemm(false, false, n, n, n, 1, a, lda, bb, ldb, 0, c, ldc) })
		})
	}
}

// pairSplit times product with splitting forced on and off in turn.
func pairSplit(b *testing.B, product func()) {
	saved, dw := parallelWork, directWork
	defer func() { parallelWork, directWork = saved, dw }()
	directWork = 0 // the packed paths: the direct one never splits
	var split, serial time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parallelWork = 0
		t0 := time.Now()
		product()
		t1 := time.Now()
		parallelWork = math.MaxInt
		product()
		split, serial = split+t1.Sub(t0), serial+time.Since(t1)
	}
	b.ReportMetric(float64(split.Nanoseconds())/float64(b.N), "split-ns")
	b.ReportMetric(float64(serial.Nanoseconds())/float64(b.N), "serial-ns")
	b.ReportMetric(serial.Seconds()/split.Seconds(), "x-serial")
}
