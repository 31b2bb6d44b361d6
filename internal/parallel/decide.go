package parallel

import (
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
	"time"
)

// Whether splitting pays is measured, per call site and size (see the package documentation).
// The pool times every loop it runs, split or on its caller alone, and keeps for each place in the
// code that calls For, and each power of two of the loop's size, the time per element of each way:
// a site runs the way that has been faster, and now and then tries the other way again, because
// the machine drifts between phases where a split loop runs in half the time and phases where it
// takes twice as long as on one core.
const (
	// tryRuns is how many loops in a row run the way not chosen when it is tried. The ways are
	// compared by the median time per element of their last runs (tryRuns of the way tried,
	// keptRuns of the way chosen): a loop that another program interrupted, or the first split
	// loop after the workers parked, is one slow run that the median ignores.
	tryRuns  = 5
	keptRuns = 8
	// A new site splits, as the pool did before it measured, and first tries running alone
	// after minLoops loops. A try of the way not chosen comes after gap loops of the way chosen,
	// gap doubling from minLoops to maxLoops after each try that loses and kept after one that
	// wins, and after tryShare times the try's own time (and at least minGap): a site that
	// splits badly (a split loop costing up to a few times its serial time) then pays for
	// tryRuns bad loops in maxLoops, and at most about 1/tryShare of its time in tries, however
	// long its loops are.
	minLoops = 16
	maxLoops = 1024
	tryShare = 64
	minGap   = 2 * time.Millisecond
	// margin is how much faster the way not chosen must be for a site to switch to it, so that
	// noise does not make it switch back and forth.
	margin = 0.1
	// drift is how far the way chosen's median may move from what it was when the ways were
	// last compared before the other way's figures count as stale: the site's loops changed
	// (the same call site now runs on cache-hot data, as a sparse embedding step after a dense
	// one) or the machine did, so the other way is tried again soon rather than after the gap.
	drift = 1.5
)

// way indexes a site's figures: running on the caller alone, or split over the pool.
const (
	alone = 0
	split = 1
)

// siteKey names a call site (the program counter of the call to For) and the size of its loops
// (the bit length of the element count, or of the work the caller declared).
type siteKey struct {
	pc   uintptr
	size uint8
}

// siteStats is what the pool knows about one site and size. It is read and written only by the
// holder of the pool's lock.
type siteStats struct {
	last    [2][keptRuns]float64 // the last runs' times per element (ns) each way, a ring
	runs    [2]int               // runs timed each way
	chosen  int                  // the way loops run
	trying  int                  // runs of the way not chosen still to make in this try
	nextTry time.Duration        // the time from which the way not chosen may be tried
	since   int                  // loops of the way chosen since the last try
	gap     int                  // the loops between tries
	ref     float64              // the way chosen's median when the ways were last compared
	// aloneExtra is the share of a run alone's own time added to it for the loops after it
	// (ForLocal): 0 for other sites.
	aloneExtra float64
}

// siteDecisions is whether For lets each site choose; see SetSiteDecisions.
var siteDecisions atomic.Bool

func init() { siteDecisions.Store(true) }

// SetSiteDecisions sets whether For lets each call site choose between splitting and running
// alone (true, the default) or splits every loop it can, as the pool did before it measured
// (false), and returns the previous setting. It exists so that a benchmark can compare the two
// in one process, step by step, which a shared or drifting machine does not allow across runs.
func SetSiteDecisions(on bool) (was bool) { return siteDecisions.Swap(on) }

// sites holds the figures of every site and size seen, keyed by siteKey; guarded by busy.
var sites = map[siteKey]*siteStats{}

// siteOf returns the figures of the site at pc for loops of work elements, created on first use.
// The caller holds busy.
func siteOf(pc uintptr, work int, local bool) *siteStats {
	k := siteKey{pc, uint8(bits.Len(uint(work)))}
	s := sites[k]
	if s == nil {
		s = &siteStats{chosen: split, gap: minLoops}
		if local {
			s.aloneExtra = localAloneExtra
		}
		sites[k] = s
	}
	return s
}

