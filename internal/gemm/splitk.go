package gemm

import (
	"unsafe"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// A product of few rows over a long depth, as a layer's forward product x·W (batch 64,
// 64×784·784×256 in BenchmarkMLPStep), is split along k: the depth's cache blocks, as the serial
// product cuts them (blocked), are dealt out to the pieces in runs, and each core multiplies its
// columns of op(A) by the same rows of op(B). The rows of W a core reads are then the rows its
// piece of the weight gradient xᵀ·g (a split along m) writes and its chunk of the SGD update (a
// split of W's elements) updates, so a training step keeps each weight row on one core: split
// along n, the forward product had each core read every row of W, half of them last written by
// the other core, and the update that followed took 105 µs instead of 28 (float64, medians of
// 600 steps).
//
// The result has the serial product's bits. The serial product adds each block's product to C in
// turn, C ← α·A_j·B_j + C (the first with the caller's beta); piece 0 does the same for its
// blocks, each later piece writes each of its blocks' α·A_j·B_j to a partial sum of its own, and
// the caller adds them to C in the blocks' order once every piece is done: with α = 1 the two
// round alike, α·x being exact and the sum commutative. So only products with α = 1 are split
// along k (the kernels may fuse α·x + C), and a product gives the same bits split, alone, in a
// batch or prepacked, on any number of cores.
//
// Where the kernel has direct kernels (direct.go), each block, being at most kc ≤ directK deep,
// is computed by them with beta 0, which gives the packed path's bits: into C for block 0 when
// the caller's beta is 0, into its partial sum in the later pieces, and into a scratch added to
// C for piece 0's later blocks. Nothing is packed then: 6 alternated runs, benchstat, against
// the packed blocks: MLPStepGEMMs 431 → 351 µs float64, 222 → 192 µs float32; MLPStep
// 606 → 511 µs and 295 → 257 µs; MLPStepFused 541 → 457 µs and 281 → 258 µs (p ≤ 0.026).

// maxPartial bounds the elements of the partial sums of a split along k.
const maxPartial = 1 << 18

// splitsK reports whether to split g along k into w pieces: when the kernel is ours (gonum's
// product of each block would not have its whole product's bits), α is 1, there are at least w
// cache blocks of depth, the partial sums fit in maxPartial elements, and splitCosts's model
// finds the split cheaper than both others.
func (g *args[T]) splitsK(kr *kernel[T], w int) bool {
	if kr.viaGonum || kr.kc == 0 || g.k == 0 {
		return false
	}
	nb := numBlocks(g.k, kr.kc)
	if w < 2 || g.alpha != 1 || nb < w || (nb-nb/w)*g.m*g.n > maxPartial {
		return false
	}
	costM, costN, costK := g.splitCosts(kr, w)
	return costK < costM && costK < costN
}

// numBlocks returns the number of cache blocks blocked cuts a depth of k into, at most kc deep.
func numBlocks(k, kc int) int {
	bs := blockSize(k, kc, 1)
	return (k + bs - 1) / bs
}

// ksplit is the pooled state of a product split along k.
type ksplit[T float] struct {
	kr      *kernel[T]
	g       args[T]
	w       int
	kc, nb  int // the depth's blocks: nb of kc (the last one shorter), as blocked cuts them
	partial []T // a partial sum of m·n elements, row-major, for each block past piece 0's
	scratch []T // m·n elements: the product of a later block of piece 0 (direct kernels only)
}

var (
	kPool64 freelist.List[ksplit[float64]]
	kPool32 freelist.List[ksplit[float32]]
)

// Run computes pieces [lo, hi); it implements parallel.Task.
func (s *ksplit[T]) Run(lo, hi int) {
	for i := lo; i < hi; i++ {
		for j := s.nb * i / s.w; j < s.nb*(i+1)/s.w; j++ {
			p := s.block(i, j)
			// A later block of piece 0, C ← α·A_j·B_j + C, goes through the scratch
			// (beta 0), then is added to C, which rounds alike with α = 1.
			q := p
			q.c, q.ldc, q.beta = s.scratch, p.n, 0
			switch {
			case p.directAsPacked(s.kr):
				p.direct(s.kr)
			case i == 0 && j > 0 && q.directAsPacked(s.kr):
				q.direct(s.kr)
				addRows(p.c, p.ldc, s.scratch, p.m, p.n)
			default: // no direct kernels, or block 0 with the caller's beta
				p.serial(s.kr)
			}
		}
	}
}

// RunAlone computes every piece on the caller, as Run does. It implements parallel.AloneTask,
// which would otherwise take the pieces one by one as well.
func (s *ksplit[T]) RunAlone() { s.Run(0, s.w) }

// block returns the product of block j, in piece i: into C, with the caller's beta for block 0
// and 1 after it, in piece 0; into the block's partial sum in the others.
func (s *ksplit[T]) block(i, j int) args[T] {
	g := &s.g
	k0 := j * s.kc
	p := *g
	p.k = min(s.kc, g.k-k0)
	if g.transA {
		p.a = g.a[k0*g.lda:]
	} else {
		p.a = g.a[k0:]
	}
	if g.transB {
		p.b = g.b[k0:]
	} else {
		p.b = g.b[k0*g.ldb:]
	}
	switch first := s.nb / s.w; {
	case i > 0:
		mn := g.m * g.n
		p.c, p.ldc, p.beta = s.partial[(j-first)*mn:(j-first+1)*mn], g.n, 0
	case j > 0:
		p.beta = 1
	}
	return p
}

// splitK computes g split along k into w pieces: one ksplit run by the pool, then the partial
// sums added to C on the caller in the blocks' order.
func (g *args[T]) splitK(kr *kernel[T], w int) {
	var p any = &kPool64
	if unsafe.Sizeof(g.alpha) == 4 {
		p = &kPool32
	}
	pool := p.(*freelist.List[ksplit[T]])
	s := pool.Get()
	s.kr, s.g, s.w = kr, *g, w
	s.kc, s.nb = blockSize(g.k, kr.kc, 1), numBlocks(g.k, kr.kc)
	first, mn := s.nb/w, g.m*g.n
	if need := (s.nb - first) * mn; cap(s.partial) < need {
		s.partial = make([]T, need)
	}
	if first > 1 && kr.direct != nil && cap(s.scratch) < mn {
		s.scratch = make([]T, mn)
	}
	parallel.ForLocal(w, 1, g.m*g.n*g.k, s) // the pool compares products by their multiply-adds
	for j := first; j < s.nb; j++ {
		addRows(g.c, g.ldc, s.partial[(j-first)*mn:], g.m, g.n)
	}
	s.kr, s.g = nil, args[T]{}
	pool.Put(s)
}

// addRows adds the m×n row-major q to C (leading dimension ldc).
func addRows[T float](c []T, ldc int, q []T, m, n int) {
	for r := range m {
		addRow(c[r*ldc:r*ldc+n], q[r*n:(r+1)*n])
	}
}

// addRow sets c[j] += q[j] with vmath's kernels, the bits of the Go loop.
func addRow[T float](c, q []T) {
	if unsafe.Sizeof(c[0]) == 4 {
		c32, q32 := unsafe.Slice((*float32)(unsafe.Pointer(&c[0])), len(c)), unsafe.Slice((*float32)(unsafe.Pointer(&q[0])), len(q))
		vmath.AddVV32(c32, c32, q32)
		return
	}
	c64, q64 := unsafe.Slice((*float64)(unsafe.Pointer(&c[0])), len(c)), unsafe.Slice((*float64)(unsafe.Pointer(&q[0])), len(q))
	vmath.AddVV64(c64, c64, q64)
}
