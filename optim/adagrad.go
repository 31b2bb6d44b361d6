package optim

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// AdagradConfig holds the hyperparameters of Adagrad.
type AdagradConfig struct {
	LR          float64 // learning rate η; PyTorch's default is 0.01
	LRDecay     float64 // decay γ ≥ 0 of the learning rate with the step count
	WeightDecay float64 // L2 penalty λ ≥ 0
	InitialSum  float64 // initial value ≥ 0 of the sum of squared gradients (initial_accumulator_value)
	Eps         float64 // ε > 0 added to the denominator; 0 means 1e-10
}

// Adagrad is the Adagrad optimizer (Duchi et al., 2011), as torch.optim.Adagrad. With g the
// gradient of a parameter p and t its step count, starting at 1,
//
//	g ← g + λ p
//	s ← s + g²
//	p ← p − η / (1 + (t − 1) γ) · g / (√s + ε)
//
// where the sum s ("sum") starts at InitialSum. Unlike torch, which makes s when the optimizer
// is made, the state of a parameter exists from its first update on.
type Adagrad struct {
	base
	cfg AdagradConfig
	s   store
}

// NewAdagrad returns an Adagrad optimizer of params. It returns an error wrapping ErrLR if the
// learning rate is NaN, infinite or negative, one wrapping ErrHyper if the learning-rate decay,
// weight decay or initial sum is negative or not finite or ε is not positive and finite, and one
// wrapping ErrParam if a parameter is nil, stale or not a leaf.
func NewAdagrad(params []ag.Var, cfg AdagradConfig) (*Adagrad, error) {
	const op = "optim.NewAdagrad"
	b, err := newBase(op, "optim.Adagrad", params, cfg.LR)
	if err != nil {
		return nil, err
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-10
	}
	if !(cfg.Eps > 0) || math.IsInf(cfg.Eps, 0) {
		return nil, ag.Errorf(op, ErrHyper, "ε %g; want a finite value > 0", cfg.Eps)
	}
	for _, h := range []struct {
		name string
		x    float64
	}{{"learning-rate decay", cfg.LRDecay}, {"weight decay", cfg.WeightDecay}, {"initial sum", cfg.InitialSum}} {
		if err := checkRange(op, h.name, h.x, 0, 1e300, false); err != nil {
			return nil, err
		}
	}
	return &Adagrad{base: b, cfg: cfg, s: newStore(len(params), true, "sum")}, nil
}

// Step updates every parameter that has a gradient, counting a step for it.
func (o *Adagrad) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		fresh := o.s.st[i].bufs == nil
		sl := o.s.init(i, p)
		s := sl.bufs[0]
		if fresh && o.cfg.InitialSum != 0 {
			for j := range s.f64 {
				s.f64[j] = o.cfg.InitialSum
			}
			for j := range s.f32 {
				s.f32[j] = float32(o.cfg.InitialSum)
			}
		}
		sl.step++
		clr := o.lr / (1 + float64(sl.step-1)*o.cfg.LRDecay)
		if p.DType() == ag.Float32 {
			adagradStep(&o.cfg, clr, p.Data32(), g.Data32(), s.f32)
		} else {
			adagradStep(&o.cfg, clr, p.Data64(), g.Data64(), s.f64)
		}
	}
}

// adagradStep is one update with the decayed learning rate clr, in PyTorch's order of
// operations.
func adagradStep[T float](c *AdagradConfig, clr float64, p, g, s []T) {
	eps, wd, eta := T(c.Eps), T(c.WeightDecay), T(clr)
	for j := range p {
		d := g[j]
		if wd != 0 {
			d += wd * p[j]
		}
		s[j] += d * d
		p[j] -= eta * d / (sqrtT(s[j]) + eps)
	}
}

// State returns copies of the step counts ("step"), the sums of squared gradients ("sum") and
// the learning rate; see Stateful.
func (o *Adagrad) State() []StateEntry { return o.state(&o.s) }

// SetState replaces the optimizer's state; see Stateful.
func (o *Adagrad) SetState(entries []StateEntry) error { return o.setState(&o.s, entries) }
