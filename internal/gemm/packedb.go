package gemm

// PackerB supplies the B operand of SgemmPackedB and DgemmPackedB block by block, for a B that
// is never stored whole: a convolution's unfolded image, for instance, is written straight
// into the packed panels instead of into a matrix that packing would then copy.
type PackerB[T float] interface {
	// PackB writes the kc×nc block of B whose top-left element is (p0, j0) into dst as
	// consecutive micro-panels of nr columns: panel q holds, for each of the kc rows, the nr
	// values of columns j0+q·nr … j0+q·nr+nr−1, zeros past column j0+nc−1. dst holds
	// ⌈nc/nr⌉·nr·kc elements. PackB may be called from several goroutines at once.
	PackB(dst []T, p0, kc, j0, nc, nr int)
}

// SgemmPackedB computes C = op(A)·B + beta·C like Sgemm with alpha 1, B (k×n) coming from
// pb. It runs on the calling goroutine (callers split their own work over the cores) and
// panics as Sgemm does.
func SgemmPackedB(transA bool, m, n, k int, a []float32, lda int, pb PackerB[float32], beta float32, c []float32, ldc int) {
	packedB(skern, transA, m, n, k, a, lda, pb, beta, c, ldc)
}

// DgemmPackedB is SgemmPackedB for float64.
func DgemmPackedB(transA bool, m, n, k int, a []float64, lda int, pb PackerB[float64], beta float64, c []float64, ldc int) {
	packedB(dkern, transA, m, n, k, a, lda, pb, beta, c, ldc)
}

// packedB checks the operands and runs blockedPackedB with buffers from the pool.
func packedB[T float](kr *kernel[T], transA bool, m, n, k int, a []T, lda int, pb PackerB[T], beta T, c []T, ldc int) {
	checkAC(transA, m, n, k, a, lda, c, ldc)
	g := args[T]{transA: transA, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, beta: beta, c: c, ldc: ldc}
	if g.m == 0 || g.n == 0 {
		return
	}
	if g.k == 0 {
		g.scaleC()
		return
	}
	stock := bufStock[T]()
	buf := stock.get()
	g.blockedPackedB(panelKernel(kr), buf, pb)
	stock.put(buf)
}

// blockedPackedB is blocked with op(B)'s blocks packed by pb.
func (g *args[T]) blockedPackedB(kr *kernel[T], buf *packBuf[T], pb PackerB[T]) {
	m, n, k := g.m, g.n, g.k
	mr, nr := kr.mr, kr.nr
	kc, mc, nc := g.blocks(kr)
	buf.a = aligned(buf.a, mc*kc)
	buf.b = aligned(buf.b, nc*kc)
	ap, bp := buf.a, buf.b
	c, ldc := g.c, g.ldc
	tmp := &buf.tmp
	for jc := 0; jc < n; jc += nc {
		ncb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kcb := min(kc, k-pc)
			pb.PackB(bp[:(ncb+nr-1)/nr*nr*kcb], pc, kcb, jc, ncb, nr)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			for ic := 0; ic < m; ic += mc {
				mcb := min(mc, m-ic)
				packA(ap, g.a, g.lda, g.transA, ic, mcb, pc, kcb, mr)
				kr.sweep(kcb, ap, bp, mcb, ncb, c[ic*ldc+jc:], ldc, 1, beta, tmp)
			}
		}
	}
}

// panelKernel returns kr, or this architecture's pure-Go kernel when kr hands whole products to
// gonum (builds without this package's assembly, see viagonum.go) and so has no micro-kernel to
// run on packed panels.
func panelKernel[T float](kr *kernel[T]) *kernel[T] {
	if !kr.viaGonum {
		return kr
	}
	if k, ok := any(genericKernel64).(*kernel[T]); ok {
		return k
	}
	return any(genericKernel32).(*kernel[T])
}

// checkAC panics if the dimensions are negative or op(A) (m×k) or C (m×n) is out of range: the
// checks of a product whose B comes packed.
func checkAC[T float](transA bool, m, n, k int, a []T, lda int, c []T, ldc int) {
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	switch {
	case m < 0 || n < 0 || k < 0:
		panic("gemm: negative dimension")
	case lda < max(1, ac):
		panic("gemm: bad lda")
	case ldc < max(1, n):
		panic("gemm: bad ldc")
	case ar > 0 && ac > 0 && len(a) < (ar-1)*lda+ac:
		panic("gemm: short A")
	case m > 0 && n > 0 && len(c) < (m-1)*ldc+n:
		panic("gemm: short C")
	}
}
