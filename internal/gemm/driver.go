package gemm

import (
	"unsafe"
)

// packBuf holds one worker's packing buffers.
type packBuf[T float] struct {
	a, b []T
	tmp  [maxTile]T // edge tiles
}

// aligned returns a slice of length n whose first element is 64-byte aligned,
// reusing s when it is large enough.
func aligned[T float](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	var z T
	pad := 64 / int(unsafe.Sizeof(z))
	s = make([]T, n+pad)
	off := int(uintptr(unsafe.Pointer(&s[0]))%64) / int(unsafe.Sizeof(z))
	if off != 0 {
		off = pad - off
	}
	return s[off : off+n : off+n]
}

// serial computes the product on the calling goroutine with packing buffers
// from the pool.
func (g *args[T]) serial(kr *kernel[T]) {
	if kr.viaGonum {
		g.viaGonum()
		return
	}
	stock := bufStock[T]()
	buf := stock.get()
	g.blocked(kr, buf)
	stock.put(buf)
}

// blockSize splits total into equal blocks of at most about max, each a
// multiple of align, and returns the block size.
func blockSize(total, max, align int) int {
	nb := (total + max - 1) / max
	bs := (total + nb - 1) / nb
	return (bs + align - 1) / align * align
}

// blocks returns the cache blocks blocked uses for the product: kc deep, mc rows of op(A) and
// nc columns of op(B).
func (g *args[T]) blocks(kr *kernel[T]) (kc, mc, nc int) {
	return blockSize(g.k, kr.kc, 1), blockSize(g.m, kr.mc, kr.mr), blockSize(g.n, kr.nc, kr.nr)
}

// blocked computes the product with the packed, cache-blocked algorithm:
// for each nc-wide column block and kc-deep slice, op(B) is packed once; for
// each mc-tall row block op(A) is packed, and the micro-kernel sweeps the
// mr×nr tiles. Edge tiles go through a buffer.
func (g *args[T]) blocked(kr *kernel[T], buf *packBuf[T]) {
	m, n, k := g.m, g.n, g.k
	mr, nr := kr.mr, kr.nr
	kc, mc, nc := g.blocks(kr)
	buf.a = aligned(buf.a, mc*kc)
	buf.b = aligned(buf.b, nc*kc)
	ap, bp := buf.a, buf.b
	c, ldc, alpha := g.c, g.ldc, g.alpha
	tmp := &buf.tmp
	for jc := 0; jc < n; jc += nc {
		ncb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kcb := min(kc, k-pc)
			packB(bp, g.b, g.ldb, g.transB, pc, kcb, jc, ncb, nr)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			for ic := 0; ic < m; ic += mc {
				mcb := min(mc, m-ic)
				packA(ap, g.a, g.lda, g.transA, ic, mcb, pc, kcb, mr)
				kr.sweep(kcb, ap, bp, mcb, ncb, c[ic*ldc+jc:], ldc, alpha, beta, tmp)
			}
		}
	}
}

// sweep runs the micro-kernel over an mcb×ncb block of C (c, leading dimension ldc) from a packed
// block of op(A) (ap, mcb rows) and a packed panel of op(B) (bp, ncb columns), both kcb deep:
// C = alpha·A·B + beta·C. Whole tiles are computed in place; edge tiles go through tmp.
func (kr *kernel[T]) sweep(kcb int, ap, bp []T, mcb, ncb int, c []T, ldc int, alpha, beta T, tmp *[maxTile]T) {
	mr, nr := kr.mr, kr.nr
	for jr := 0; jr < ncb; jr += nr {
		cols := min(nr, ncb-jr)
		bpan := &bp[jr*kcb]
		for ir := 0; ir < mcb; ir += mr {
			rows := min(mr, mcb-ir)
			apan := &ap[ir*kcb]
			ci := ir*ldc + jr
			if rows == mr && cols == nr {
				kr.fn(kcb, apan, bpan, &c[ci], ldc, alpha, beta)
				continue
			}
			kr.fn(kcb, apan, bpan, &tmp[0], nr, 1, 0)
			for r := 0; r < rows; r++ {
				crow := c[ci+r*ldc : ci+r*ldc+cols]
				trow := tmp[r*nr : r*nr+cols]
				if beta == 0 {
					for j, v := range trow {
						crow[j] = alpha * v
					}
				} else {
					for j, v := range trow {
						crow[j] = alpha*v + beta*crow[j]
					}
				}
			}
		}
	}
}
