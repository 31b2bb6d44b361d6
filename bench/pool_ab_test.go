package bench

import (
	"slices"
	"testing"
	"time"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
)

// BenchmarkPoolAB runs training steps in turn three ways in one process: with the pool that
// splits every loop it can (split), with the pool that lets each call site choose between
// splitting and running alone by what it measured (measured, the default), and with the pool
// reserved so that every loop runs on its caller (alone), two steps each way in turn, timing the
// second. It reports the median step time of each way (µs) and their ratios. Taking the three ways step by step, in turn, exposes them to the
// same machine: on a shared or drifting machine, separate runs differ by more than the ways do.
func BenchmarkPoolAB(b *testing.B) {
	for _, w := range []struct {
		name string
		step func(testing.TB) func()
	}{
		{"EmbeddingStep/V=5000/sparse", func(tb testing.TB) func() { return embeddingStepper(tb, 5000, true) }},
		{"EmbeddingStep/V=50000/sparse", func(tb testing.TB) func() { return embeddingStepper(tb, 50000, true) }},
		{"EmbeddingStep/V=500000/sparse", func(tb testing.TB) func() { return embeddingStepper(tb, 500000, true) }},
		{"EmbeddingStep/V=50000/dense", func(tb testing.TB) func() { return embeddingStepper(tb, 50000, false) }},
		{"MLPStep/f64", func(tb testing.TB) func() { return mlpStepper(tb, ag.Float64) }},
		{"MLPStep/f32", func(tb testing.TB) func() { return mlpStepper(tb, ag.Float32) }},
		{"TransformerStep", func(tb testing.TB) func() { s, _ := transformerStepper(tb); return s }},
	} {
		b.Run(w.name, func(b *testing.B) {
			step := w.step(b)
			defer parallel.SetSiteDecisions(true)
			var times [3][]time.Duration
			way := 0
			run := func() {
				switch way {
				case 0:
					parallel.SetSiteDecisions(false)
					step()
				case 1:
					parallel.SetSiteDecisions(true)
					step()
				case 2:
					if !parallel.Reserve() {
						b.Fatal("the pool is held by another goroutine")
					}
					step()
					parallel.Release()
				}
			}
			for range 6 { // steady state for every way
				run()
				way = (way + 1) % 3
			}
			// Each way runs two steps in a row and only the second is timed, so that no way
			// is timed just after another's (workers left spinning by split loops, say).
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				run()
				if i%2 == 1 {
					times[way] = append(times[way], time.Since(start))
					way = (way + 1) % 3
				}
			}
			if len(times[2]) == 0 {
				return
			}
			var med [3]float64
			for i, t := range times {
				slices.Sort(t)
				med[i] = float64(t[len(t)/2].Nanoseconds()) / 1e3
			}
			b.ReportMetric(med[0], "split-µs")
			b.ReportMetric(med[1], "measured-µs")
			b.ReportMetric(med[2], "alone-µs")
			b.ReportMetric(med[1]/med[0], "measured/split")
			b.ReportMetric(med[1]/med[2], "measured/alone")
		})
	}
}
