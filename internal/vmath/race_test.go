//go:build race

package vmath

// raceEnabled reports whether the race detector is on; the accuracy tests
// then use fewer samples.
const raceEnabled = true
