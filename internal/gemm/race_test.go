//go:build race

package gemm

// raceEnabled reports whether the race detector is on; it makes sync.Pool
// drop items, so allocation counts are meaningless.
const raceEnabled = true
