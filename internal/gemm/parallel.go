package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// maxParts bounds how many pieces one product is split into.
const maxParts = 64

// runner is a piece of work a helper goroutine can run.
type runner interface {
	// run computes the piece if it is still the one numbered seq and
	// nobody has claimed it yet.
	run(seq uint64)
}

// job is a queued piece: the piece and the number it had when queued.
type job struct {
	r   runner
	seq uint64
}

var (
	startOnce sync.Once
	jobs      chan job
	helpers   int           // number of helper goroutines
	jobSeq    atomic.Uint64 // numbers pieces so that stale jobs are ignored
)

// startHelpers launches one long-lived helper goroutine per extra CPU, so
// that parallel products do not create goroutines (or allocate) per call.
func startHelpers() {
	helpers = min(runtime.NumCPU(), maxParts) - 1
	jobs = make(chan job, 4*maxParts)
	for i := 0; i < helpers; i++ {
		go helper()
	}
}

// spinTime is how long an idle helper polls for new work before parking.
// Waking a parked goroutine's thread can take hundreds of microseconds on a
// busy or virtualised machine, as long as a whole medium-sized product, so
// helpers stay awake briefly for the back-to-back products of training loops.
const spinTime = 250 * time.Microsecond

// helper runs jobs until the process exits.
func helper() {
	for {
		j := <-jobs
		j.r.run(j.seq)
		last := time.Now()
		for time.Since(last) < spinTime {
			select {
			case j = <-jobs:
				j.r.run(j.seq)
				last = time.Now()
			default:
				runtime.Gosched() // let other goroutines (elementwise workers) have the core
			}
		}
	}
}

// part is one rectangular piece of a parallel product. Whoever claims it
// first, a helper or the caller once done with its own piece, computes it.
type part[T float] struct {
	kr    *kernel[T]
	g     args[T]
	wg    *sync.WaitGroup
	state atomic.Uint64 // seq<<1 | claimed
}

// claim reports whether the caller won the piece numbered seq.
func (p *part[T]) claim(seq uint64) bool {
	return p.state.CompareAndSwap(seq<<1, seq<<1|1)
}

// run implements runner.
func (p *part[T]) run(seq uint64) {
	if p.claim(seq) {
		p.g.serial(p.kr)
		p.wg.Done()
	}
}

// split is the pooled state of one parallel product. Stale jobs may still
// point at a recycled split, but their numbers no longer match.
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

// packWeight is the cost of packing one element in units of one scalar
// multiply-add in the micro-kernel, used to choose how to split.
const packWeight = 8

// parallel splits C into pieces along m or n, whichever costs less counting
// the packing each piece repeats, and computes them on the calling goroutine
// and the helpers.
func (g *args[T]) parallel(kr *kernel[T]) {
	startOnce.Do(startHelpers)
	w := min(runtime.GOMAXPROCS(0), helpers+1)
	m, n, k := g.m, g.n, g.k
	mt := (m + kr.mr - 1) / kr.mr
	nt := (n + kr.nr - 1) / kr.nr
	// Cost of the largest piece for each choice: a piece along n packs all of
	// A and its share of B; a piece along m packs all of B.
	pn := (nt + w - 1) / w * kr.nr
	pm := (mt + w - 1) / w * kr.mr
	costN := pn*mt*kr.mr*k + packWeight*(m*k+pn*k)
	costM := pm*nt*kr.nr*k + packWeight*(n*k+pm*k)
	byN := costN <= costM
	if forceSplit != 0 {
		byN = forceSplit == 1
	}
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
			return g.sub(0, m, lo*kr.nr, min(hi*kr.nr, n))
		}
		return g.sub(lo*kr.mr, min(hi*kr.mr, m), 0, n)
	}
	s.wg.Add(w - 1)
	var seqs [maxParts]uint64
	for i := 1; i < w; i++ {
		p := &s.parts[i]
		p.kr, p.g, p.wg = kr, piece(i), &s.wg
		seqs[i] = jobSeq.Add(1)
		p.state.Store(seqs[i] << 1)
		jobs <- job{p, seqs[i]}
	}
	first := piece(0)
	first.serial(kr)
	// Take over the pieces whose helpers have not started yet.
	for i := w - 1; i >= 1; i-- {
		s.parts[i].run(seqs[i])
	}
	s.wg.Wait()
	for i := 1; i < w; i++ {
		p := &s.parts[i]
		p.kr, p.g, p.wg = nil, args[T]{}, nil
	}
	pool.Put(s)
}

// forceSplit forces splitting along n (1) or m (2) in tests; 0 chooses.
var forceSplit int
