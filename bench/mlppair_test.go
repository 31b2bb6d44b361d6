package bench

import (
	"testing"
	"time"

	ag "github.com/gograd/gograd/autograd"
)

// BenchmarkMLPStepPairs alternates two workloads one iteration at a time, so that both see the
// same load on a shared machine, and reports their times and ratio:
//   - GEMMs: BenchmarkMLPStep's step and its five products alone (BenchmarkMLPStepGEMMs);
//     step/gemm is the multiple issue 16 asks to bring to 1.3 or less;
//   - fused: BenchmarkMLPStepFused's step and BenchmarkMLPStep's; fused/plain below 1 is the
//     fused update's gain;
//   - fusedGEMMs: BenchmarkMLPStepFused's step and the same five products; the fused step's
//     weight-gradient product also applies the update (C ← C − η·AᵀB), so its multiple of
//     products that do not is an upper bound of what the rest of the step costs.
func BenchmarkMLPStepPairs(b *testing.B) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		name := "f64"
		if dt == ag.Float32 {
			name = "f32"
		}
		b.Run("GEMMs/"+name, func(b *testing.B) {
			runPair(b, mlpStepper(b, dt), mlpGEMMs(dt), "step-ns", "gemm-ns", "step/gemm")
		})
		b.Run("fused/"+name, func(b *testing.B) {
			runPair(b, fusedMLPStepper(b, dt), mlpStepper(b, dt), "fused-ns", "plain-ns", "fused/plain")
		})
		b.Run("fusedGEMMs/"+name, func(b *testing.B) {
			runPair(b, fusedMLPStepper(b, dt), mlpGEMMs(dt), "fused-ns", "gemm-ns", "fused/gemm")
		})
	}
}

// runPair times f and g alternately and reports each one's time per call and their ratio.
func runPair(b *testing.B, f, g func(), fName, gName, ratio string) {
	f()
	g()
	var tf, tg time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f()
		t1 := time.Now()
		g()
		tf, tg = tf+t1.Sub(t0), tg+time.Since(t1)
	}
	b.ReportMetric(float64(tf.Nanoseconds())/float64(b.N), fName)
	b.ReportMetric(float64(tg.Nanoseconds())/float64(b.N), gName)
	b.ReportMetric(float64(tf)/float64(tg), ratio)
}
