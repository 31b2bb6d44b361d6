// Package freelist keeps values for reuse, like sync.Pool but never emptied by the garbage
// collector and shared by every processor: a goroutine that moves between processors still finds
// what it put back. Kernels keep their scratch buffers in one, so that a steady training step
// allocates nothing, where a sync.Pool would make a goroutine that changed processor, or a
// collection, allocate the buffers anew.
package freelist

import "sync"

// List holds values of type *T for reuse. The zero List is empty and ready to use; it is safe for
// concurrent use.
type List[T any] struct {
	mu    sync.Mutex
	items []*T
}

// Get returns a value put back earlier, the most recent first, or a new zero T.
func (l *List[T]) Get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.items); n > 0 {
		x := l.items[n-1]
		l.items[n-1] = nil
		l.items = l.items[:n-1]
		return x
	}
	return new(T)
}

// Put returns x for reuse.
func (l *List[T]) Put(x *T) {
	l.mu.Lock()
	l.items = append(l.items, x)
	l.mu.Unlock()
}
