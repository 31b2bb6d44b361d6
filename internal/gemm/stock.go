package gemm

import (
	"sync"
	"unsafe"
)

// stock keeps the packing buffers between calls, and keeps every buffer it holds as large as
// the largest any product has needed (its high water). A plain free list hands out whichever
// buffer came back last, so a product that needs more than the one it gets grows that buffer,
// and does so again with each other buffer it happens to get: in a training step, whose products
// are the same from step to step, a product the pool ran alone for the first time, some steps
// in, grew 1.1 to 2.4 MB buffers one at a time (BenchmarkCNNStep). Here a buffer coming back
// larger than the high water raises it and every free buffer grows to it at once, every buffer
// in use as it comes back; a product the pool splits also reserves the buffers of its serial run
// (args.parallel). The stock holds one buffer for each product that ran at the same time as
// others, each the size of the largest: what a free list's buffers grow to over a long run.
// Unlike a sync.Pool it is never emptied by the garbage collector and is shared by every
// processor (see internal/freelist).
type stock[T float] struct {
	mu   sync.Mutex
	free []*packBuf[T]
	a, b int // the high water of packBuf.a's and packBuf.b's lengths
}

var (
	stock64 stock[float64]
	stock32 stock[float32]
)

// bufStock returns the stock of packBuf[T].
func bufStock[T float]() *stock[T] {
	var z T
	var p any = &stock32
	if unsafe.Sizeof(z) == 8 {
		p = &stock64
	}
	return p.(*stock[T])
}

// get takes a buffer from the stock, or a new empty one when none is free.
func (s *stock[T]) get() *packBuf[T] {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.free)
	if n == 0 {
		return new(packBuf[T])
	}
	buf := s.free[n-1]
	s.free[n-1] = nil
	s.free = s.free[:n-1]
	return buf
}

// put returns buf to the stock. A buffer larger than the high water raises it, and every free
// buffer grows to it at once; a smaller buffer grows to it before it goes back.
func (s *stock[T]) put(buf *packBuf[T]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raise(cap(buf.a), cap(buf.b))
	buf.grow(s.a, s.b)
	s.free = append(s.free, buf)
}

// reserve raises the high water to a and b elements, as put of a buffer that size would: every
// free buffer grows to it, and every buffer in use as it comes back.
func (s *stock[T]) reserve(a, b int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raise(a, b)
}

// raise raises the high water to a and b where it is lower, and grows every free buffer to it.
// The caller holds s.mu.
func (s *stock[T]) raise(a, b int) {
	if a <= s.a && b <= s.b {
		return
	}
	s.a, s.b = max(s.a, a), max(s.b, b)
	for _, f := range s.free {
		f.grow(s.a, s.b)
	}
}

// grow makes buf.a and buf.b hold at least a and b elements.
func (buf *packBuf[T]) grow(a, b int) {
	if cap(buf.a) < a {
		buf.a = aligned(buf.a, a)
	}
	if cap(buf.b) < b {
		buf.b = aligned(buf.b, b)
	}
}
