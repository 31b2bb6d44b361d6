package optim

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// RMSPropConfig holds the hyperparameters of RMSProp.
type RMSPropConfig struct {
	LR          float64 // learning rate η
	Alpha       float64 // smoothing constant α in [0, 1); 0 means 0.99
	Eps         float64 // ε > 0; 0 means 1e-8
	WeightDecay float64 // L2 penalty λ ≥ 0
	Momentum    float64 // μ in [0, 1)
	Centered    bool    // normalise by an estimate of the gradient's variance
}

// RMSProp is the RMSProp optimizer, as torch.optim.RMSprop. With g the gradient of p,
//
//	g ← g + λ p
//	v ← α v + (1 − α) g²
//	centered: ḡ ← α ḡ + (1 − α) g,  d = √(v − ḡ²) + ε;  otherwise d = √v + ε
//	μ > 0: b ← μ b + g/d,  p ← p − η b;  otherwise p ← p − η g/d
type RMSProp struct {
	base
	cfg RMSPropConfig
	s   store
}

// NewRMSProp returns an RMSProp optimizer of params. It returns an error wrapping ErrLR if the
// learning rate is NaN, infinite or negative, one wrapping ErrHyper if another hyperparameter is
// out of range, and one wrapping ErrParam if a parameter is nil, stale or not a leaf.
func NewRMSProp(params []ag.Var, cfg RMSPropConfig) (*RMSProp, error) {
	const op = "optim.NewRMSProp"
	b, err := newBase(op, "optim.RMSProp", params, cfg.LR)
	if err != nil {
		return nil, err
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = 0.99
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if err := checkRange(op, "α", cfg.Alpha, 0, 1, false); err != nil {
		return nil, err
	}
	if !(cfg.Eps > 0) || math.IsInf(cfg.Eps, 0) {
		return nil, ag.Errorf(op, ErrHyper, "ε %g; want a finite value > 0", cfg.Eps)
	}
	if err := checkRange(op, "momentum", cfg.Momentum, 0, 1, false); err != nil {
		return nil, err
	}
	if err := checkRange(op, "weight decay", cfg.WeightDecay, 0, 1e300, false); err != nil {
		return nil, err
	}
	keys := []string{"square_avg"}
	if cfg.Momentum > 0 {
		keys = append(keys, "momentum_buffer")
	}
	if cfg.Centered {
		keys = append(keys, "grad_avg")
	}
	return &RMSProp{base: b, cfg: cfg, s: newStore(len(params), false, keys...)}, nil
}

// Step updates every parameter that has a gradient.
func (o *RMSProp) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		sl := o.s.init(i, p)
		var sq, buf, avg vec
		sq = sl.bufs[0]
		k := 1
		if o.cfg.Momentum > 0 {
			buf = sl.bufs[k]
			k++
		}
		if o.cfg.Centered {
			avg = sl.bufs[k]
		}
		if p.DType() == ag.Float32 {
			rmsStep(&o.cfg, o.lr, p.Data32(), g.Data32(), sq.f32, buf.f32, avg.f32)
		} else {
			rmsStep(&o.cfg, o.lr, p.Data64(), g.Data64(), sq.f64, buf.f64, avg.f64)
		}
	}
}

func rmsStep[T float](c *RMSPropConfig, lr float64, p, g, sq, buf, avg []T) {
	a, wd, eps, mu, eta := T(c.Alpha), T(c.WeightDecay), T(c.Eps), T(c.Momentum), T(lr)
	oa := T(1 - c.Alpha) // 1 − α rounded once, as torch
	for j := range p {
		d := g[j]
		if wd != 0 {
			d += wd * p[j]
		}
		sq[j] = a*sq[j] + oa*d*d
		var den T
		if avg != nil {
			avg[j] = a*avg[j] + oa*d
			den = sqrtT(sq[j]-avg[j]*avg[j]) + eps
		} else {
			den = sqrtT(sq[j]) + eps
		}
		if buf != nil {
			buf[j] = mu*buf[j] + d/den
			p[j] -= eta * buf[j]
		} else {
			p[j] -= eta * d / den
		}
	}
}

// State returns copies of the running averages ("square_avg", and "momentum_buffer" and
// "grad_avg" when used) and the learning rate; see Stateful.
func (o *RMSProp) State() []StateEntry { return o.state(&o.s) }

// SetState replaces the optimizer's state; see Stateful.
func (o *RMSProp) SetState(entries []StateEntry) error { return o.setState(&o.s, entries) }
