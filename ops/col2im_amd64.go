//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// addRows32 is col2imPlane's inner loop for stride 1 in AVX-512 assembly (ops/col2im_amd64.s):
// for r < rows and i < n, dst[r·dstStride+i] += src[r·srcStride+i], with the Go loop's sums bit
// for bit.
//
//go:noescape
func addRows32(dst, src *float32, rows, n, dstStride, srcStride int)

// addRows64 is addRows32 for float64.
//
//go:noescape
func addRows64(dst, src *float64, rows, n, dstStride, srcStride int)

// col2imAsm enables addRows32; tests turn it off to check the Go loop.
var col2imAsm = cpu.X86.HasAVX512F

// addRowsVec adds rows rows of n elements of src (rows srcStride apart) into dst (rows
// dstStride apart) with addRows32 or addRows64 and reports true, or reports false without
// AVX-512. The rows must lie inside dst and src.
func addRowsVec[T float](dst, src []T, rows, n, dstStride, srcStride int) bool {
	if !col2imAsm {
		return false
	}
	if rows <= 0 || n <= 0 {
		return true
	}
	_, _ = dst[(rows-1)*dstStride+n-1], src[(rows-1)*srcStride+n-1]
	if isF32[T]() {
		addRows32(&as32(dst)[0], &as32(src)[0], rows, n, dstStride, srcStride)
	} else {
		addRows64(&as64(dst)[0], &as64(src)[0], rows, n, dstStride, srcStride)
	}
	return true
}
