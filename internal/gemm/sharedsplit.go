package gemm

import (
	"unsafe"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// Pieces of a product split along n all read the whole of op(A), and each packs it anew: in the
// MLP step's products (batch 64, 784-256-10) that is 50,176 elements packed by both cores, the
// transposed input of the weight's gradient by a gather. When op(A) packed whole fits a core's
// L2 cache, the pieces share one packing instead: the cores first pack its row blocks between
// them (one loop of the pool, over its blocks), then compute their pieces from it (another), as the batched
// products do with an operand shared by the batch (blockedShared). Below sharedAMin elements the
// second loop's fork and join costs more than half a packing saves; above sharedAMaxBytes the
// whole packing no longer stays in cache for the pieces to read.
const (
	sharedAMin      = 1 << 15
	sharedAMaxBytes = 512 << 10
)

// sharesA reports whether pieces along n of g share one packing of op(A).
func (g *args[T]) sharesA(kr *kernel[T]) bool {
	var z T
	size := roundUp(g.m, kr.mr) * g.k
	return size >= sharedAMin && size*int(unsafe.Sizeof(z)) <= sharedAMaxBytes
}

// packATask packs op(A) of a product whole into dst, one block of rows and depth at a time: it
// is the pool's parallel.Task over the product's blocks, depth slice by depth slice.
type packATask[T float] struct {
	g   *args[T]
	bl  blocking
	dst []T
}

// blocks returns the number of mc-row blocks and of the blocks of op(A) in all.
func (t *packATask[T]) blocks() (rows, all int) {
	rows = (t.g.m + t.bl.mc - 1) / t.bl.mc
	return rows, rows * ((t.g.k + t.bl.kc - 1) / t.bl.kc)
}

// Run packs blocks [lo, hi); it implements parallel.Task.
func (t *packATask[T]) Run(lo, hi int) {
	g, bl := t.g, t.bl
	rows, _ := t.blocks()
	for i := lo; i < hi; i++ {
		pc, ic := i/rows*bl.kc, i%rows*bl.mc
		kcb, mcb := min(bl.kc, g.k-pc), min(bl.mc, g.m-ic)
		packA(t.dst[bl.sharedA(ic, pc, kcb):], g.a, g.lda, g.transA, ic, mcb, pc, kcb, bl.mr)
	}
}

var (
	sharedAPool64 freelist.List[packBuf[float64]]
	sharedAPool32 freelist.List[packBuf[float32]]
)

// parallelSharedA computes the split s (along n) from one packing of op(A), held in a buffer of
// its own while the pieces run.
func (s *split[T]) parallelSharedA() {
	var p any = &sharedAPool64
	var z T
	if unsafe.Sizeof(z) == 4 {
		p = &sharedAPool32
	}
	pool := p.(*freelist.List[packBuf[T]])
	shared := pool.Get()
	g := &s.g
	bl := g.blocking(s.kr)
	shared.a = aligned(shared.a, bl.mpad*g.k)
	s.pack = packATask[T]{g, bl, shared.a} // in the pooled split: a local would escape
	_, blocks := s.pack.blocks()
	parallel.ForTask(blocks, 1, &s.pack)
	s.sharedA = shared.a
	parallel.ForWork(s.w, 1, g.m*g.n*g.k, s)
	s.sharedA, s.pack = nil, packATask[T]{}
	pool.Put(shared)
}

// runSharedA computes the sub-product p of s's product from the shared packing of op(A), with
// the other buffers from the pool.
func (s *split[T]) runSharedA(p *args[T]) {
	pool := bufPool[T]()
	buf := pool.Get()
	own := buf.a
	bl := p.blocking(s.kr) // the whole product's m and k: the same row blocks and depths
	buf.a = s.sharedA
	buf.b = aligned(buf.b, bl.nc*bl.kc)
	p.blockedShared(s.kr, bl, buf, true, false)
	buf.a = own
	pool.Put(buf)
}
