package parallel

import (
	"maps"
	"runtime"
	"strings"
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

func TestChunksAreNonEmptyAndMatchTheBusyPath(t *testing.T) {
	for n := 1; n <= 200; n++ {
		for grain := 1; grain <= n; grain++ {
			free := spans(n, grain)
			busy.Lock()
			held := spans(n, grain)
			busy.Unlock()
			if !maps.Equal(free, held) || len(free) != Chunks(n, grain) {
				t.Fatalf("n=%d grain=%d: chunks %v with the pool free, %v with it busy; Chunks says %d", n, grain, free, held, Chunks(n, grain))
			}
			covered := 0
			for s := range free {
				if s[0] >= s[1] {
					t.Fatalf("n=%d grain=%d: empty or inverted chunk [%d, %d)", n, grain, s[0], s[1])
				}
				covered += s[1] - s[0]
			}
			if covered != n {
				t.Fatalf("n=%d grain=%d: chunks %v cover %d elements, want %d", n, grain, free, covered, n)
			}
		}
	}
}

func TestPanicInAnyChunkReachesTheCaller(t *testing.T) {
	const n, grain = 10_000, 1000
	for range 50 {
		func() {
			defer func() {
				if r := recover(); r != "last chunk" {
					t.Fatalf("recovered %v, want the body's panic \"last chunk\"", r)
				}
			}()
			For(n, grain, func(lo, hi int) {
				if hi == n { // a worker's chunk when there are several
					panic("last chunk")
				}
			})
		}()
	}
	var sum atomic.Int64
	For(n, grain, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	if got := sum.Load(); got != n {
		t.Errorf("For after panics covered %d elements, want %d", got, n)
	}
}

func TestGoexitInAChunkDoesNotHang(t *testing.T) {
	const n, grain = 10_000, 1000
	for range 5 {
		done := make(chan struct{})
		go func() {
			defer close(done) // runs on Goexit too, if chunk 1 ran on this goroutine
			For(n, grain, func(lo, hi int) {
				if hi == n {
					runtime.Goexit()
				}
			})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("For hung after a body called runtime.Goexit")
		}
	}
	var sum atomic.Int64
	For(n, grain, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	if got := sum.Load(); got != n {
		t.Errorf("For after Goexits covered %d elements, want %d", got, n)
	}
}

func TestReserveMakesForRunOnItsCaller(t *testing.T) {
	const n, grain = 100_000, 1000
	if !Reserve() {
		t.Fatal("Reserve of an idle pool reported false")
	}
	if Reserve() {
		t.Fatal("a second Reserve succeeded while the pool was reserved")
	}
	me := goroutineID()
	var elsewhere atomic.Int32
	For(n, grain, func(lo, hi int) {
		if goroutineID() != me {
			elsewhere.Add(1)
		}
	})
	Release()
	if got := elsewhere.Load(); got != 0 {
		t.Errorf("%d chunks ran on another goroutine while the pool was reserved, want 0", got)
	}
	if !Reserve() {
		t.Fatal("Reserve after Release reported false")
	}
	Release()
}

// goroutineID returns the number of the calling goroutine, from the header of its stack trace.
func goroutineID() string {
	var buf [64]byte
	f := strings.Fields(string(buf[:runtime.Stack(buf[:], false)]))
	return f[1] // "goroutine N [running]:"
}

func TestFreeFollowsThePool(t *testing.T) {
	forgetBackoff()
	s0, a0 := Counts()
	if !Free() {
		t.Fatal("Free() = false for an idle pool")
	}
	if !Reserve() {
		t.Fatal("Reserve of an idle pool reported false")
	}
	free := Free()
	Release()
	if free {
		t.Error("Free() = true while the pool was reserved")
	}
	if s, a := Counts(); s != s0 || a != a0+1 { // its caller runs alone when Free says false
		t.Errorf("Free on an idle pool, then on a reserved one: Counts went from (%d, %d) to (%d, %d), want (%d, %d)", s0, a0, s, a, s0, a0+1)
	}
}
