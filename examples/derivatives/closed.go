package main

import (
	"math"
	"math/rand/v2"
)

// The course's closed forms, written directly in float64 with no use of the engine: the
// independent truth the autograd gradients are compared against.

// sigmoid is σ(x) = 1/(1 + e⁻ˣ), in the form that does not overflow for large |x|.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// oneLayer is a single sigmoid unit y = σ(h), h = Σ_i a_i w_i, with target t and error
// E = ½ (y − t)².
type oneLayer struct {
	a, w []float64
	t    float64
}

// forward returns y.
func (p oneLayer) forward() float64 {
	h := 0.0
	for i := range p.a {
		h += p.a[i] * p.w[i]
	}
	return sigmoid(h)
}

// closedForm returns ∂E/∂w_j = (y − t) y (1 − y) a_j: the upstream gradient ∂E/∂h = (y − t)
// y (1 − y) times the local gradient ∂h/∂w_j = a_j.
func (p oneLayer) closedForm() []float64 {
	y := p.forward()
	up := (y - p.t) * y * (1 - y)
	g := make([]float64, len(p.w))
	for j := range g {
		g[j] = up * p.a[j]
	}
	return g
}

// twoLayer is the network of the course's second derivation: hidden units a_j = σ(g_j),
// g_j = Σ_i x_i v_ij, output y = σ(h), h = Σ_j w_j a_j, error E = ½ (y − t)².
type twoLayer struct {
	x []float64 // (nIn)
	v []float64 // (nIn, nHidden), row-major: v[i*nHidden+j] is v_ij
	w []float64 // (nHidden)
	t float64
}

// forward returns the hidden activations a and the output y.
func (p twoLayer) forward() (a []float64, y float64) {
	nh := len(p.w)
	a = make([]float64, nh)
	for j := range a {
		g := 0.0
		for i := range p.x {
			g += p.x[i] * p.v[i*nh+j]
		}
		a[j] = sigmoid(g)
	}
	h := 0.0
	for j := range a {
		h += p.w[j] * a[j]
	}
	return a, sigmoid(h)
}

// closedForm returns ∂E/∂v_ij = (y − t) y (1 − y) w_j a_j (1 − a_j) x_i, row-major like v, and
// ∂E/∂w_j = (y − t) y (1 − y) a_j.
func (p twoLayer) closedForm() (dv, dw []float64) {
	a, y := p.forward()
	up := (y - p.t) * y * (1 - y)
	nh := len(p.w)
	dv = make([]float64, len(p.v))
	dw = make([]float64, nh)
	for j := range dw {
		dw[j] = up * a[j]
		for i := range p.x {
			dv[i*nh+j] = up * p.w[j] * a[j] * (1 - a[j]) * p.x[i]
		}
	}
	return dv, dw
}

// uniform returns n values from U(−1, 1): weights at the scale of a Glorot initialisation and
// inputs at the scale of standardised features.
func uniform(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 2*rng.Float64() - 1
	}
	return x
}

// target returns 0 or 1, the targets of a sigmoid output. (Binary targets also keep y − t away
// from cancellation, so that the two computations agree to a few roundings.)
func target(rng *rand.Rand) float64 { return float64(rng.IntN(2)) }

func drawOneLayer(rng *rand.Rand, n int) oneLayer {
	return oneLayer{a: uniform(rng, n), w: uniform(rng, n), t: target(rng)}
}

func drawTwoLayer(rng *rand.Rand, nIn, nHidden int) twoLayer {
	return twoLayer{x: uniform(rng, nIn), v: uniform(rng, nIn*nHidden), w: uniform(rng, nHidden), t: target(rng)}
}

// relErr returns |got − want| relative to |want|, or the absolute difference when want is 0.
func relErr(got, want float64) float64 {
	d := math.Abs(got - want)
	if want == 0 {
		return d
	}
	return d / math.Abs(want)
}

// maxRelErr returns the largest relErr of the elements of got and want.
func maxRelErr(got, want []float64) float64 {
	m := 0.0
	for i := range want {
		m = max(m, relErr(got[i], want[i]))
	}
	return m
}