// choose returns the way the next loop runs at time t, split or alone.
func (s *siteStats) choose(t time.Duration) int {
	switch {
	case s.trying > 0:
		return 1 - s.chosen
	case s.since >= s.gap && t >= s.nextTry:
		s.trying = tryRuns
		s.since = 0
		aftermath.by, aftermath.start, aftermath.until = s, t, math.MaxInt64
		return 1 - s.chosen
	}
	return s.chosen
}

// aftermath holds the last try, by any site: a try moves data between the cores (a product run
// alone reads on one core the rows of a weight the other core updates), so the loops of the
// other sites slow down during it and for a while after. Their runs of the way they chose are not
// booked until as long after the try's end as the try lasted: booked, they would move those
// sites' medians past drift, or past the other way's figures, and make them try too, a cascade
// of tries. It is read and written only by the holder of the pool's lock.
var aftermath struct {
	by           *siteStats    // the site that tried
	start, until time.Duration // the try's start; the end of the runs not booked
}

// record books a loop of work elements that ran way w in d, ending at time t.
func (s *siteStats) record(w int, d time.Duration, work int, t time.Duration) {
	if w == s.chosen && aftermath.by != nil && aftermath.by != s && t <= aftermath.until {
		return
	}
	v := float64(d) / float64(max(work, 1))
	if w == alone {
		v *= 1 + s.aloneExtra
	}
	s.last[w][s.runs[w]%keptRuns] = v
	s.runs[w]++
	if w == s.chosen {
		// Every keptRuns loops, compare the way chosen with the other's last try: a try
		// that was lucky (the machine was quiet for those few loops) is undone within
		// keptRuns loops, not after a whole gap.
		if s.since++; s.since%keptRuns != 0 {
			return
		}
		m := s.median(w, keptRuns)
		switch {
		case m*(1-margin) > s.median(1-w, tryRuns):
			s.chosen = 1 - w
			s.since = 0
			s.ref = s.median(1-w, tryRuns)
		case s.ref > 0 && (m > s.ref*drift || m*drift < s.ref):
			// The other way's figures are stale: try it after minLoops loops, and after
			// tryShare times what a try costs at the way chosen's present pace (the last
			// try's cost is as stale).
			s.ref = m
			s.gap = minLoops
			s.since = min(s.since, minLoops)
			s.nextTry = min(s.nextTry, t+s.tryGap(w, work))
		}
		return
	}
	if s.trying--; s.trying > 0 {
		return
	}
	if aftermath.by == s {
		aftermath.until = t + (t - aftermath.start)
	}
	if s.median(w, tryRuns) < s.median(s.chosen, keptRuns)*(1-margin) {
		s.chosen = w
		s.ref = s.median(w, tryRuns)
	} else {
		s.ref = s.median(s.chosen, keptRuns)
		s.gap = min(2*s.gap, maxLoops)
	}
	s.nextTry = t + s.tryGap(w, work)
}

// tryGap returns the least time from the end of a try of way w, on loops of work elements, to
// the next: tryShare times what the try cost.
func (s *siteStats) tryGap(w, work int) time.Duration {
	return max(minGap, time.Duration(tryShare*tryRuns*s.median(w, tryRuns)*float64(work)))
}

// median returns the median of way w's last m runs' times per element (fewer if it has fewer).
func (s *siteStats) median(w, m int) float64 {
	m = min(m, s.runs[w], keptRuns)
	if m == 0 {
		return math.Inf(1) // no figures: any way measured is better
	}
	var v [keptRuns]float64
	for i := range m {
		v[i] = s.last[w][(s.runs[w]-1-i)%keptRuns]
	}
	x := v[:m]
	slices.Sort(x)
	if m%2 == 1 {
		return x[m/2]
	}
	return (x[m/2-1] + x[m/2]) / 2
}
