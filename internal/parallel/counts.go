package parallel

import "sync/atomic"

// splitLoops and aloneLoops count the loops large enough to split that For split over the pool
// and that it ran on their caller alone.
var splitLoops, aloneLoops atomic.Int64

// Counts returns how many loops large enough to split For has split over the pool, and how many
// ran on their caller alone (its call site's choice, a back-off, or a pool busy with another
// loop; also the work of callers that Free told the pool was not free), since the program
// started. Benchmarks report the share run alone, so that a slow run shows whether the pool ran
// its loops on one core.
func Counts() (split, alone int64) { return splitLoops.Load(), aloneLoops.Load() }
