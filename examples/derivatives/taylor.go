package main

import (
	"math"
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
)

// taylorStep compares the change of E along a step d with its Taylor predictions,
//
//	E(θ + d) − E(θ) ≈ ∇E·d            (first order: what gradient descent uses)
//	E(θ + d) − E(θ) ≈ ∇E·d + ½ dᵀHd   (second order: with the Hessian H)
type taylorStep struct {
	size   float64 // |d|
	actual float64 // E(θ + d) − E(θ)
	first  float64 // ∇E·d
	second float64 // ∇E·d + ½ dᵀHd, with Hd from autograd.HVP
}

// taylor returns the predictions for the step d from the weights of p. The gradient comes from
// autograd.Grad and Hd from autograd.HVP, which differentiates the recorded backward pass.
func (p twoLayer) taylor(d []float64) (taylorStep, error) {
	tp := ag.NewTape()
	theta := tp.Variable(p.theta())
	e0 := p.loss(theta)
	g, err := ag.Grad([]ag.Var{e0}, []ag.Var{theta})
	if err != nil {
		return taylorStep{}, err
	}
	hd, err := ag.HVP(p.loss, theta, tp.Const(d))
	if err != nil {
		return taylorStep{}, err
	}
	moved := p.theta()
	for i := range moved {
		moved[i] += d[i]
	}
	var e1 float64
	tp.NoGrad(func() { e1 = p.loss(tp.Const(moved)).Item() })
	first := dot(g[0].Float64s(), d)
	return taylorStep{
		size:   math.Sqrt(dot(d, d)),
		actual: e1 - e0.Item(),
		first:  first,
		second: first + 0.5*dot(d, hd.Float64s()),
	}, nil
}

// quadForms returns dᵀHd computed twice: from autograd.HVP, and from the full Hessian of
// autograd.Hessian.
func (p twoLayer) quadForms(d []float64) (viaHVP, viaHessian float64, err error) {
	tp := ag.NewTape()
	theta := tp.Variable(p.theta())
	hd, err := ag.HVP(p.loss, theta, tp.Const(d))
	if err != nil {
		return 0, 0, err
	}
	h, err := ag.Hessian(p.loss, theta)
	if err != nil {
		return 0, 0, err
	}
	hs := h.Data64()
	n := len(d)
	for i := range n {
		viaHessian += d[i] * dot(hs[i*n:(i+1)*n], d)
	}
	return dot(d, hd.Float64s()), viaHessian, nil
}

// direction returns a random direction of length size.
func direction(rng *rand.Rand, n int, size float64) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = rng.NormFloat64()
	}
	s := size / math.Sqrt(dot(d, d))
	for i := range d {
		d[i] *= s
	}
	return d
}

// scaled returns c·d.
func scaled(d []float64, c float64) []float64 {
	out := make([]float64, len(d))
	for i := range d {
		out[i] = c * d[i]
	}
	return out
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
