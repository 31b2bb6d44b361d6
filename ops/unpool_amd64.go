//go:build amd64 && !purego

package ops

// unpool2x2Rows32 is unpoolPlane2x2's inner loop over one row pair in AVX-512 assembly
// (ops/unpool_amd64.s), sixteen windows at a time, with the Go loop's results bit for bit.
//
//go:noescape
func unpool2x2Rows32(z0, z1, r0, r1, y, gr *float32, n int)

// unpoolRowsVec runs unpool2x2Rows32 over the windows of a row pair and returns how many it
// did: all, or 0 without AVX-512 (reluAsm) or for float64.
func unpoolRowsVec[T float](z0, z1, r0, r1, y, gr []T) int {
	n := len(y)
	if !reluAsm || !isF32[T]() || n == 0 {
		return 0
	}
	_, _, _, _, _ = z0[2*n-1], z1[2*n-1], r0[2*n-1], r1[2*n-1], gr[n-1]
	unpool2x2Rows32(&as32(z0)[0], &as32(z1)[0], &as32(r0)[0], &as32(r1)[0], &as32(y)[0], &as32(gr)[0], n)
	return n
}
