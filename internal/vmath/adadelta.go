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

// adadeltaGeneric is the pure-Go kernel; the slices have the same length. Each dtype has a
// non-generic loop, for the reason given at adamGeneric.
func adadeltaGeneric[T float32 | float64](p, g, m, v []T, c AdadeltaCoef[T]) {
	if p64, ok := any(p).([]float64); ok {
		adadeltaGo64(p64, any(g).([]float64), any(m).([]float64), any(v).([]float64), any(c).(AdadeltaCoef[float64]))
		return
	}
	adadeltaGo32(any(p).([]float32), any(g).([]float32), any(m).([]float32), any(v).([]float32), any(c).(AdadeltaCoef[float32]))
}

func adadeltaGo64(p, g, m, v []float64, c AdadeltaCoef[float64]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := float64(c.Rho*m[i]) + float64(float64(c.OneMinusRho*d)*d)
		delta := float64(math.Sqrt(v[i]+c.Eps)/math.Sqrt(mi+c.Eps)) * d
		m[i] = mi
		v[i] = float64(c.Rho*v[i]) + float64(float64(c.OneMinusRho*delta)*delta)
		p[i] -= float64(c.LR * delta)
	}
}

func adadeltaGo32(p, g, m, v []float32, c AdadeltaCoef[float32]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := float32(c.Rho*m[i]) + float32(float32(c.OneMinusRho*d)*d)
		delta := float32(float32(math.Sqrt(float64(v[i]+c.Eps)))/float32(math.Sqrt(float64(mi+c.Eps)))) * d
		m[i] = mi
		v[i] = float32(c.Rho*v[i]) + float32(float32(c.OneMinusRho*delta)*delta)
		p[i] -= float32(c.LR * delta)
	}
}
