package optim

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// BenchmarkBackwardStepPlan: BackwardStep's walk of the graph of the fused test network's loss
// (about twenty nodes), which decides which weights to fuse.
func BenchmarkBackwardStepPlan(b *testing.B) {
	n := newFusedNet(ag.Float64, 4, 7, 5, 3, false)
	opt, err := NewSGD(n.params(), SGDConfig{LR: 0.1})
	if err != nil {
		b.Fatal(err)
	}
	tp := ag.NewTape()
	loss := n.loss(b, tp, opt)
	b.ReportAllocs()
	for b.Loop() {
		if err := opt.plan(loss); err != nil {
			b.Fatal(err)
		}
	}
}
