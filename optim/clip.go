package optim

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// ClipGradNorm rescales the collected gradients of params so that their global L2 norm (the
// norm of all gradients concatenated) is at most maxNorm, as torch.nn.utils.clip_grad_norm_:
// when the norm exceeds maxNorm every gradient is multiplied by maxNorm/(norm + 1e-6). It
// returns the norm before clipping. Parameters without a gradient are skipped. A NaN or
// infinite norm is returned without touching the gradients. ClipGradNorm panics with an
// *autograd.Error wrapping ErrHyper if maxNorm is NaN or negative.
func ClipGradNorm(params []ag.Var, maxNorm float64) float64 {
	const op = "optim.ClipGradNorm"
	if !(maxNorm >= 0) {
		ag.Panicf(op, ErrHyper, "max norm %g; want a value ≥ 0", maxNorm)
	}
	ss := 0.0
	for _, p := range params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		if g.DType() == ag.Float32 {
			for _, x := range g.Data32() {
				ss += float64(x) * float64(x)
			}
		} else {
			for _, x := range g.Data64() {
				ss += x * x
			}
		}
	}
	norm := math.Sqrt(ss)
	if math.IsInf(norm, 1) { // squares of float64 gradients above ~1e154 overflow: rescale
		norm = scaledNorm(params)
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) || norm <= maxNorm {
		return norm
	}
	c := maxNorm / (norm + 1e-6)
	for _, p := range params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		if g.DType() == ag.Float32 {
			scale(g.Data32(), float32(c))
		} else {
			scale(g.Data64(), c)
		}
	}
	return norm
}

func scale[T float](x []T, c T) {
	for i := range x {
		x[i] *= c
	}
}

// scaledNorm is the 2-norm of the gradients of params computed as m·√Σ(x/m)², with m the largest
// magnitude, for gradients whose squares overflow. It is +Inf or NaN only if a gradient is.
func scaledNorm(params []ag.Var) float64 {
	m := 0.0
	for _, p := range params {
		if g := p.Grad(); !g.IsNil() {
			for _, x := range g.Float64s() {
				m = max(m, math.Abs(x))
			}
		}
	}
	if m == 0 || math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	ss := 0.0
	for _, p := range params {
		if g := p.Grad(); !g.IsNil() {
			for _, x := range g.Float64s() {
				ss += (x / m) * (x / m)
			}
		}
	}
	return m * math.Sqrt(ss)
}
