//go:build !amd64 || purego

package ops

// reluAsm is false: no assembly loops on this architecture or with the purego tag.
var reluAsm = false

// reluVec reports false: ReLU runs the Go loop.
func reluVec[T float](o, x []T) bool { return false }

// reluGradVec reports false: ReLU's backward runs the Go loop.
func reluGradVec[T float](o, g, a []T) bool { return false }

// unpoolRowsVec reports 0: unpoolPlane2x2 runs the Go loop.
func unpoolRowsVec[T float](z0, z1, r0, r1, y, gr []T) int { return 0 }
