package parallel

import (
	"sync/atomic"
	"time"
)

// Back-off when splitting does not pay (see the package documentation).
const (
	minBackoff = time.Millisecond
	maxBackoff = 64 * time.Millisecond
	// maxCredit bounds the time that split loops may have saved and that later straggles can
	// draw on: a loop on a quiet machine saves tens of microseconds, a straggle costs a
	// scheduler time slice (milliseconds), so a few straggles among hundreds of loops, which a
	// core taken by another program causes, leave the pool in debt.
	maxCredit = 16 * time.Millisecond
)

var (
	epoch        = time.Now()
	backoffUntil atomic.Int64 // now() before which For runs on its caller alone
	backoff      atomic.Int64 // the last back-off time; 0 once the credit is full again
	credit       atomic.Int64 // time saved by split loops lately, at most maxCredit
)

// now returns the monotonic time since the package started.
func now() time.Duration { return time.Since(epoch) }

// backingOff reports whether the pool is staying out of the way.
func backingOff() bool {
	until := backoffUntil.Load()
	return until != 0 && int64(now()) < until
}

// observe books a split loop of k chunks whose caller ran mine of them in worked and then waited
// waited for the others. Running all k itself, at its own pace (worked/mine each), would have
// taken worked·k/mine: the difference from worked + waited is the time the split saved, or lost
// to a straggler, and it goes to the credit. When the credit runs out the pool backs off, for
// twice the last back-off time (from minBackoff, up to maxBackoff), and starts again from no
// credit; a full credit forgets the back-off time.
func observe(worked, waited time.Duration, mine, k int) {
	saved := worked*time.Duration(k)/time.Duration(mine) - worked - waited
	c := min(time.Duration(credit.Load())+saved, maxCredit)
	if c >= 0 {
		credit.Store(int64(c))
		if c == maxCredit && backoff.Load() != 0 {
			backoff.Store(0)
		}
		return
	}
	d := min(max(2*time.Duration(backoff.Load()), minBackoff), maxBackoff)
	credit.Store(0)
	backoff.Store(int64(d))
	backoffUntil.Store(int64(now() + d))
}
