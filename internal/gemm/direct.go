package gemm

import "math/bits"

// directFunc computes an r×w tile C = alpha·op(A)·B + beta·C without packing: op(A)(i, p) is
// a[i·ars + p·aps] and B(p, j) is b[p·ldb + j]. The tile's last vector of columns is read and
// written under the lane mask mask. k must be at least 1. When beta is ±0, C is not read.
type directFunc[T float] func(k int, a *T, ars, aps int, b *T, ldb int, c *T, ldc int, alpha, beta T, mask uint64)

// directKernels holds the direct kernels of one element type and instruction set: fn[r−1][v−1]
// computes tiles of r rows and v vectors of lanes elements, for r up to rows and v up to vecs.
type directKernels[T float] struct {
	fn                [8][3]directFunc[T]
	rows, vecs, lanes int
}

// Limits of the direct path (see args.useDirect).
var (
	// directWork bounds m·n·k: beyond it the product takes the packed path, which splits it
	// across cores. BenchmarkDirectVsPacked measures the trade; under load the direct path
	// won up to 160³, and a quiet machine favours splitting, so the bound is kept where
	// splitting a 2-core product could pay.
	directWork = 96 * 96 * 96
	// directK bounds k: the B panel of one column tile (k rows of 3 vectors, 48 KB at most for
	// float64) should stay in the L1 cache while the tile's rows sweep it.
	directK = 256
)

// directAsPacked reports whether kernel kr's direct path gives the product the packed path's
// bits: with a depth of one cache block at most, both sum the k products with one fused
// multiply-add each in the same order from zero and then scale by alpha, and with beta 0 or 1
// both add C with one rounding, where the packed path's edge tiles (alpha·v + beta·c in Go)
// would round beta·c apart for another beta (testDirect). The pieces of a split product take
// it whatever their size, and so does the weight-gradient product of the fused SGD update
// (C ← C − η·AᵀB, beta 1; optim.SGD.BackwardStep), which took the packed path before.
func (g *args[T]) directAsPacked(kr *kernel[T]) bool {
	return (g.beta == 0 || g.beta == 1) && kr.direct != nil && g.k <= min(directK, kr.kc)
}

// useDirect reports whether the product should take the direct path of kernel kr.
func (g *args[T]) useDirect(kr *kernel[T]) bool {
	return kr.direct != nil && g.k <= directK && g.m*g.n*g.k <= directWork
}

// direct computes the product with kr's direct kernels on the calling goroutine: C is swept in
// tiles of up to 8 rows and 3 vectors of columns (6 and 2 with AVX2), read in place from A and B. With B
// transposed, each column tile's part of op(B) is first copied to a k-row panel (with the
// gathering pack where it applies), the only packing this path does. k > 0.
func (g *args[T]) direct(kr *kernel[T]) {
	m, n, k := g.m, g.n, g.k
	ars, aps := g.lda, 1
	if g.transA {
		ars, aps = 1, g.lda
	}
	dk := kr.direct
	vl := dk.lanes
	// op(B) of one column (n = 1), or of one row (k = 1) whose elements are adjacent in b, lies
	// in b as plain B with row stride 1 would: it is read in place, without a panel from the
	// locked stock (a gradient G·Wᵀ of a layer with one output or one input).
	pack := g.transB && n > 1 && (k > 1 || g.ldb > 1)
	var buf *packBuf[T]
	if pack {
		buf = bufStock[T]().get()
		buf.b = aligned(buf.b, k*dk.vecs*vl)
	}
	// One tile (a small layer's product): the loops below would run once; going straight to the
	// kernel took a 4×4×2 Dgemm from 25.5 to 19.7 ns.
	if !pack && m <= dk.rows && n <= vl {
		ldb := g.ldb
		if g.transB {
			ldb = 1
		}
		dk.fn[m-1][0](k, &g.a[0], ars, aps, &g.b[0], ldb, &g.c[0], g.ldc, g.alpha, g.beta, uint64(1)<<n-1)
		return
	}
	nvec := (n + vl - 1) >> bits.TrailingZeros(uint(vl)) // lanes is a power of two: no division
	for j0, v0 := 0, 0; v0 < nvec; {
		nv := directTileVectors(nvec-v0, dk.vecs)
		cols := min(nv*vl, n-j0)
		mask := uint64(1)<<(cols-(nv-1)*vl) - 1
		b, ldb := g.b[j0:], g.ldb
		switch {
		case pack: // op(B)'s columns j0… are rows of b: copy them to a k×(nv·vl) panel
			packB(buf.b, g.b, g.ldb, true, 0, k, j0, cols, nv*vl)
			b, ldb = buf.b, nv*vl
		case g.transB: // in place: op(B)(p, j) is b[p + j] (n = 1, or k = 1 and ldb = 1)
			ldb = 1
		}
		for i0 := 0; i0 < m; i0 += dk.rows {
			rows := min(dk.rows, m-i0)
			dk.fn[rows-1][nv-1](k, &g.a[i0*ars], ars, aps, &b[0], ldb, &g.c[i0*g.ldc+j0], g.ldc, g.alpha, g.beta, mask)
		}
		j0 += cols
		v0 += nv
	}
	if buf != nil {
		bufStock[T]().put(buf)
	}
}

// directTileVectors returns the width in vectors of the next column tile when left vectors of
// columns remain and tiles are at most vecs wide: with vecs 3, 3 while that leaves no lone
// vector, so that 4 vectors go as 2+2 and 7 as 3+2+2 (a one-vector tile has too few independent
// sums to keep the FMA units busy); with vecs 2, 2 until one may be left.
func directTileVectors(left, vecs int) int {
	switch {
	case left <= vecs:
		return left
	case vecs == 3 && left == 4:
		return 2
	}
	return vecs
}
