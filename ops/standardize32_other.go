//go:build !amd64 || purego

package ops

// standardizeAsm is false: no assembly loops on this architecture or with the purego tag.
var standardizeAsm = false

func laneSum32AVX512(x *float32, n int) float64              { panic("unreachable") }
func sqDev32AVX512(x *float32, n int, mean float64) float64  { panic("unreachable") }
func scaleDev32AVX512(o, x *float32, n int, mean, r float64) { panic("unreachable") }
func dotDev32AVX512(h, x *float32, n int, mean float64) (sumH, sumHD float64) {
	panic("unreachable")
}
func gradDev32AVX512(o, x, h *float32, n int, mean, r, a, beta float64) { panic("unreachable") }
