// Package parallel splits loops over the available cores with a small pool of long-lived
// workers, so that a large elementwise kernel uses every core without starting goroutines.
package parallel

import (
	"runtime"
	"sync"
	"time"
)

// Grain is the smallest number of elements worth handing to another core: below it, starting
// and joining the work costs more than it saves.
const Grain = 1 << 17

type task struct {
	body   func(lo, hi int)
	lo, hi int
	done   *sync.WaitGroup
}

var (
	start   sync.Once
	queue   chan task
	workers int
)

func startWorkers() {
	workers = runtime.GOMAXPROCS(0)
	queue = make(chan task, 4*workers)
	for i := 1; i < workers; i++ {
		go work()
	}
}

// spinTime is how long an idle worker keeps polling before it parks: waking a parked worker
// can take longer than a whole kernel on a busy virtual machine, and a training step calls
// For several times in a row.
const spinTime = 50 * time.Microsecond

func work() {
	for t := range queue {
		t.body(t.lo, t.hi)
		t.done.Done()
		for last := time.Now(); time.Since(last) < spinTime; {
			select {
			case t = <-queue:
				t.body(t.lo, t.hi)
				t.done.Done()
				last = time.Now()
			default:
				runtime.Gosched()
			}
		}
	}
}

var groups = sync.Pool{New: func() any { return new(sync.WaitGroup) }}

// For calls body over [0, n) in contiguous chunks, one per core, when n is at least 2·grain;
// otherwise it calls body(0, n) on the calling goroutine. The chunks depend only on n, grain and
// GOMAXPROCS at first use, so results are reproducible on a machine. body must be safe to call
// concurrently on disjoint ranges.
func For(n, grain int, body func(lo, hi int)) {
	if n < 2*grain {
		body(0, n)
		return
	}
	start.Do(startWorkers)
	k := min(workers, n/grain)
	if k <= 1 {
		body(0, n)
		return
	}
	chunk := (n + k - 1) / k
	wg := groups.Get().(*sync.WaitGroup)
	wg.Add(k - 1)
	for i := 1; i < k; i++ {
		queue <- task{body, i * chunk, min(n, (i+1)*chunk), wg}
	}
	body(0, chunk)
	wg.Wait()
	groups.Put(wg)
}

// Worth reports whether For would split n elements with this grain. Callers test it before
// building the closure for For, which escapes to the heap: small loops then allocate nothing.
func Worth(n, grain int) bool { return n >= 2*grain }

// Chunks returns how many chunks For would split n elements into.
func Chunks(n, grain int) int {
	if n < 2*grain {
		return 1
	}
	start.Do(startWorkers)
	return max(1, min(workers, n/grain))
}
