package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// SGDFuser is what MatMulSGD needs of an optimizer: *optim.SGD implements it, and applies the
// fused updates in its BackwardStep.
type SGDFuser interface {
	// FusedUpdate is called by the product's derivative rule for w during a backward pass. If
	// ok, the rule applies w ← keep·w − lr·∂w in place and returns no gradient for w (keep is 1
	// for plain gradient descent, 1 − lr·λ with an L2 weight decay λ); otherwise it returns ∂w
	// as MatMul's rule does.
	FusedUpdate(w ag.Var) (lr, keep float64, ok bool)
}

// MatMulSGD returns x·w, as MatMul does, for a 2-D or 3-D x and a 2-D weight w, and lets
// the SGD update of w be fused into the product that computes w's gradient: when its derivative
// rule for w runs and f.FusedUpdate(w) says so (optim.SGD does only inside its BackwardStep),
// the rule computes w ← keep·w − lr·xᵀ·g with one GEMM (α = −lr, β = keep) into w's own
// storage, instead of writing ∂w = xᵀ·g to a buffer that the optimizer then reads back. w then
// collects no gradient from this product. In every other pass (autograd.Backward, Grad,
// CreateGraph, HVP, forward mode) the product and its derivatives are exactly MatMul's.
//
// The rule reads w for x's gradient before it updates w, but a rule that ran later in the same
// pass would see the updated w, so the optimizer must fuse only a weight that no other
// operation of the graph reads (optim.SGD.BackwardStep checks that). MatMulSGD panics as MatMul
// does, and with an *autograd.Error wrapping ErrValue if f is nil, and ErrShape if x or w has
// another rank.
func MatMulSGD(x, w ag.Var, f SGDFuser) ag.Var {
	const op = "ops.MatMulSGD"
	if f == nil {
		ag.Panicf(op, ag.ErrValue, "nil SGDFuser; pass the optimizer that updates w, such as an *optim.SGD")
	}
	ws := w.Operand(op).Shape
	if xs := x.Operand(op).Shape; len(ws) != 2 || len(xs) != 2 && len(xs) != 3 {
		ag.Panicf(op, ag.ErrShape, "%s x %s: x must be 2-D or 3-D and w 2-D", shapeStr(xs), shapeStr(ws))
	}
	y := MatMulT(x, w, false, false)
	if y.RequiresGrad() && x != w {
		y.SetAux(f)
	}
	return y
}

// sgdInPlace is the derivative rule of C = A·W for W when the product was made by MatMulSGD and
// its optimizer asks for the fused update: W ← keep·W − lr·Aᵀ·G, with A's leading axes (the batch
// and rows) flattened into one, as ∂W sums over them. It reports whether it applied the update.
func sgdInPlace(g, y ag.Var) bool {
	f, ok := y.Aux().(SGDFuser)
	if !ok {
		return false
	}
	a, w := in(y, 0), in(y, 1)
	lr, keep, ok := f.FusedUpdate(w)
	if !ok {
		return false
	}
	k, n := w.Shape()[0], w.Shape()[1]
	if k == 0 || n == 0 {
		return true // nothing to update
	}
	rows := a.Len() / k
	if w.DType() == ag.Float32 {
		gemm.Sgemm(true, false, k, n, rows, float32(-lr), a.Data32(), k, g.Data32(), n, float32(keep), w.Data32(), n)
	} else {
		gemm.Dgemm(true, false, k, n, rows, -lr, a.Data64(), k, g.Data64(), n, keep, w.Data64(), n)
	}
	return true
}
