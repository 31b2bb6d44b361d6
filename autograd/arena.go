package autograd

// arena hands out slices of large chunks. After a reset it keeps one chunk large enough for
// everything the last step used, so a steady training loop allocates nothing.
type arena[T float32 | float64] struct {
	chunks [][]T
	rest   []T // the part of the last chunk not handed out yet
	done   int // elements handed out since the last reset from the chunks before the last
}

const minChunk = 4096

// alloc returns an uninitialised slice of n elements with capacity n.
func (a *arena[T]) alloc(n int) []T {
	if s, ok := a.take(n); ok {
		return s
	}
	return a.allocChunk(n)
}

// take is alloc from the last chunk: it reports false, doing nothing, if fewer than n elements
// are left there. Without alloc's call it is small enough to inline (see Tape.newNodeSized).
func (a *arena[T]) take(n int) ([]T, bool) {
	r := a.rest
	if n > len(r) {
		return nil, false
	}
	a.rest = r[n:]
	return r[:n:n], true
}

// allocChunk is alloc when the last chunk has no room for n elements: it appends a chunk twice
// the last one's size (minChunk for the first), or n if larger, and takes the slice from it.
//
//go:noinline
func (a *arena[T]) allocChunk(n int) []T {
	size := minChunk
	if k := len(a.chunks) - 1; k >= 0 {
		size = 2 * len(a.chunks[k])
		a.done += len(a.chunks[k]) - len(a.rest)
	}
	c := make([]T, max(size, n))
	a.chunks = append(a.chunks, c)
	a.rest = c[n:]
	return c[:n:n]
}

// reset recycles all chunks; if the last step needed more than one, they are merged into one.
func (a *arena[T]) reset() {
	if len(a.chunks) > 1 {
		total := a.done + len(a.chunks[len(a.chunks)-1]) - len(a.rest) // handed out since the last reset
		a.chunks = [][]T{make([]T, total+total/8)}
	}
	if len(a.chunks) == 1 {
		a.rest = a.chunks[0]
	}
	a.done = 0
}
