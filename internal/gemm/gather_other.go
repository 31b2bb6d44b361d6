//go:build !amd64 || purego

package gemm

// GatherPanel32 reports false: no gathering instructions without the assembly.
func GatherPanel32(dst, src []float32, idx *[48]int64, groups, kc int) bool { return false }

// GatherPanel64 reports false: no gathering instructions without the assembly.
func GatherPanel64(dst, src []float64, idx *[48]int64, groups, kc int) bool { return false }
