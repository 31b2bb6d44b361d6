package gemm

import (
	"math"
	"unsafe"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// SgemmSum computes C = Σᵢ op(A_i)·op(B_i) + beta·C over the batch i in [0, batch), where A_i
// starts at a[i·strideA] and B_i at b[i·strideB], each as in Sgemm with alpha 1: the gradient of
// a weight shared by a batch of products. Large sums are split across the cores once, by pieces
// of C each accumulating every product in turn, rather than each product being split on its
// own, which would pay a fork and a join per product (16 per attention weight in the
// transformer benchmark, issue 12). A batch of 0 sets C = beta·C. SgemmSum panics as Sgemm does
// if an operand is out of range, or if batch or a stride is negative.
func SgemmSum(transA, transB bool, m, n, k, batch int, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc int) {
	var g args[float32]
	g.set(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
	g.sum(skern, batch, strideA, strideB)
}

// DgemmSum is SgemmSum for float64.
func DgemmSum(transA, transB bool, m, n, k, batch int, a []float64, lda, strideA int, b []float64, ldb, strideB int, beta float64, c []float64, ldc int) {
	var g args[float64]
	g.set(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
	g.sum(dkern, batch, strideA, strideB)
}

// sum runs the sum of a batch of products g starts with kernel kr.
func (g *args[T]) sum(kr *kernel[T], batch, strideA, strideB int) {
	if batch < 0 || strideA < 0 || strideB < 0 {
		panic("gemm: negative batch or stride")
	}
	if batch == 0 { // no operand to read: check C alone, as a product of depth 0
		g.k = 0
		g.check()
		if g.m > 0 && g.n > 0 {
			g.scaleC()
		}
		return
	}
	last := g.product(batch-1, strideA, strideB, 0)
	last.check()
	g.check()
	if g.m == 0 || g.n == 0 {
		return
	}
	work := g.m * g.n * g.k
	if kr.splitFactor > 1 {
		work /= kr.splitFactor
	}
	w := 1
	if !kr.viaGonum && work*batch >= parallelWork && parallel.Free() {
		w = parallel.Chunks(maxParts, 1)
	}
	byN, tiles := g.splitAxis(kr, w)
	w = min(w, tiles)
	if w <= 1 {
		g.sumRange(kr, batch, strideA, strideB)
		return
	}
	var p any = &sumPool64
	if unsafe.Sizeof(g.alpha) == 4 {
		p = &sumPool32
	}
	pool := p.(*freelist.List[sumSplit[T]])
	s := pool.Get()
	*s = sumSplit[T]{split[T]{kr, *g, byN, tiles, w}, batch, strideA, strideB}
	parallel.ForTask(w, 1, s)
	*s = sumSplit[T]{}
	pool.Put(s)
}

// splitAxis returns whether to split C along n rather than m into w pieces, and the number of
// tiles along that axis: the split whose largest piece costs less in splitCosts's model (m on a
// tie).
func (g *args[T]) splitAxis(kr *kernel[T], w int) (byN bool, tiles int) {
	costM, costN, _ := g.splitCosts(kr, w)
	if costN < costM {
		return true, (g.n + kr.nr - 1) / kr.nr
	}
	return false, (g.m + kr.mr - 1) / kr.mr
}

// splitCosts returns the cost of the largest piece of g split into w pieces along m, n and k,
// counting its multiply-adds (whole tiles) and the packing each piece repeats, packWeight per
// element: a piece along n packs all of op(A) and its share of op(B), one along m all of op(B),
// one along k its share of both, and the caller adds to C a partial sum of C's size for each
// cache block of depth past the first piece's (splitk.go). Without cache blocks (kc 0) or depth,
// costK is the largest int.
func (g *args[T]) splitCosts(kr *kernel[T], w int) (costM, costN, costK int) {
	m, n, k := g.m, g.n, g.k
	mt := (m + kr.mr - 1) / kr.mr
	nt := (n + kr.nr - 1) / kr.nr
	pn := (nt + w - 1) / w * kr.nr
	pm := (mt + w - 1) / w * kr.mr
	pk := (k + w - 1) / w
	costM = pm*nt*kr.nr*k + packWeight*(n*k+pm*k)
	costN = pn*mt*kr.mr*k + packWeight*(m*k+pn*k)
	costK = math.MaxInt
	if kr.kc > 0 && k > 0 {
		nb := numBlocks(k, kr.kc)
		costK = mt*kr.mr*nt*kr.nr*pk + packWeight*(m*pk+pk*n+(nb-nb/w)*m*n)
	}
	return costM, costN, costK
}

// sumRange accumulates the batch's products into g's C one after another, on this core (the
// first scaled by beta, the others added), by the direct path where SgemmBatch would take it.
func (g *args[T]) sumRange(kr *kernel[T], batch, strideA, strideB int) {
	direct := g.k > 0 && g.batchDirect(kr)
	for i := range batch {
		p := g.product(i, strideA, strideB, 0)
		if i > 0 {
			p.beta = 1
		}
		if direct {
			p.direct(kr)
		} else {
			p.run(kr)
		}
	}
}

// sumSplit is the pooled state of one split sum: piece i of C, as split.piece cuts it,
// accumulates every product of the batch.
type sumSplit[T float] struct {
	split[T]
	batch, strideA, strideB int
}

var (
	sumPool64 freelist.List[sumSplit[float64]]
	sumPool32 freelist.List[sumSplit[float32]]
)

// RunAlone computes every piece on the caller; it implements parallel.AloneTask. It must be
// written here: the one promoted from the embedded split would compute a single product.
func (s *sumSplit[T]) RunAlone() { s.Run(0, s.w) }

// Run computes pieces [lo, hi); it implements parallel.Task.
func (s *sumSplit[T]) Run(lo, hi int) {
	for i := lo; i < hi; i++ {
		p := s.piece(i)
		p.sumRange(s.kr, s.batch, s.strideA, s.strideB)
	}
}
