package gemm

import (
	"unsafe"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// SPackedBLen returns the number of elements SPackB writes for an op(B) of k×n: n rounded up
// to whole micro-panels, times k.
func SPackedBLen(k, n int) int { return packedBLen(panelKernel(skern), k, n) }

// DPackedBLen is SPackedBLen for float64.
func DPackedBLen(k, n int) int { return packedBLen(panelKernel(dkern), k, n) }

// SPackB packs the whole of op(B) (k×n; b[p·ldb+j], or b[j·ldb+p] when transB is set) into dst,
// of SPackedBLen(k, n) elements, for SgemmPrepackedB: a right operand shared by many products
// (a recurrent layer's weight, multiplied at every step of a sequence) is then packed once
// rather than at every product. Each depth slice of the cache blocking holds all the
// micro-panels of its rows one after another, so that any run of whole panels can be read in
// place. SPackB panics if a dimension is negative or a slice is too short.
func SPackB(transB bool, k, n int, b []float32, ldb int, dst []float32) {
	packWholeB(panelKernel(skern), transB, k, n, b, ldb, dst)
}

// DPackB is SPackB for float64.
func DPackB(transB bool, k, n int, b []float64, ldb int, dst []float64) {
	packWholeB(panelKernel(dkern), transB, k, n, b, ldb, dst)
}

// SgemmPrepackedB computes C = op(A)·B for row-major float32 matrices, with op(B) (k×n) packed
// by SPackB into pb. It gives the results of Sgemm with alpha 1 and beta 0, bit for bit (the
// micro-kernel runs on the same blocks in the same order), and splits large products across
// the cores by whole micro-panels of columns. It panics as Sgemm does, and if pb is shorter
// than SPackedBLen(k, n).
func SgemmPrepackedB(transA bool, m, n, k int, a []float32, lda int, pb []float32, c []float32, ldc int) {
	prepackedB(panelKernel(skern), transA, m, n, k, a, lda, pb, c, ldc)
}

// DgemmPrepackedB is SgemmPrepackedB for float64.
func DgemmPrepackedB(transA bool, m, n, k int, a []float64, lda int, pb []float64, c []float64, ldc int) {
	prepackedB(panelKernel(dkern), transA, m, n, k, a, lda, pb, c, ldc)
}

func packedBLen[T float](kr *kernel[T], k, n int) int { return roundUp(n, kr.nr) * k }

// packWholeB packs op(B) slice by slice: the slice of depth pc… (kcb deep, blockSize as
// blocked chooses it) starts at pc·npad and holds its ⌈n/nr⌉ panels of nr×kcb.
func packWholeB[T float](kr *kernel[T], transB bool, k, n int, b []T, ldb int, dst []T) {
	checkB(&args[T]{transB: transB, n: n, k: k, b: b, ldb: ldb})
	if len(dst) < packedBLen(kr, k, n) {
		panic("gemm: short packed B")
	}
	if n == 0 || k == 0 {
		return
	}
	kc, npad := blockSize(k, kr.kc, 1), roundUp(n, kr.nr)
	for pc := 0; pc < k; pc += kc {
		kcb := min(kc, k-pc)
		packB(dst[pc*npad:], b, ldb, transB, pc, kcb, 0, n, kr.nr)
	}
}

// checkB panics if the dimensions are negative or op(B) is out of range.
func checkB[T float](g *args[T]) {
	if g.n < 0 || g.k < 0 {
		panic("gemm: negative dimension")
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = bc, br
	}
	if g.ldb < max(1, bc) {
		panic("gemm: bad ldb")
	}
	if br > 0 && bc > 0 && len(g.b) < (br-1)*g.ldb+bc {
		panic("gemm: short B")
	}
}

// prepacked is the pooled state of one product with a packed B, and the parallel.Task of its
// pieces: runs of whole column panels.
type prepacked[T float] struct {
	kr       *kernel[T]
	g        args[T]
	pb       []T
	tiles, w int
}

var (
	prepackedPool64 freelist.List[prepacked[float64]]
	prepackedPool32 freelist.List[prepacked[float32]]
)

func prepackedB[T float](kr *kernel[T], transA bool, m, n, k int, a []T, lda int, pb []T, c []T, ldc int) {
	checkAC(transA, m, n, k, a, lda, c, ldc)
	if len(pb) < packedBLen(kr, k, n) {
		panic("gemm: short packed B")
	}
	g := args[T]{transA: transA, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, c: c, ldc: ldc}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		g.scaleC()
		return
	}
	var p any = &prepackedPool64
	if unsafe.Sizeof(g.alpha) == 4 {
		p = &prepackedPool32
	}
	pool := p.(*freelist.List[prepacked[T]])
	s := pool.Get()
	tiles := (n + kr.nr - 1) / kr.nr
	*s = prepacked[T]{kr, g, pb, tiles, 1}
	work := m * n * k
	if kr.splitFactor > 1 {
		work /= kr.splitFactor
	}
	if work >= parallelWork && parallel.Free() {
		s.w = min(parallel.Chunks(maxParts, 1), tiles)
	}
	if s.w > 1 {
		parallel.ForWork(s.w, 1, m*n*k, s)
	} else {
		s.columns(0, n)
	}
	*s = prepacked[T]{}
	pool.Put(s)
}

// Run computes pieces [lo, hi); it implements parallel.Task.
func (s *prepacked[T]) Run(lo, hi int) {
	for i := lo; i < hi; i++ {
		j0 := s.tiles * i / s.w * s.kr.nr
		j1 := min(s.tiles*(i+1)/s.w*s.kr.nr, s.g.n)
		s.columns(j0, j1)
	}
}

// RunAlone computes the whole product on the caller; it implements parallel.AloneTask.
func (s *prepacked[T]) RunAlone() { s.columns(0, s.g.n) }

// columns computes the columns [j0, j1) of C, j0 a multiple of nr, as blocked does with op(B)
// read from the packed slices.
func (s *prepacked[T]) columns(j0, j1 int) {
	g, kr := &s.g, s.kr
	m, n, k := g.m, g.n, g.k
	mr, nr := kr.mr, kr.nr
	kc, mc, _ := g.blocks(kr)
	npad := roundUp(n, nr)
	stock := bufStock[T]()
	buf := stock.get()
	buf.a = aligned(buf.a, mc*kc)
	ap, c, ldc := buf.a, g.c, g.ldc
	tmp := &buf.tmp
	for pc := 0; pc < k; pc += kc {
		kcb := min(kc, k-pc)
		bp := s.pb[pc*npad:]
		var beta T
		if pc > 0 {
			beta = 1
		}
		for ic := 0; ic < m; ic += mc {
			mcb := min(mc, m-ic)
			packA(ap, g.a, g.lda, g.transA, ic, mcb, pc, kcb, mr)
			kr.sweep(kcb, ap, bp[j0*kcb:], mcb, j1-j0, c[ic*ldc+j0:], ldc, 1, beta, tmp)
		}
	}
	stock.put(buf)
}
