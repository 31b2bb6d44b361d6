package ops

import "github.com/gograd/gograd/internal/vmath"

// The float32 softmax rows, for attention's scores: their sums run in float64 over sixteen
// lanes (element i in lane i mod 16, the lanes then added pairwise as halves: 8, 4, 2, 1), the
// order of the AVX-512 loops (ops/softmax32_amd64.s), which compute the same bits as the Go
// loops here; the maximum is exact in any order, and a NaN anywhere makes the whole row NaN
// in both.

// softmaxRow32 sets o to the softmax of x (of o's length).
func softmaxRow32(o, x []float32) {
	x = x[:len(o)]
	if softmaxAsm && len(o) > 0 {
		softmaxSub32AVX512(&o[0], &x[0], len(o))
		vmath.Exp32(o, o)
		softmaxDiv32AVX512(&o[0], len(o))
		return
	}
	subRowMax(o, x)
	vmath.Exp32(o, o)
	var acc [16]float64
	for i, v := range o {
		acc[i%16] += float64(v)
	}
	s := sumLanes(&acc)
	for i := range o {
		o[i] = float32(float64(o[i]) / s)
	}
}

// softmaxGradRow32 sets o = y·(g − Σ g·y) for one row.
func softmaxGradRow32(o, g, y []float32) {
	g, y = g[:len(o)], y[:len(o)]
	if softmaxAsm && len(o) > 0 {
		softmaxGrad32AVX512(&o[0], &g[0], &y[0], len(o))
		return
	}
	var acc [16]float64
	for i, v := range y {
		acc[i%16] += float64(g[i]) * float64(v) // exact: a float32 product fits a float64
	}
	s := sumLanes(&acc)
	for i, v := range y {
		o[i] = float32(float64(v) * (float64(g[i]) - s))
	}
}

// sumLanes adds sixteen lanes as the assembly does: the upper half onto the lower, four times.
func sumLanes(acc *[16]float64) float64 {
	for w := 8; w >= 1; w /= 2 {
		for i := range w {
			acc[i] += acc[i+w]
		}
	}
	return acc[0]
}
