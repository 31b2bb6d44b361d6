//go:build !amd64 || purego

package ops

// maxPoolAsm is false: no assembly loops on this architecture or with the purego tag.
var maxPoolAsm = false

// maxRowsVec reports 0: maxPlane2x2 runs the Go loop.
func maxRowsVec[T float](y, r0, r1 []T) int { return 0 }
