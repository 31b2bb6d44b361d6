package ops

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/gemm"
	"github.com/gograd/gograd/internal/parallel"
)

// batchSplitWork is the number of multiply-adds per product below which a batch of products is
// split across the cores by whole products, each running on one core, rather than each product
// split on its own, which pays a fork and a join per product: in the transformer benchmark,
// 64 per-head products of 128×128×64 per attention product, and 16 per-example projections of
// 256×128×256 (issue 12). Each product then runs on one core, so from a quarter of this size
// a batch is split so only if it has a product for every core.
const batchSplitWork = 16 << 20

// batchTask runs products [lo, hi) of a batch of GEMMs for the worker pool, from a free list so
// that a steady step allocates nothing.
type batchTask[T float] struct {
	transA, transB           bool
	m, n, k                  int
	a, b, c                  []T
	lda, ldb, ldc            int
	strideA, strideB, stride int
}

// Run runs products [lo, hi) on this core (the pool being held), packing an operand shared by
// the batch (a 2-D operand, stride 0: a layer's weight) once for the range rather than once per
// product.
func (t *batchTask[T]) Run(lo, hi int) {
	if isF32[T]() {
		gemm.SgemmBatch(t.transA, t.transB, t.m, t.n, t.k, 1, as32(t.a), t.lda, t.strideA, as32(t.b), t.ldb, t.strideB, 0, as32(t.c), t.ldc, t.stride, lo, hi)
	} else {
		gemm.DgemmBatch(t.transA, t.transB, t.m, t.n, t.k, 1, as64(t.a), t.lda, t.strideA, as64(t.b), t.ldb, t.strideB, 0, as64(t.c), t.ldc, t.stride, lo, hi)
	}
}

var (
	batchTasks32 freelist.List[batchTask[float32]]
	batchTasks64 freelist.List[batchTask[float64]]
)

// splitBatch runs a batch of products by whole products across the cores and reports true, or
// reports false (the caller runs them one by one) when the batch is too small to split or each
// product is large enough to split on its own.
func splitBatch[T float](list *freelist.List[batchTask[T]], transA, transB bool, batch, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc, strideA, strideB int) bool {
	work := m * n * k
	if batch < 2 || work >= batchSplitWork || work >= batchSplitWork/4 && batch < parallel.Chunks(1<<20, 1) {
		return false
	}
	t := list.Get()
	*t = batchTask[T]{transA, transB, m, n, k, a, b, c, lda, ldb, ldc, strideA, strideB, m * n}
	parallel.ForTask(batch, 1, t)
	*t = batchTask[T]{}
	list.Put(t)
	return true
}
