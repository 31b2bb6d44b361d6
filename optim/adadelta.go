package optim

import (
	"math"
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/vmath"
)

// AdadeltaConfig holds the hyperparameters of Adadelta.
type AdadeltaConfig struct {
	LR          float64 // learning rate η scaling the update; PyTorch's default, and the usual choice, is 1
	Rho         float64 // decay ρ of the running averages, in (0, 1]; 0 means 0.9
	Eps         float64 // ε > 0 inside the square roots; 0 means 1e-6
	WeightDecay float64 // L2 penalty λ ≥ 0
}

// Adadelta is the Adadelta optimizer (Zeiler, 2012), as torch.optim.Adadelta. With g the
// gradient of a parameter p,
//
//	g ← g + λ p
//	v ← ρ v + (1 − ρ) g²
//	Δ = √(u + ε) / √(v + ε) · g
//	u ← ρ u + (1 − ρ) Δ²
//	p ← p − η Δ
//
// where v ("square_avg") and u ("acc_delta") start at 0.
type Adadelta struct {
	base
	cfg AdadeltaConfig
	s   store
}

// NewAdadelta returns an Adadelta optimizer of params. It returns an error wrapping ErrLR if the
// learning rate is NaN, infinite or negative, one wrapping ErrHyper if ρ is outside (0, 1], ε
// is not positive and finite or the weight decay is negative, and one wrapping ErrParam if a
// parameter is nil, stale or not a leaf.
func NewAdadelta(params []ag.Var, cfg AdadeltaConfig) (*Adadelta, error) {
	const op = "optim.NewAdadelta"
	b, err := newBase(op, "optim.Adadelta", params, cfg.LR)
	if err != nil {
		return nil, err
	}
	if cfg.Rho == 0 {
		cfg.Rho = 0.9
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-6
	}
	if err := checkRange(op, "ρ", cfg.Rho, 0, 1, true); err != nil {
		return nil, err
	}
	if !(cfg.Eps > 0) || math.IsInf(cfg.Eps, 0) {
		return nil, ag.Errorf(op, ErrHyper, "ε %g; want a finite value > 0", cfg.Eps)
	}
	if err := checkRange(op, "weight decay", cfg.WeightDecay, 0, 1e300, false); err != nil {
		return nil, err
	}
	return &Adadelta{base: b, cfg: cfg, s: newStore(len(params), true, "square_avg", "acc_delta")}, nil
}

// Step updates every parameter that has a gradient, counting a step for it.
func (o *Adadelta) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		sl := o.s.init(i, p)
		sl.step++
		v, u := sl.bufs[0], sl.bufs[1]
		if p.DType() == ag.Float32 {
			adadeltaStep(&o.cfg, o.lr, p.Data32(), g.Data32(), v.f32, u.f32)
		} else {
			adadeltaStep(&o.cfg, o.lr, p.Data64(), g.Data64(), v.f64, u.f64)
		}
	}
}

// adadeltaStep is one update in PyTorch's order of operations.
func adadeltaStep[T float](c *AdadeltaConfig, lr float64, p, g, v, u []T) {
	rho, orho := T(c.Rho), T(1-c.Rho) // 1 − ρ rounded once, as torch
	eps, wd, eta := T(c.Eps), T(c.WeightDecay), T(lr)
	if wd == 0 {
		// The vector kernel computes the loop below with the same roundings.
		adadeltaNoDecay(p, g, v, u, [4]T{rho, orho, eps, eta})
		return
	}
	for j := range p {
		d := g[j]
		if wd != 0 {
			d += wd * p[j]
		}
		v[j] = rho*v[j] + orho*d*d
		delta := sqrtT(u[j]+eps) / sqrtT(v[j]+eps) * d
		u[j] = rho*u[j] + orho*delta*delta
		p[j] -= eta * delta
	}
}

// State returns copies of the step counts ("step"), the running averages ("square_avg",
// "acc_delta") and the learning rate; see Stateful.
func (o *Adadelta) State() []StateEntry { return o.state(&o.s) }

// SetState replaces the optimizer's state; see Stateful.
func (o *Adadelta) SetState(entries []StateEntry) error { return o.setState(&o.s, entries) }

// adadeltaNoDecay runs the update of Adadelta without weight decay with the vector kernels of
// vmath: the loop of adadeltaStep compiles to scalar instructions, with two square roots and a
// division per element. c holds ρ, 1 − ρ, ε and η, the fields of vmath.AdadeltaCoef.
func adadeltaNoDecay[T float](p, g, v, u []T, c [4]T) {
	if unsafe.Sizeof(c[0]) == 4 {
		c32 := as[float32](c[:])
		vmath.Adadelta32(as[float32](p), as[float32](g), as[float32](v), as[float32](u),
			vmath.AdadeltaCoef[float32]{Rho: c32[0], OneMinusRho: c32[1], Eps: c32[2], LR: c32[3]})
		return
	}
	c64 := as[float64](c[:])
	vmath.Adadelta64(as[float64](p), as[float64](g), as[float64](v), as[float64](u),
		vmath.AdadeltaCoef[float64]{Rho: c64[0], OneMinusRho: c64[1], Eps: c64[2], LR: c64[3]})
}
