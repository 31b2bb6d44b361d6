package autograd

// arena hands out slices of large chunks. After a reset it keeps one chunk large enough for
// everything the last step used, so a steady training loop allocates nothing.
type arena[T float32 | float64] struct {
	chunks [][]T
	off    int // offset into the last chunk
	total  int // elements handed out since the last reset
}

const minChunk = 4096

// alloc returns an uninitialised slice of n elements with capacity n.
func (a *arena[T]) alloc(n int) []T {
	a.total += n
	k := len(a.chunks) - 1
	if k < 0 || a.off+n > len(a.chunks[k]) {
		size := minChunk
		if k >= 0 {
			size = 2 * len(a.chunks[k])
		}
		a.chunks = append(a.chunks, make([]T, max(size, n)))
		a.off, k = 0, k+1
	}
	s := a.chunks[k][a.off : a.off+n : a.off+n]
	a.off += n
	return s
}

// reset recycles all chunks; if the last step needed more than one, they are merged into one.
func (a *arena[T]) reset() {
	if len(a.chunks) > 1 {
		size := a.total + a.total/8
		a.chunks = [][]T{make([]T, size)}
	}
	a.off = 0
	a.total = 0
}
