package freelist

import (
	"sync"
	"testing"
)

// TestListReuses checks that Get returns the values put back, the most recent first, then new
// zero values, and that concurrent use neither loses nor duplicates values.
func TestListReuses(t *testing.T) {
	var l List[int]
	a, b := l.Get(), l.Get()
	if a == b || *a != 0 || *b != 0 {
		t.Fatalf("Get on an empty list: got %p (%d), %p (%d); want two distinct new zeros", a, *a, b, *b)
	}
	*a, *b = 1, 2
	l.Put(a)
	l.Put(b)
	if got := l.Get(); got != b {
		t.Errorf("first Get after Put(a), Put(b): got %p, want b %p", got, b)
	}
	if got := l.Get(); got != a {
		t.Errorf("second Get: got %p, want a %p", got, a)
	}
	var wg sync.WaitGroup
	seen := make(chan *int, 800)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				x := l.Get()
				seen <- x
				l.Put(x)
			}
		}()
	}
	wg.Wait()
	close(seen)
	distinct := make(map[*int]bool)
	for x := range seen {
		distinct[x] = true
	}
	if len(distinct) > 8 {
		t.Errorf("8 goroutines each holding one value at a time made %d distinct values, want at most 8", len(distinct))
	}
}
