package parallel

import (
	"sync/atomic"
	"time"
)

// Back-off after straggles (see the package documentation).
const (
	minBackoff = time.Millisecond
	maxBackoff = 64 * time.Millisecond
	// minStraggle is the shortest wait that counts as a straggle: shorter ones are the jitter of
	// a quiet machine, not a lost core.
	minStraggle = 20 * time.Microsecond
)

var (
	epoch        = time.Now()
	backoffUntil atomic.Int64 // now() before which For runs on its caller alone
	backoff      atomic.Int64 // the last back-off time; 0 after a loop that paid
)

// now returns the monotonic time since the package started.
func now() time.Duration { return time.Since(epoch) }

// backingOff reports whether the pool is staying out of the way after a straggle.
func backingOff() bool {
	until := backoffUntil.Load()
	return until != 0 && int64(now()) < until
}

// observe judges a loop of k chunks whose caller ran mine of them in worked and then waited
// waited for the others: when running all k itself (at its own pace, worked/mine each) would
// have been quicker, the loop was a straggle, and the pool backs off for twice the last back-off
// time (from minBackoff, up to maxBackoff); otherwise the back-off time is forgotten.
func observe(worked, waited time.Duration, mine, k int) {
	if waited < minStraggle || waited*time.Duration(mine) <= worked*time.Duration(k-mine) {
		if backoff.Load() != 0 {
			backoff.Store(0)
		}
		return
	}
	d := min(max(2*time.Duration(backoff.Load()), minBackoff), maxBackoff)
	backoff.Store(int64(d))
	backoffUntil.Store(int64(now() + d))
}
