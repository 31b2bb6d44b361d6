package bench

import (
	"fmt"
	"testing"
	"time"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// BenchmarkMLPStepPhases runs BenchmarkMLPStep's step in its phases, each timed, and after each
// step the five products of BenchmarkMLPStepGEMMs one by one, so that all see the same load, and
// reports the time per step of each: where the step's multiple of its products goes. The phases
// are the first layer (its product x·W₁ and bias), ReLU, the second layer with the loss,
// Backward, the SGD update and ZeroGrad; the products gemm0 (x·W₁) to gemm4 (xᵀ·∂Z₁, ∂W₁), in
// the order of mlpProducts. step/gemm is the ratio that BenchmarkMLPStepPairs reports.
func BenchmarkMLPStepPhases(b *testing.B) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		b.Run(map[ag.DType]string{ag.Float64: "f64", ag.Float32: "f32"}[dt], func(b *testing.B) {
			m := newMLPModel(dt)
			sgd, err := optim.NewSGD(m.params(), optim.SGDConfig{LR: 0.01})
			if err != nil {
				b.Fatal(err)
			}
			products := mlpProductFuncs(dt)
			tp := ag.NewTape()
			phases := []string{"layer1", "relu", "layer2+loss", "backward", "sgd", "zerograd"}
			spent := make([]time.Duration, len(phases)+len(products))
			step := func() {
				var buf [16]time.Time
				t := append(buf[:0], time.Now())
				tp.Reset()
				z1 := m.l1.forward(m.input(tp))
				t = append(t, time.Now())
				h := ops.ReLU(z1)
				t = append(t, time.Now())
				loss, err := losses.CrossEntropy(m.l2.forward(h), m.labels)
				if err != nil {
					b.Fatal(err)
				}
				t = append(t, time.Now())
				if err := ag.Backward(loss); err != nil {
					b.Fatal(err)
				}
				t = append(t, time.Now())
				sgd.Step()
				t = append(t, time.Now())
				sgd.ZeroGrad()
				t = append(t, time.Now())
				for _, f := range products {
					f()
					t = append(t, time.Now())
				}
				for i := range spent {
					spent[i] += t[i+1].Sub(t[i])
				}
			}
			step()
			clear(spent)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			var stepTime, gemmTime time.Duration
			for i, d := range spent {
				name := ""
				if i < len(phases) {
					name, stepTime = phases[i], stepTime+d
				} else {
					name, gemmTime = fmt.Sprintf("gemm%d", i-len(phases)), gemmTime+d
				}
				b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), name+"-ns")
			}
			b.ReportMetric(float64(stepTime)/float64(gemmTime), "step/gemm")
		})
	}
}
