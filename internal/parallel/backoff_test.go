package parallel

import (
	"sync/atomic"
	"testing"
	"time"
)

// forgetBackoff ends a back-off that an earlier test's slow chunks may have started.
func forgetBackoff() {
	backoffUntil.Store(0)
	backoff.Store(0)
}

// TestStraggleBacksOff makes a worker straggle (its chunk takes 20 ms, the caller's 2 ms) and
// checks that the pool then backs off: Free reports false and For runs every chunk on its
// caller, in the same chunks; that the back-off ends; and that a loop that pays forgets it.
func TestStraggleBacksOff(t *testing.T) {
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: no workers to straggle")
	}
	forgetBackoff()
	defer forgetBackoff()
	const n, grain = 1 << 20, 1 << 16
	me := goroutineID()
	var onWorker atomic.Int32
	For(n, grain, func(lo, hi int) {
		if goroutineID() == me {
			time.Sleep(2 * time.Millisecond) // long enough for a worker to claim its chunk
			return
		}
		onWorker.Add(1)
		time.Sleep(20 * time.Millisecond)
	})
	if onWorker.Load() == 0 {
		t.Skip("no worker claimed a chunk (the machine is too busy to arrange a straggle)")
	}
	if !backingOff() || Free() {
		t.Fatalf("after a straggle: backingOff() = %v, Free() = %v; want true, false", backingOff(), Free())
	}
	if got, want := time.Duration(backoff.Load()), minBackoff; got != want {
		t.Errorf("first back-off = %v, want %v", got, want)
	}
	var elsewhere atomic.Int32
	got := map[[2]int]bool{}
	For(n, grain, func(lo, hi int) {
		if goroutineID() != me {
			elsewhere.Add(1)
		}
		got[[2]int{lo, hi}] = true // on the caller alone: no race
	})
	if elsewhere.Load() != 0 {
		t.Errorf("while backing off, %d chunks ran on another goroutine, want 0", elsewhere.Load())
	}
	if want := spans(n, grain); len(got) != len(want) {
		t.Errorf("while backing off, For ran chunks %v, want the pool's %v", got, want)
	}
	time.Sleep(2 * minBackoff)
	if backingOff() {
		t.Fatalf("still backing off %v after a back-off of %v", 2*minBackoff, minBackoff)
	}
	observe(time.Millisecond, 0, 1, 2) // a loop that paid
	if got := backoff.Load(); got != 0 {
		t.Errorf("back-off after a loop that paid = %v, want 0", time.Duration(got))
	}
}

// TestObserveDoubles checks the back-off times of straggles in a row: 1, 2, 4, ... 64 ms, then
// no longer.
func TestObserveDoubles(t *testing.T) {
	forgetBackoff()
	defer forgetBackoff()
	want := minBackoff
	for i := range 9 {
		observe(time.Millisecond, 3*time.Millisecond, 1, 2) // waited 3 ms after 1 ms of work
		if got := time.Duration(backoff.Load()); got != want {
			t.Errorf("straggle %d: back-off %v, want %v", i+1, got, want)
		}
		want = min(2*want, maxBackoff)
	}
	for _, c := range []struct {
		name           string
		worked, waited time.Duration
		mine, k        int
	}{
		{"short wait", time.Microsecond, 10 * time.Microsecond, 1, 2},
		{"wait shorter than running the other chunk", time.Millisecond, 900 * time.Microsecond, 1, 2},
		{"caller ran every chunk", time.Millisecond, 0, 2, 2},
		{"three of four chunks at 1 ms, waited less than 1/3 ms", 3 * time.Millisecond, 300 * time.Microsecond, 3, 4},
	} {
		forgetBackoff()
		observe(c.worked, c.waited, c.mine, c.k)
		if backingOff() {
			t.Errorf("%s: worked %v for %d of %d chunks, waited %v: backing off, want not", c.name, c.worked, c.mine, c.k, c.waited)
		}
	}
}
