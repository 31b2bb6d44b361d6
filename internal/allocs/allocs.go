// Package allocs measures what a call allocates, for the memory bounds that the fuzz targets of
// gograd's file readers assert: reading an input may allocate at most Budget of it.
package allocs

import "runtime"

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
func Budget(n int, expected uint64) uint64 {
	return max(Base, 8*uint64(n)) + expected
}
