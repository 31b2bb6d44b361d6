package vmath

import "math"

// AdadeltaCoef holds the scalars of one Adadelta step: ρ, 1−ρ (rounded once from the float64
// value, as torch does), ε and the learning rate η. The assembly kernels read the fields in
// this order.
type AdadeltaCoef[T float32 | float64] struct {
	Rho, OneMinusRho, Eps, LR T
}

// Adadelta64 applies one step of Adadelta without weight decay to the parameters p with
// gradients g, mean squared gradients m and mean squared updates v, for i < len(p):
//
//	m[i] ← ρ·m[i] + ((1−ρ)·g[i])·g[i]
//	d = (√(v[i] + ε) / √(m[i] + ε))·g[i]
//	v[i] ← ρ·v[i] + ((1−ρ)·d)·d
//	p[i] ← p[i] − η·d
//
// with the scalars of c, each operation rounded on its own as the Go expressions are (no fused
// multiply-add). The four slices must not overlap. Adadelta64 panics if g, m or v is shorter
// than p.
func Adadelta64(p, g, m, v []float64, c AdadeltaCoef[float64]) {
	checkAdam(len(p), len(g), len(m), len(v), "Adadelta64")
	impl.adadelta64(p, g[:len(p)], m[:len(p)], v[:len(p)], c)
}

// Adadelta32 is Adadelta64 for float32, in float32 arithmetic.
func Adadelta32(p, g, m, v []float32, c AdadeltaCoef[float32]) {
	checkAdam(len(p), len(g), len(m), len(v), "Adadelta32")
	impl.adadelta32(p, g[:len(p)], m[:len(p)], v[:len(p)], c)
}

// adadeltaGeneric is the pure-Go kernel; the slices have the same length. The explicit
// conversions forbid fusing a product into a sum.
func adadeltaGeneric[T float32 | float64](p, g, m, v []T, c AdadeltaCoef[T]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := T(c.Rho*m[i]) + T(T(c.OneMinusRho*d)*d)
		delta := T(T(math.Sqrt(float64(v[i]+c.Eps)))/T(math.Sqrt(float64(mi+c.Eps)))) * d
		m[i] = mi
		v[i] = T(c.Rho*v[i]) + T(T(c.OneMinusRho*delta)*delta)
		p[i] -= T(c.LR * delta)
	}
}
