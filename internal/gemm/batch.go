package gemm

// SgemmBatch computes C_i = alpha·op(A_i)·op(B_i) + beta·C_i for the products i in [lo, hi) of a
// batch, on the calling goroutine, where A_i starts at a[i·strideA], B_i at b[i·strideB] and C_i
// at c[i·strideC], each as in Sgemm. Callers split a batch across the cores by ranges of whole
// products, so no product is split on its own, and the direct path (operands read in place,
// see direct.go) takes every product it can (k ≤ directK, op(A) of at most batchDirectA
// elements) whatever its size: its size bound is where splitting one product across the cores
// starts to pay, and on one core it beats packing at the sizes of MultiHeadAttention's products
// (issue 12: per head, 128×128×64 and 64×128×128, 20-40% less CPU time; per example,
// 256×128×256, 10-25%). The other products are computed as Sgemm computes them on one core,
// bit for bit; an operand of stride 0 is shared by every product, and packed once for the range
// rather than once per product. SgemmBatch panics as Sgemm does if a product's operands are out
// of range, or if a stride is negative.
func SgemmBatch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC, lo, hi int) {
	var g args[float32]
	g.set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	g.batch(skern, strideA, strideB, strideC, lo, hi)
}

// DgemmBatch is SgemmBatch for float64.
func DgemmBatch(transA, transB bool, m, n, k int, alpha float64, a []float64, lda, strideA int, b []float64, ldb, strideB int, beta float64, c []float64, ldc, strideC, lo, hi int) {
	var g args[float64]
	g.set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	g.batch(dkern, strideA, strideB, strideC, lo, hi)
}

// product returns the arguments of product i of the batch g starts.
func (g *args[T]) product(i, strideA, strideB, strideC int) args[T] {
	p := *g
	p.a, p.b, p.c = g.a[i*strideA:], g.b[i*strideB:], g.c[i*strideC:]
	return p
}

// batch runs products [lo, hi) of the batch g starts with kernel kr.
func (g *args[T]) batch(kr *kernel[T], strideA, strideB, strideC, lo, hi int) {
	if strideA < 0 || strideB < 0 || strideC < 0 {
		panic("gemm: negative batch stride")
	}
	if lo >= hi {
		return
	}
	last := g.product(hi-1, strideA, strideB, strideC)
	last.check() // the last product reaches furthest into each operand
	g.check()
	if g.m > 0 && g.n > 0 && g.k > 0 && g.alpha != 0 && g.batchDirect(kr) {
		for i := lo; i < hi; i++ {
			p := g.product(i, strideA, strideB, strideC)
			p.direct(kr)
		}
		return
	}
	sharedA, sharedB := strideA == 0, strideB == 0
	if hi-lo < 2 || sharedA == sharedB || // nothing shared, or nothing else to pack
		kr.viaGonum || g.m == 0 || g.n == 0 || g.k == 0 || g.alpha == 0 ||
		g.useDirect(kr) || g.m*g.n*g.k <= smallWork {
		for i := lo; i < hi; i++ {
			p := g.product(i, strideA, strideB, strideC)
			p.run(kr)
		}
		return
	}
	stock := bufStock[T]()
	buf := stock.get()
	bl := g.blocking(kr)
	// The shared operand, packed whole, goes in the buffer of its own side, which then holds
	// all its blocks one after another (see blocking.sharedA and sharedB); the other side's
	// buffer holds one block at a time, as in blocked.
	if sharedA {
		buf.a = aligned(buf.a, bl.mpad*g.k)
		g.packSharedA(bl, buf.a)
		buf.b = aligned(buf.b, bl.nc*bl.kc)
	} else {
		buf.b = aligned(buf.b, bl.npad*g.k)
		g.packSharedB(bl, buf.b)
		buf.a = aligned(buf.a, bl.mc*bl.kc)
	}
	for i := lo; i < hi; i++ {
		p := g.product(i, strideA, strideB, strideC)
		p.blockedShared(kr, bl, buf, sharedA, sharedB)
	}
	stock.put(buf)
}

// batchDirectA bounds the elements of op(A) of a product SgemmBatch computes by the direct
// path: each column tile of C reads the whole of op(A) again, which should stay in the L2 cache
// (512 KB of float32).
var batchDirectA = 128 << 10

