package vmath

import "math"

// AdamCoef holds the scalars of one Adam step at step count t: β₁, 1−β₁, β₂,
// 1−β₂ (each rounded once from the float64 value, as torch does), √(1−β₂ᵗ),
// ε and the step size η/(1−β₁ᵗ). The assembly kernels read the fields in this
// order.
type AdamCoef[T float32 | float64] struct {
	Beta1, OneMinusBeta1, Beta2, OneMinusBeta2 T
	BiasCorrection2Sqrt, Eps, StepSize         T
}

// Adam64 applies one step of Adam without weight decay to the parameters p
// with gradients g, first moments m and second moments v, for i < len(p):
//
//	m[i] ← β₁·m[i] + (1−β₁)·g[i]
//	v[i] ← β₂·v[i] + ((1−β₂)·g[i])·g[i]
//	p[i] ← p[i] − (s·m[i]) / (√v[i] / √(1−β₂ᵗ) + ε)
//
// with the scalars of c, each operation rounded on its own as the Go
// expressions are (no fused multiply-add). The four slices must not overlap.
// Adam64 panics if g, m or v is shorter than p.
func Adam64(p, g, m, v []float64, c AdamCoef[float64]) {
	checkAdam(len(p), len(g), len(m), len(v), "Adam64")
	impl.adam64(p, g[:len(p)], m[:len(p)], v[:len(p)], c)
}

// Adam32 is Adam64 for float32, in float32 arithmetic.
func Adam32(p, g, m, v []float32, c AdamCoef[float32]) {
	checkAdam(len(p), len(g), len(m), len(v), "Adam32")
	impl.adam32(p, g[:len(p)], m[:len(p)], v[:len(p)], c)
}

func checkAdam(n, ng, nm, nv int, name string) {
	if ng < n || nm < n || nv < n {
		panic("vmath: " + name + ": g, m or v shorter than p")
	}
}

// adamGeneric is the pure-Go kernel; the slices have the same length. The
// explicit conversions forbid fusing a product into a sum.
func adamGeneric[T float32 | float64](p, g, m, v []T, c AdamCoef[T]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := T(c.Beta1*m[i]) + T(c.OneMinusBeta1*d)
		vi := T(c.Beta2*v[i]) + T(T(c.OneMinusBeta2*d)*d)
		m[i], v[i] = mi, vi
		den := T(T(math.Sqrt(float64(vi)))/c.BiasCorrection2Sqrt) + c.Eps
		p[i] -= T(c.StepSize*mi) / den
	}
}
