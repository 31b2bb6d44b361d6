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
	if len(a.chunks) > 0 {
		c := a.chunks[len(a.chunks)-1]
		if a.off+n <= len(c) {
			s := c[a.off : a.off+n : a.off+n]
			a.off += n
			return s
		}
	}
	size := minChunk
	if len(a.chunks) > 0 {
		size = 2 * len(a.chunks[len(a.chunks)-1])
	}
	if size < n {
		size = n
	}
	a.chunks = append(a.chunks, make([]T, size))
	a.off = n
	return a.chunks[len(a.chunks)-1][:n:n]
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
