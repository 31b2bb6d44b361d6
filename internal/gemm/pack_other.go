//go:build !amd64 || purego

package gemm

// useGather is always false without assembly.
var useGather = false

// packRows reports false: no accelerated strided pack is available.
func packRows[T float](dst, src []T, ld, rows, kc int) bool { return false }

// useCopy is always false without assembly.
var useCopy = false

// packCopy reports false: no accelerated copying pack is available.
func packCopy[T float](dst, src []T, ld, w, kc int) bool { return false }
