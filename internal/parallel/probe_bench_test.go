package parallel

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkForkJoin splits a memory-bound copy of n float32 (as the embedding's gather) in two
// halves on the pool, always (bypassing the site's choice), and reports how long after the loop
// was posted the worker started its half (fork-µs), how long each half took (caller-µs,
// worker-µs), and the share of loops whose second half ran on a worker (onworker); alone is
// the same copy run on the caller in the same two chunks. Run with -cpu 2 on a quiet machine
// and again while another program keeps a core busy, to see where split loops lose.
func BenchmarkForkJoin(b *testing.B) {
	if Chunks(1<<20, Grain) < 2 {
		b.Skip("one core: nothing to split")
	}
	for _, n := range []int{1 << 16, 1 << 19} {
		src, dst := make([]float32, n), make([]float32, n)
		chunk := n / 2
		b.Run(fmt.Sprintf("n=%d/alone", n), func(b *testing.B) {
			body := funcTask(func(lo, hi int) { copy(dst[lo:hi], src[lo:hi]) })
			for b.Loop() {
				runAlone(body, n, chunk)
			}
		})
		b.Run(fmt.Sprintf("n=%d/split", n), func(b *testing.B) {
			var start, s0, e0, s1, e1 time.Duration
			body := funcTask(func(lo, hi int) {
				s := now()
				copy(dst[lo:hi], src[lo:hi])
				e := now()
				if lo == 0 {
					s0, e0 = s, e
				} else {
					s1, e1 = s, e
				}
			})
			var fork, caller, worker time.Duration
			onWorker := 0
			for b.Loop() {
				for !busy.TryLock() {
				}
				start = now()
				splitLoop(body, n, chunk, 2, start, true)
				busy.Unlock()
				caller += e0 - s0
				if s1 < e0 { // began before the caller could have claimed it: on a worker
					fork += s1 - start
					worker += e1 - s1
					onWorker++
				}
			}
			forgetBackoff()
			us := func(d time.Duration, k int) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(max(k, 1)) }
			b.ReportMetric(us(caller, b.N), "caller-µs")
			b.ReportMetric(us(fork, onWorker), "fork-µs")
			b.ReportMetric(us(worker, onWorker), "worker-µs")
			b.ReportMetric(float64(onWorker)/float64(b.N), "onworker")
		})
	}
}