// batchDirect reports whether SgemmBatch computes the batch's products by the direct path.
func (g *args[T]) batchDirect(kr *kernel[T]) bool {
	return kr.direct != nil && g.k <= directK && g.m*g.k <= batchDirectA && g.m*g.n*g.k > smallWork
}

// blocking holds the cache blocks of one product, as blocked chooses them, the register tile,
// and the rows of op(A) and columns of op(B) rounded up to whole micro-panels.
type blocking struct {
	kc, mc, nc int
	mr, nr     int
	mpad, npad int
}

func (g *args[T]) blocking(kr *kernel[T]) blocking {
	kc, mc, nc := g.blocks(kr)
	return blocking{
		kc:   kc,
		mc:   mc,
		nc:   nc,
		mr:   kr.mr,
		nr:   kr.nr,
		mpad: roundUp(g.m, kr.mr),
		npad: roundUp(g.n, kr.nr),
	}
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// sharedA returns the offset, in op(A) packed whole, of the block of rows ic… and depth pc…
// (kcb deep): the depth slices follow one another, mpad rows each, and within a slice the row
// blocks, whole mc-row blocks but the last.
func (bl blocking) sharedA(ic, pc, kcb int) int { return pc*bl.mpad + ic*kcb }

// sharedB returns the offset, in op(B) packed whole, of the block of columns jc… (ncb of them)
// and depth pc…: the column blocks follow one another, whole nc-column blocks k deep but the
// last, and within a column block the depth slices.
func (bl blocking) sharedB(jc, ncb, pc, k int) int { return jc*k + pc*roundUp(ncb, bl.nr) }

// packSharedA packs the whole of op(A) into dst, block by block as blocked packs them, at the
// offsets of blocking.sharedA.
func (g *args[T]) packSharedA(bl blocking, dst []T) {
	for pc := 0; pc < g.k; pc += bl.kc {
		kcb := min(bl.kc, g.k-pc)
		for ic := 0; ic < g.m; ic += bl.mc {
			mcb := min(bl.mc, g.m-ic)
			packA(dst[bl.sharedA(ic, pc, kcb):], g.a, g.lda, g.transA, ic, mcb, pc, kcb, bl.mr)
		}
	}
}

// packSharedB packs the whole of op(B) into dst, block by block as blocked packs them, at the
// offsets of blocking.sharedB.
func (g *args[T]) packSharedB(bl blocking, dst []T) {
	for jc := 0; jc < g.n; jc += bl.nc {
		ncb := min(bl.nc, g.n-jc)
		for pc := 0; pc < g.k; pc += bl.kc {
			kcb := min(bl.kc, g.k-pc)
			packB(dst[bl.sharedB(jc, ncb, pc, g.k):], g.b, g.ldb, g.transB, pc, kcb, jc, ncb, bl.nr)
		}
	}
}

// blockedShared is blocked with the operand of the side shared (sharedA or sharedB) already
// packed whole in buf (by packSharedA or packSharedB), and the other packed block by block. It
// calls the micro-kernel on the same blocks in the same order as blocked, so the results are
// bit-identical.
func (g *args[T]) blockedShared(kr *kernel[T], bl blocking, buf *packBuf[T], sharedA, sharedB bool) {
	m, n, k := g.m, g.n, g.k
	mr, nr := kr.mr, kr.nr
	c, ldc, alpha := g.c, g.ldc, g.alpha
	tmp := &buf.tmp
	for jc := 0; jc < n; jc += bl.nc {
		ncb := min(bl.nc, n-jc)
		for pc := 0; pc < k; pc += bl.kc {
			kcb := min(bl.kc, k-pc)
			bp := buf.b
			if sharedB {
				bp = buf.b[bl.sharedB(jc, ncb, pc, k):]
			} else {
				packB(bp, g.b, g.ldb, g.transB, pc, kcb, jc, ncb, nr)
			}
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			for ic := 0; ic < m; ic += bl.mc {
				mcb := min(bl.mc, m-ic)
				ap := buf.a
				if sharedA {
					ap = buf.a[bl.sharedA(ic, pc, kcb):]
				} else {
					packA(ap, g.a, g.lda, g.transA, ic, mcb, pc, kcb, mr)
				}
				kr.sweep(kcb, ap, bp, mcb, ncb, c[ic*ldc+jc:], ldc, alpha, beta, tmp)
			}
		}
	}
}
