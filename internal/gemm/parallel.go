package gemm

import (
	"unsafe"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// maxParts bounds how many pieces one product is split into.
const maxParts = 64

// split is the pooled state of one parallel product: the pieces are computed by the shared pool
// of internal/parallel, the caller's goroutine taking the first. It is the pool's parallel.Task
// itself, so that handing it over allocates nothing.
type split[T float] struct {
	kr       *kernel[T]
	g        args[T]
	byN      bool
	tiles, w int
}

var (
	splitPool64 freelist.List[split[float64]]
	splitPool32 freelist.List[split[float32]]
)

// Run computes pieces [lo, hi); it implements parallel.Task. A piece of depth at most one cache
// block with beta 0 goes through the direct kernels, which read the operands in place and give
// the packed path's bits: MatMul n = 256 took 265 → 180 µs float64 and 127 → 86 µs float32,
// LSTMStep 43.8 → 39.8 ms, MLPStepGEMMs float32 187 → 160 µs (6 alternated runs, benchstat,
// p ≤ 0.009; the other workloads ~).
func (s *split[T]) Run(lo, hi int) {
	for i := lo; i < hi; i++ {
		p := s.piece(i)
		if p.directAsPacked(s.kr) {
			p.direct(s.kr)
			continue
		}
		p.serial(s.kr)
	}
}

// RunAlone computes the whole product on the caller, packing once; it implements
// parallel.AloneTask.
func (s *split[T]) RunAlone() { s.g.serial(s.kr) }

// piece returns the sub-product of piece i of w: a run of whole tiles along n or m.
func (s *split[T]) piece(i int) args[T] {
	g, kr := &s.g, s.kr
	lo, hi := s.tiles*i/s.w, s.tiles*(i+1)/s.w
	if s.byN {
		return g.sub(0, g.m, lo*kr.nr, min(hi*kr.nr, g.n))
	}
	return g.sub(lo*kr.mr, min(hi*kr.mr, g.m), 0, g.n)
}

// sub returns the sub-product for rows [i0,i1) and columns [j0,j1) of C.
func (g *args[T]) sub(i0, i1, j0, j1 int) args[T] {
	s := *g
	s.m, s.n = i1-i0, j1-j0
	if g.transA {
		s.a = g.a[i0:]
	} else {
		s.a = g.a[i0*g.lda:]
	}
	if g.transB {
		s.b = g.b[j0*g.ldb:]
	} else {
		s.b = g.b[j0:]
	}
	s.c = g.c[i0*g.ldc+j0:]
	return s
}

// packWeight is the cost of packing one element in units of one scalar
// multiply-add in the micro-kernel, used to choose how to split.
const packWeight = 8

// parallel splits the product into pieces along k (splitsK, splitk.go), or else C into pieces
// along m or n (splitAxis), and computes them with the pool of internal/parallel, one piece per
// core.
func (g *args[T]) parallel(kr *kernel[T]) {
	w := parallel.Chunks(maxParts, 1) // as many pieces as the pool has cores
	if g.splitsK(kr, w) {             // also when the pool is busy: the same pieces, for the same bits
		g.splitK(kr, w)
		return
	}
	if !parallel.Free() { // reserved or in use: the pieces would run one after another here
		g.serial(kr)
		return
	}
	byN, tiles := g.splitAxis(kr, w)
	w = min(w, tiles)
	if w <= 1 {
		g.serial(kr)
		return
	}
	if !kr.viaGonum {
		// The pool may run the pieces as one serial product (split.RunAlone) when its site
		// tries that way, which it first does after some steps of a training loop: the
		// stock's buffers are made large enough for it now, in the first step, rather than
		// then.
		kc, mc, nc := g.blocks(kr)
		bufStock[T]().reserve(mc*kc, nc*kc)
	}
	var p any = &splitPool64
	if unsafe.Sizeof(g.alpha) == 4 {
		p = &splitPool32
	}
	pool := p.(*freelist.List[split[T]])
	s := pool.Get()
	s.kr, s.g, s.byN, s.tiles, s.w = kr, *g, byN, tiles, w
	parallel.ForWork(w, 1, g.m*g.n*g.k, s) // the pool compares products by their multiply-adds
	s.kr, s.g = nil, args[T]{}
	pool.Put(s)
}
