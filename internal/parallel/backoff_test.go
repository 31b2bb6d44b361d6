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
	credit.Store(0)
}

// freshPool skips t on one core, where there are no workers to straggle, and starts it with no
// site's figures and no back-off, which it forgets again at the end.
func freshPool(t *testing.T) {
	t.Helper()
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: no workers to straggle")
	}
	forgetSites()
	forgetBackoff()
	t.Cleanup(forgetBackoff)
}

// TestStraggleBacksOff makes a worker straggle (its chunk takes 20 ms, the caller's 2 ms) with
// no credit, and checks that the pool starts a back-off of minBackoff. The back-off itself is
// checked with a long one set by hand, so that a slow machine (qemu) cannot outlast it: Free
// reports false and For runs every chunk on its caller, in the same chunks; and it ends.
func TestStraggleBacksOff(t *testing.T) {
	freshPool(t) // a new site splits
	const n, grain = 1 << 20, 1 << 16
	me := goroutineID()
	var onWorker atomic.Int32
	before := now()
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
	if got, want := time.Duration(backoff.Load()), minBackoff; got != want {
		t.Errorf("back-off after a straggle = %v, want %v", got, want)
	}
	if until := time.Duration(backoffUntil.Load()); until < before+20*time.Millisecond {
		t.Errorf("back-off until %v, want after the straggle's end (%v or later)", until, before+20*time.Millisecond)
	}

	backoffUntil.Store(int64(now() + time.Minute))
	if !backingOff() || Free() {
		t.Fatalf("backing off: backingOff() = %v, Free() = %v; want true, false", backingOff(), Free())
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
	backoffUntil.Store(int64(now()))
	if backingOff() || !Free() {
		t.Errorf("after the back-off: backingOff() = %v, Free() = %v; want false, true", backingOff(), Free())
	}
}

// TestObserveBooksCredit checks the booking: loops that save build a credit up to maxCredit,
// a straggle is paid from it, a straggle larger than the credit starts a back-off, back-offs in a
// row double up to maxBackoff, and a full credit forgets them.
func TestObserveBooksCredit(t *testing.T) {
	forgetBackoff()
	defer forgetBackoff()
	ms := time.Millisecond
	observe(ms, 0, 1, 2) // saved 1 ms: the other chunk ran beside the caller's
	if got := time.Duration(credit.Load()); got != ms {
		t.Errorf("after a loop that saved 1 ms: credit %v, want %v", got, ms)
	}
	observe(ms, 1500*time.Microsecond, 1, 2) // lost 0.5 ms, paid from the credit
	if got := time.Duration(credit.Load()); got != ms/2 || backingOff() {
		t.Errorf("after losing 0.5 ms: credit %v, backing off %v; want %v, false", got, backingOff(), ms/2)
	}
	want := minBackoff
	for i := range 9 {
		observe(ms, 10*ms, 1, 2) // a straggle of 9 ms: more than any credit left
		if got := time.Duration(backoff.Load()); got != want || !backingOff() || credit.Load() != 0 {
			t.Errorf("straggle %d: back-off %v (backing off %v, credit %v), want %v, true, 0", i+1, got, backingOff(), time.Duration(credit.Load()), want)
		}
		want = min(2*want, maxBackoff)
	}
	for range 20 {
		observe(ms, 0, 1, 2)
	}
	if got, back := time.Duration(credit.Load()), backoff.Load(); got != maxCredit || back != 0 {
		t.Errorf("after 20 loops that saved 1 ms: credit %v, back-off %v; want %v, 0", got, time.Duration(back), maxCredit)
	}
	observe(3*ms, 0, 3, 4) // the caller ran three of four chunks at 1 ms each: saved 1 ms
	if got := time.Duration(credit.Load()); got != maxCredit {
		t.Errorf("credit %v after a full credit, want it capped at %v", got, maxCredit)
	}
	observe(ms, 0, 2, 2) // the caller ran every chunk: nothing saved, nothing lost
	if got := time.Duration(credit.Load()); got != maxCredit {
		t.Errorf("credit %v after a loop the caller ran alone, want %v", got, maxCredit)
	}
}

// TestTryOfSplittingDoesNotBackOff makes a worker straggle in a loop of a site that runs alone
// and is trying splitting again, and checks that the pool does not back off: the site's own
// figures judge the try (see splitLoop).
func TestTryOfSplittingDoesNotBackOff(t *testing.T) {
	freshPool(t)
	const n = 1 << 20
	caller := goroutineID()
	var onWorker atomic.Int32
	var straggle atomic.Bool
	run := func() {
		For(n, n/2, func(lo, hi int) {
			if goroutineID() == caller {
				awaitWorker(lo)
				return
			}
			onWorker.Add(1)
			if straggle.Load() {
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	// One call of run, so that the compiler cannot inline it into two call sites of For.
	for i := range 2 {
		if i == 1 {
			busy.Lock()
			for _, s := range sites { // the site chose to run alone, and its next loop tries splitting
				s.chosen, s.since, s.nextTry = alone, s.gap, 0
			}
			busy.Unlock()
			forgetBackoff()
			onWorker.Store(0)
			straggle.Store(true)
		}
		run()
	}
	if onWorker.Load() == 0 {
		t.Skip("no worker claimed a chunk (the machine is too busy to arrange a straggle)")
	}
	if backingOff() || backoff.Load() != 0 {
		t.Errorf("after a straggle in a try of splitting: backing off %v, back-off %v; want false, 0", backingOff(), time.Duration(backoff.Load()))
	}
}
