package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// matmulSumOps[transA][transB] is the primitive Σₙ op(Aₙ)·op(Bₙ), see matmulSum.
var matmulSumOps [2][2]*ag.Op

// matmulSum returns Σₙ op(aₙ)·op(bₙ) over the batch axis of two 3-D operands of one batch size,
// a 2-D result. It is the gradient of a matrix shared by a batch of products (a convolution's
// weight against its unfolded columns): the products accumulate into one matrix (GEMM with
// β = 1), where MatMul followed by SumTo would build the whole batch of products first, a
// batch-fold more memory traffic. The operands are checked by the caller (a MatMul rule).
func matmulSum(a, b ag.Var, transA, transB bool) ag.Var {
	const op = "ops.MatMul"
	x, y := a.Operand(op), b.Operand(op)
	sa, sb := x.Shape, y.Shape
	if len(sa) != 3 || len(sb) != 3 || sa[0] != sb[0] || x.DType != y.DType {
		ag.Panicf(op, ag.ErrShape, "%s x %s: a summed batch of products needs two 3-D operands of one batch size and dtype", shapeStr(sa), shapeStr(sb))
	}
	batch := sa[0]
	m, ka := sa[1], sa[2]
	if transA {
		m, ka = ka, m
	}
	kb, n := sb[1], sb[2]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		ag.Panicf(op, ag.ErrShape, "%s x %s: inner dimensions %d and %d differ", shapeStr(sa), shapeStr(sb), ka, kb)
	}
	out := ag.NewResult(matmulSumOps[b2i(transA)][b2i(transB)], x.DType, []int{m, n}, a, b)
	o := out.Operand(op)
	lda, ldb, ldc := max(1, ka), max(1, n), max(1, n)
	if transA {
		lda = max(1, m)
	}
	if transB {
		ldb = max(1, kb)
	}
	// One split across the cores for the whole sum, each piece of the result accumulating
	// every product (gemm.SgemmSum), rather than a split of each product.
	if x.DType == ag.Float32 {
		gemm.SgemmSum(transA, transB, m, n, ka, batch, x.F32, lda, m*ka, y.F32, ldb, kb*n, 0, o.F32, ldc)
	} else {
		gemm.DgemmSum(transA, transB, m, n, ka, batch, x.F64, lda, m*ka, y.F64, ldb, kb*n, 0, o.F64, ldc)
	}
	return out
}
