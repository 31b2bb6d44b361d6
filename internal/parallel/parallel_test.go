package parallel

import (
	"maps"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, c := range []struct{ n, grain int }{{0, 4}, {1, 4}, {7, 4}, {8, 4}, {100, 4}, {1 << 17, Grain}, {12345, 1000}} {
		hits := make([]int32, c.n)
		For(c.n, c.grain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&hits[i], 1)
			}
		})
		for i, h := range hits {
			if h != 1 {
				t.Fatalf("n=%d grain=%d: index %d visited %d times, want 1", c.n, c.grain, i, h)
			}
		}
	}
}

func TestChunksMatchesFor(t *testing.T) {
	for _, n := range []int{10, 1 << 16, 1 << 20} {
		var calls atomic.Int32
		For(n, 1000, func(lo, hi int) { calls.Add(1) })
		if got, want := int(calls.Load()), Chunks(n, 1000); got != want {
			t.Errorf("n=%d: For made %d calls, Chunks says %d", n, got, want)
		}
	}
}

// spans records the chunks For hands to body.
func spans(n, grain int) map[[2]int]bool {
	var mu sync.Mutex
	got := map[[2]int]bool{}
	For(n, grain, func(lo, hi int) {
		mu.Lock()
		got[[2]int{lo, hi}] = true
		mu.Unlock()
	})
	return got
}

func TestBusyPoolRunsTheSameChunks(t *testing.T) {
	const n, grain = 100_000, 1000
	free := spans(n, grain)
	busy.Lock() // as if another goroutine's For held the pool
	held := spans(n, grain)
	busy.Unlock()
	if !maps.Equal(free, held) {
		t.Errorf("chunks with the pool busy = %v, want %v as with it free", held, free)
	}
	if len(free) != Chunks(n, grain) {
		t.Errorf("For made %d chunks, Chunks says %d", len(free), Chunks(n, grain))
	}
}

func TestConcurrentAndNestedFor(t *testing.T) {
	const n, grain, callers = 50_000, 1000, 4
	var wg sync.WaitGroup
	hits := make([][]int32, callers)
	for c := range callers {
		hits[c] = make([]int32, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				For(n/10, grain, func(lo, hi int) { // the outer loop over blocks of ten
					For(hi*10-lo*10, grain, func(l, h int) { // nested: runs on its caller
						for i := lo*10 + l; i < lo*10+h; i++ {
							atomic.AddInt32(&hits[c][i], 1)
						}
					})
				})
			}
		}()
	}
	wg.Wait()
	for c := range hits {
		for i, h := range hits[c] {
			if h != 20 {
				t.Fatalf("caller %d: index %d visited %d times, want 20", c, i, h)
			}
		}
	}
}

func TestForAfterWorkersPark(t *testing.T) {
	const n, grain = 10_000, 1000
	for round := range 3 {
		time.Sleep(20 * spinTime) // long enough for every worker to park
		var sum atomic.Int64
		For(n, grain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				sum.Add(int64(i))
			}
		})
		if got, want := sum.Load(), int64(n*(n-1)/2); got != want {
			t.Errorf("round %d: sum of indices = %d, want %d", round, got, want)
		}
	}
}

func TestPanicOnCallerFreesThePool(t *testing.T) {
	const n, grain = 10_000, 1000
	func() {
		defer func() {
			if r := recover(); r != "chunk 0" {
				t.Errorf("recovered %v, want the body's panic \"chunk 0\"", r)
			}
		}()
		For(n, grain, func(lo, hi int) {
			if lo == 0 {
				panic("chunk 0")
			}
		})
	}()
	if !busy.TryLock() {
		t.Fatal("the pool is still locked after a panicking For")
	}
	busy.Unlock()
	var sum atomic.Int64
	For(n, grain, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	if got := sum.Load(); got != n {
		t.Errorf("For after a panic covered %d elements, want %d", got, n)
	}
}
