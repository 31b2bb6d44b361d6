//go:build !amd64 || purego

package gemm

// useGather is always false without assembly.
var useGather = false

// packRows reports false: no accelerated strided pack is available.
func packRows[T float](dst, src []T, ld, rows, kc int) bool { return false }
