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

// adamGeneric is the pure-Go kernel; the slices have the same length. Each
// dtype has a non-generic loop: only an explicit conversion in non-generic code
// forbids fusing a product into a sum (in generic code arm64 fused T(x·y) + z).
func adamGeneric[T float32 | float64](p, g, m, v []T, c AdamCoef[T]) {
	if p64, ok := any(p).([]float64); ok {
		adamGo64(p64, any(g).([]float64), any(m).([]float64), any(v).([]float64), any(c).(AdamCoef[float64]))
		return
	}
	adamGo32(any(p).([]float32), any(g).([]float32), any(m).([]float32), any(v).([]float32), any(c).(AdamCoef[float32]))
}

func adamGo64(p, g, m, v []float64, c AdamCoef[float64]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := float64(c.Beta1*m[i]) + float64(c.OneMinusBeta1*d)
		vi := float64(c.Beta2*v[i]) + float64(float64(c.OneMinusBeta2*d)*d)
		m[i], v[i] = mi, vi
		den := float64(math.Sqrt(vi)/c.BiasCorrection2Sqrt) + c.Eps
		p[i] -= float64(c.StepSize*mi) / den
	}
}

func adamGo32(p, g, m, v []float32, c AdamCoef[float32]) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		d := g[i]
		mi := float32(c.Beta1*m[i]) + float32(c.OneMinusBeta1*d)
		vi := float32(c.Beta2*v[i]) + float32(float32(c.OneMinusBeta2*d)*d)
		m[i], v[i] = mi, vi
		den := float32(float32(math.Sqrt(float64(vi)))/c.BiasCorrection2Sqrt) + c.Eps
		p[i] -= float32(c.StepSize*mi) / den
	}
}
