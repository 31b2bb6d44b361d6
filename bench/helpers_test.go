package bench

import (
	"math/rand/v2"
	"testing"
	"time"
)

// randSlice returns n values uniform in [lo, hi) from a fixed seed.
func randSlice(seed uint64, n int, lo, hi float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	s := make([]float64, n)
	for i := range s {
		s[i] = lo + (hi-lo)*r.Float64()
	}
	return s
}

func to32(s []float64) []float32 {
	out := make([]float32, len(s))
	for i, x := range s {
		out[i] = float32(x)
	}
	return out
}

// perUnit reports the time per unit (node, element) as a custom metric.
func perUnit(b *testing.B, units int, name string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(units), name)
}

// gflops reports the rate of flops floating-point operations per iteration.
func gflops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// warmUp runs a training step untimed as the torch peer warms its steps up
// (bench/peers/torch/bench.py): at least three times and for at least 0.2 s. Both sides then
// time steady steps: the tape's buffers sized and touched, and the worker pool's call sites past
// their first tries of running alone (internal/parallel), which a benchmark of a few dozen
// steps would otherwise time.
func warmUp(step func()) {
	start := time.Now()
	for i := 0; i < 3 || time.Since(start) < warmUpTime; i++ {
		step()
	}
}

// warmUpTime is the least time warmUp runs a step, bench.py's.
const warmUpTime = 200 * time.Millisecond
