package bench

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// BenchmarkCrossEntropy: the loss of BenchmarkMLPStep (64×10 logits, mean over the rows) and its
// backward, as losses.CrossEntropy computes it (one ops.SoftmaxCrossEntropy node) and as the
// composite losses.NLL(ops.LogSoftmax(x, 1)) does, which CrossEntropy was before.
func BenchmarkCrossEntropy(b *testing.B) {
	const rows, classes = 64, 10
	xs := randSlice(14, rows*classes, -2, 2)
	labels := make([]int, rows)
	for i, u := range randSlice(15, rows, 0, classes) {
		labels[i] = int(u)
	}
	for _, c := range []struct {
		name string
		loss func(x ag.Var) (ag.Var, error)
	}{
		{"fused", func(x ag.Var) (ag.Var, error) { return losses.CrossEntropy(x, labels) }},
		{"composite", func(x ag.Var) (ag.Var, error) { return losses.NLL(ops.LogSoftmax(x, 1), labels) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			tp := ag.NewTape()
			for b.Loop() {
				tp.Reset()
				l, err := c.loss(tp.Variable(xs, rows, classes))
				if err != nil {
					b.Fatal(err)
				}
				if err := ag.Backward(l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
