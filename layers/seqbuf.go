package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/ops"
)

// varBufs holds the scratch lists of Vars of the multi-step layers (the steps of a sequence, the
// layers' final states), so that a steady training step allocates none.
var varBufs freelist.List[[]ag.Var]

// getVars returns a scratch list of n Vars from varBufs; putVars gives it back.
func getVars(n int) *[]ag.Var {
	p := varBufs.Get()
	if cap(*p) < n {
		*p = make([]ag.Var, n)
	}
	*p = (*p)[:n]
	return p
}

func putVars(p *[]ag.Var) {
	clear(*p)
	varBufs.Put(p)
}

// stackVars is ops.Stack(ax, xs...) with its list of unsqueezed operands taken from varBufs.
func stackVars(ax int, xs []ag.Var) ag.Var {
	us := getVars(len(xs))
	for i, x := range xs {
		(*us)[i] = ops.Unsqueeze(x, ax)
	}
	out := ops.Concat(ax, *us...)
	putVars(us)
	return out
}
