package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// The cost of anomaly detection (Tape.SetAnomalyDetection). The engine has no build without the
// flag, so the comparisons are:
//
//   - Baseline: a tape that never had detection set;
//   - Off: a tape that had it switched on and off again before the loop (the same code path as
//     Baseline, reached through the setter: any difference is noise);
//   - On: detection on: every op records its creation site (runtime.Callers) and scans its
//     inputs, and every backward rule scans its gradient.
//
// With detection off, each op pays one predictable branch on a field of the tape it already
// reads; Baseline against Off shows that this is below the noise of a training step.
//
//	go test ./bench -run '^$' -bench Anomaly -count 5 | tee anomaly.txt
//	benchstat -col /mode anomaly.txt

// anomalyStep is one training step (forward, backward) of a small MLP on tp.
type anomalyStep struct {
	x, y         []float64
	rows, in     int
	w1, b1       ag.Var
	w2, b2       ag.Var
	hidden, outs int
}

func newAnomalyStep(rows, in, hidden, outs int) *anomalyStep {
	return &anomalyStep{
		x: randSlice(1, rows*in, -1, 1), y: randSlice(2, rows*outs, 0, 1), rows: rows, in: in,
		w1: ag.NewParam(randSlice(3, in*hidden, -0.5, 0.5), in, hidden), b1: ag.NewParam(make([]float64, hidden), hidden),
		w2: ag.NewParam(randSlice(4, hidden*outs, -0.5, 0.5), hidden, outs), b2: ag.NewParam(make([]float64, outs), outs),
		hidden: hidden, outs: outs,
	}
}

func (s *anomalyStep) run(b *testing.B, tp *ag.Tape) {
	tp.Reset()
	x := tp.Const(s.x, s.rows, s.in)
	h := ops.Tanh(ops.Add(ops.MatMul(x, s.w1), s.b1))
	p := ops.Sigmoid(ops.Add(ops.MatMul(h, s.w2), s.b2))
	loss := ops.Mean(ops.Square(ops.Sub(p, tp.Const(s.y, s.rows, s.outs))))
	ag.ZeroGrad(s.w1, s.b1, s.w2, s.b2)
	if err := ag.Backward(loss); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAnomaly(b *testing.B) {
	workloads := []struct {
		name string
		step *anomalyStep
	}{
		{"xor", newAnomalyStep(4, 2, 4, 1)},       // op overhead dominates
		{"mlp64", newAnomalyStep(32, 64, 64, 64)}, // 32×64 batch through 64×64 layers
	}
	modes := []struct {
		name  string
		setup func(tp *ag.Tape)
	}{
		{"baseline", func(*ag.Tape) {}},
		{"off", func(tp *ag.Tape) { tp.SetAnomalyDetection(true); tp.SetAnomalyDetection(false) }},
		{"on", func(tp *ag.Tape) { tp.SetAnomalyDetection(true) }},
	}
	for _, w := range workloads {
		for _, m := range modes {
			b.Run("work="+w.name+"/mode="+m.name, func(b *testing.B) {
				tp := ag.NewTape()
				m.setup(tp)
				w.step.run(b, tp) // warm the tape's buffers
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					w.step.run(b, tp)
				}
			})
		}
	}
}
