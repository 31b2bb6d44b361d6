package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// MatMul returns the matrix product a·b, as torch.matmul (Python's @) does for operands of rank 1
// to 3. Matrices are 2-D (m×k times k×n) or 3-D batches of matrices; a 2-D operand is shared by
// every matrix of a 3-D one, and batch sizes of 1 broadcast. A 1-D operand is a vector: on the
// left it is read as a 1×k row and on the right as a k×1 column, and that axis is dropped from
// the result, so vector·matrix (k)·(k,n) gives (n), matrix·vector (m,k)·(k) gives (m), a batch
// (b,m,k)·(k) gives (b,m), and vector·vector gives the scalar dot product. MatMul panics if an
// operand's rank is not 1, 2 or 3, if the dtypes differ, or if the inner dimensions differ,
// naming both shapes.
func MatMul(a, b ag.Var) ag.Var {
	const op = "ops.MatMul"
	ra, rb := len(a.Check(op).Shape()), len(b.Check(op).Shape()) // not Operand: see unary
	if ra >= 2 && rb >= 2 && ra <= 3 && rb <= 3 {
		return MatMulT(a, b, false, false)
	}
	return matMulVector(a, b)
}

// matMulVector is MatMul with a 1-D operand (or a rank out of range): the vector is reshaped to
// a 1×k or k×1 matrix, multiplied, and the result reshaped to drop the added axis. Reshape is a
// view with its own derivative rule, so gradients of every order come from the chain rule.
func matMulVector(a, b ag.Var) ag.Var {
	const op = "ops.MatMul"
	sa, sb := a.Shape(), b.Shape()
	ra, rb := len(sa), len(sb)
	if ra < 1 || ra > 3 || rb < 1 || rb > 3 {
		ag.Panicf(op, ag.ErrShape, "%s x %s: operands must be 1-D, 2-D or 3-D", shapeStr(sa), shapeStr(sb))
	}
	if a.DType() != b.DType() {
		ag.Panicf(op, ag.ErrDType, "%v %s x %v %s: convert one with ops.Cast", a.DType(), shapeStr(sa), b.DType(), shapeStr(sb))
	}
	ka, kb := sa[ra-1], sb[0]
	if rb > 1 {
		kb = sb[rb-2]
	}
	if ka != kb {
		ag.Panicf(op, ag.ErrShape, "%s x %s: inner dimensions %d and %d differ", shapeStr(sa), shapeStr(sb), ka, kb)
	}
	x, y := a, b
	if ra == 1 {
		x = Reshape(a, 1, ka)
	}
	if rb == 1 {
		y = Reshape(b, kb, 1)
	}
	out := MatMulT(x, y, false, false)
	so := out.Shape()
	var buf dims
	shape := append(buf[:0], so[:len(so)-2]...) // the batch axis, if any
	if ra > 1 {
		shape = append(shape, so[len(so)-2])
	}
	if rb > 1 {
		shape = append(shape, so[len(so)-1])
	}
	return Reshape(out, shape...)
}

// MatMulT returns op(a)·op(b), where op transposes the last two axes of its operand when the
// matching flag is set. The transpose is never materialised: the GEMM kernel reads the operand
// in transposed order, and MatMul's own derivative rules use these flags.
func MatMulT(a, b ag.Var, transA, transB bool) ag.Var {
	const op = "ops.MatMul"
	sa, sb := a.Check(op).Shape(), b.Check(op).Shape() // the accessors, not Operand: see unary
	if len(sa) < 2 || len(sa) > 3 || len(sb) < 2 || len(sb) > 3 {
		ag.Panicf(op, ag.ErrShape, "%s x %s: operands must be 2-D or 3-D", shapeStr(sa), shapeStr(sb))
	}
	dt := a.DType()
	if dtb := b.DType(); dtb != dt {
		ag.Panicf(op, ag.ErrDType, "%v %s x %v %s: convert one with ops.Cast", dt, shapeStr(sa), dtb, shapeStr(sb))
	}
	m, ka := sa[len(sa)-2], sa[len(sa)-1]
	if transA {
		m, ka = ka, m
	}
	kb, n := sb[len(sb)-2], sb[len(sb)-1]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		ag.Panicf(op, ag.ErrShape, "%s x %s: inner dimensions %d and %d differ", shapeStr(sa), shapeStr(sb), ka, kb)
	}
	batchA, batchB := batchOf(sa), batchOf(sb)
	batch := batchA // batches of 1 broadcast; a batch of 0 stays 0
	if batchA == 1 {
		batch = batchB
	}
	if batchA != batchB && batchA != 1 && batchB != 1 {
		ag.Panicf(op, ag.ErrShape, "%s x %s: batch sizes %d and %d differ", shapeStr(sa), shapeStr(sb), batchA, batchB)
	}
	var buf dims
	shape := buf[:0]
	if len(sa) == 3 || len(sb) == 3 {
		shape = append(shape, batch)
	}
	shape = append(shape, m, n)
	out := ag.NewResult(matmulOps[b2i(transA)][b2i(transB)], dt, shape, a, b)
	// Leading dimensions are at least 1, as GEMM requires even for empty operands.
	lda, ldb, ldc := max(1, ka), max(1, n), max(1, n)
	if transA {
		lda = max(1, m)
	}
	if transB {
		ldb = max(1, kb)
	}
	strideA, strideB := 0, 0
	if batchA > 1 {
		strideA = m * ka
	}
	if batchB > 1 {
		strideB = kb * n
	}
	if batch == 1 { // one product, no batch to split: straight to the kernel
		if dt == ag.Float32 {
			gemm.Sgemm(transA, transB, m, n, ka, 1, a.Data32(), lda, b.Data32(), ldb, 0, out.Data32(), ldc)
		} else {
			gemm.Dgemm(transA, transB, m, n, ka, 1, a.Data64(), lda, b.Data64(), ldb, 0, out.Data64(), ldc)
		}
		return out
	}
	if dt == ag.Float32 && splitBatch(&batchTasks32, transA, transB, batch, m, n, ka, a.Data32(), lda, b.Data32(), ldb, out.Data32(), ldc, strideA, strideB) ||
		dt == ag.Float64 && splitBatch(&batchTasks64, transA, transB, batch, m, n, ka, a.Data64(), lda, b.Data64(), ldb, out.Data64(), ldc, strideA, strideB) {
		return out
	}
	for i := 0; i < batch; i++ {
		if dt == ag.Float32 {
			gemm.Sgemm(transA, transB, m, n, ka, 1, a.Data32()[i*strideA:], lda, b.Data32()[i*strideB:], ldb, 0, out.Data32()[i*m*n:], ldc)
		} else {
			gemm.Dgemm(transA, transB, m, n, ka, 1, a.Data64()[i*strideA:], lda, b.Data64()[i*strideB:], ldb, 0, out.Data64()[i*m*n:], ldc)
		}
	}
	return out
}

func batchOf(s []int) int {
	if len(s) == 3 {
		return s[0]
	}
	return 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
