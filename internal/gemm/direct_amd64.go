//go:build amd64 && !purego

package gemm

// directMaskTable backs the AVX2 direct kernels' lane masks: the 32 bytes from offset
// 32 − lanes·(element size) hold all-ones in the first lanes elements and zeros after.
var directMaskTable = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}
