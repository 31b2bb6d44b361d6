// Package allocs measures what a call allocates, for the memory bounds that the fuzz targets of
// gograd's file readers assert: reading an input may allocate at most Budget of it.
package allocs

import (
	"math"
	"runtime"
)

// Bytes returns the number of bytes fn allocated on the heap: the growth of
// runtime.MemStats.TotalAlloc across the call. Allocations by other goroutines during the call
// are counted too, so measure with nothing else running.
func Bytes(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Base is what any input may allocate, however small: 64 KiB.
const Base = 64 << 10

// Budget returns what reading an input of n bytes may allocate: max(Base, 8·n) plus expected,
// the bytes the caller said it expects (the arrays it accepted, the data set it asked for).
// Under the race detector, where counts are not Exact, it returns the largest uint64: the bounds
// are asserted by the plain test run, and the race run looks for races.
func Budget(n int, expected uint64) uint64 {
	if !Exact {
		return math.MaxUint64
	}
	return max(Base, 8*uint64(n)) + expected
}
