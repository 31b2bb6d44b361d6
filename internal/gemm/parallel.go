package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// maxParts bounds how many pieces one product is split into.
const maxParts = 64

// job is a piece of work run by a helper goroutine.
type job interface{ run() }

var (
	startOnce sync.Once
	jobs      chan job
	helpers   int // number of helper goroutines
)

// startHelpers launches one long-lived helper goroutine per extra CPU, so
// that parallel products do not create goroutines (or allocate) per call.
func startHelpers() {
	helpers = min(runtime.NumCPU(), maxParts) - 1
	jobs = make(chan job, 2*maxParts)
	for i := 0; i < helpers; i++ {
		go func() {
			for j := range jobs {
				j.run()
			}
		}()
	}
}

// part is one rectangular piece of a parallel product. Whoever claims it
// first, its helper or the caller once done with its own piece, computes it.
type part[T float] struct {
	kr      *kernel[T]
	g       args[T]
	wg      *sync.WaitGroup
	claimed atomic.Bool
}

// compute computes the piece unless someone else has claimed it.
func (p *part[T]) compute() {
	if p.claimed.CompareAndSwap(false, true) {
		p.g.serial(p.kr)
	}
}

// run is the helper's entry point: it computes the piece if still unclaimed
// and then signals that the helper is done with it.
func (p *part[T]) run() {
	p.compute()
	p.wg.Done()
}

// split is the pooled state of one parallel product.
type split[T float] struct {
	wg    sync.WaitGroup
	parts [maxParts]part[T]
}

var splitPool64, splitPool32 sync.Pool

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

// parallel splits C into pieces along m or n, whichever balances better, and
// computes them on the calling goroutine and the helpers.
func (g *args[T]) parallel(kr *kernel[T]) {
	startOnce.Do(startHelpers)
	w := min(runtime.GOMAXPROCS(0), helpers+1)
	mt := (g.m + kr.mr - 1) / kr.mr
	nt := (g.n + kr.nr - 1) / kr.nr
	// Padded work of the largest piece for each choice.
	costN := (nt + w - 1) / w * kr.nr * g.m
	costM := (mt + w - 1) / w * kr.mr * g.n
	byN := costN <= costM
	tiles := mt
	if byN {
		tiles = nt
	}
	w = min(w, tiles)
	if w <= 1 {
		g.serial(kr)
		return
	}
	pool := &splitPool64
	if unsafe.Sizeof(g.alpha) == 4 {
		pool = &splitPool32
	}
	s, _ := pool.Get().(*split[T])
	if s == nil {
		s = new(split[T])
	}
	piece := func(i int) args[T] {
		lo, hi := tiles*i/w, tiles*(i+1)/w
		if byN {
			return g.sub(0, g.m, lo*kr.nr, min(hi*kr.nr, g.n))
		}
		return g.sub(lo*kr.mr, min(hi*kr.mr, g.m), 0, g.n)
	}
	s.wg.Add(w - 1)
	for i := 1; i < w; i++ {
		p := &s.parts[i]
		p.kr, p.g, p.wg = kr, piece(i), &s.wg
		p.claimed.Store(false)
		jobs <- p
	}
	first := piece(0)
	first.serial(kr)
	// Take over pieces whose helpers have not started yet.
	for i := w - 1; i >= 1; i-- {
		s.parts[i].compute()
	}
	s.wg.Wait()
	for i := 1; i < w; i++ {
		p := &s.parts[i]
		p.kr, p.g, p.wg = nil, args[T]{}, nil
	}
	pool.Put(s)
}
