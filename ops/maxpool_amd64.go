//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// maxPool2x2Rows32 is maxPlane2x2's inner loop over one row pair in AVX-512 assembly
// (ops/maxpool_amd64.s), sixteen windows at a time (maxPool2x2Rows64: eight float64s), with the Go loop's results bit for bit.
//
//go:noescape
func maxPool2x2Rows32(y, r0, r1 *float32, n int)

// maxPool2x2Rows64 is maxPool2x2Rows32 for float64, eight windows at a time.
//
//go:noescape
func maxPool2x2Rows64(y, r0, r1 *float64, n int)

// maxPoolAsm enables maxPool2x2Rows32, which needs AVX-512 DQ for VRANGEPS; tests turn it off
// to check the Go loop.
var maxPoolAsm = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// maxRowsVec runs maxPool2x2Rows32 or maxPool2x2Rows64 over the windows of a row pair and
// returns how many it did: all, or 0 without AVX-512 DQ.
func maxRowsVec[T float](y, r0, r1 []T) int {
	n := len(y)
	if !maxPoolAsm || n == 0 {
		return 0
	}
	_, _, _ = r0[2*n-1], r1[2*n-1], y[n-1]
	if isF32[T]() {
		maxPool2x2Rows32(&as32(y)[0], &as32(r0)[0], &as32(r1)[0], n)
	} else {
		maxPool2x2Rows64(&as64(y)[0], &as64(r0)[0], &as64(r1)[0], n)
	}
	return n
}
