//go:build !amd64 || purego

package ops

// col2imAsm is false: no assembly loops on this architecture or with the purego tag.
var col2imAsm = false

// addRowsVec reports false: col2imPlane runs the Go loop.
func addRowsVec[T float](dst, src []T, rows, n, dstStride, srcStride int) bool { return false }
