package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// SoftmaxCausal returns the softmax along the last axis of a (…, Lq, Lk) over the keys a query
// may attend to causally: row i (its index along the second-to-last axis) is the softmax of
// its entries j ≤ i, and 0 at every j > i. It equals Softmax(a + M, -1) with M −∞ above the
// diagonal, bit for bit, as PyTorch's softmax of the scores masked by torch.triu(ones(Lq, Lk),
// 1). It is a primitive for speed (issue 12): causal attention's scores skip the pass that adds
// the mask and the exponentials of the masked half. Its derivative is Softmax's, y·(g − Σ g·y),
// which is 0 where y is. SoftmaxCausal panics if a has fewer than two axes or an empty last
// axis.
func SoftmaxCausal(a ag.Var) ag.Var {
	const op = "ops.SoftmaxCausal"
	x := a.Operand(op)
	r := len(x.Shape)
	if r < 2 || x.Shape[r-1] == 0 {
		ag.Panicf(op, ag.ErrShape, "scores %s; want (…, Lq, Lk) with Lk ≥ 1", shapeStr(x.Shape))
	}
	out := ag.NewResult(softmaxCausalOp, x.DType, x.Shape, a)
	o := out.Operand(op)
	lq, lk := x.Shape[r-2], x.Shape[r-1]
	if x.DType == ag.Float32 {
		runCausalRows(&causalTasks32, o.F32, x.F32, lq, lk)
	} else {
		runCausalRows(&causalTasks64, o.F64, x.F64, lq, lk)
	}
	return out
}

// causalTask runs SoftmaxCausal's rows for the worker pool, from a free list so that a steady
// step allocates nothing.
type causalTask[T float] struct {
	o, x   []T
	lq, lk int
}

// Run computes rows [lo, hi): row r is query r mod lq, which sees its first min(i+1, lk) keys.
func (t *causalTask[T]) Run(lo, hi int) {
	for r := lo; r < hi; r++ {
		s, e := r*t.lk, (r+1)*t.lk
		seen := min(r%t.lq+1, t.lk)
		softmaxRow(t.o[s:s+seen], t.x[s:s+seen])
		clear(t.o[s+seen : e])
	}
}

var (
	causalTasks32 freelist.List[causalTask[float32]]
	causalTasks64 freelist.List[causalTask[float64]]
)

func runCausalRows[T float](list *freelist.List[causalTask[T]], o, x []T, lq, lk int) {
	if len(o) == 0 {
		return
	}
	t := list.Get()
	*t = causalTask[T]{o, x, lq, lk}
	parallel.ForTask(len(o)/lk, max(1, grain/lk), t)
	*t = causalTask[T]{}
	list.Put(t)
}
