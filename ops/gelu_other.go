//go:build !amd64 || purego

package ops

// geluAsm is false: no assembly loops on this architecture or with the purego tag.
var geluAsm = false

// geluArgVec reports false: geluFwd32 runs the Go loop.
func geluArgVec(e, t []float64, x []float32) bool { return false }

// geluOutVec reports false: geluFwd32 runs the Go loop.
func geluOutVec(o, x []float32, e, t []float64) bool { return false }

// geluBwdVec reports false: geluBwd runs the Go loops.
func geluBwdVec(o, x, g, y []float32, exp func(o, x []float32)) bool { return false }
