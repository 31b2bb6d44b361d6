package optim

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
)

// SGDConfig holds the hyperparameters of SGD. The zero values of the fields other than LR give
// plain gradient descent.
type SGDConfig struct {
	LR          float64 // learning rate η
	Momentum    float64 // μ in [0, 1)
	Dampening   float64 // in [0, 1]
	Nesterov    bool    // use Nesterov momentum; needs Momentum > 0 and Dampening 0
	WeightDecay float64 // L2 penalty λ ≥ 0, added to the gradient
}

// SGD is stochastic gradient descent, as torch.optim.SGD: with g the gradient of a parameter p,
//
//	g ← g + λ p
//	b ← g at the first step, then b ← μ b + (1 − dampening) g     (when μ ≠ 0)
//	g ← g + μ b with Nesterov momentum, else g ← b                  (when μ ≠ 0)
//	p ← p − η g
//
// Without momentum and weight decay this is the course's rule w ← w − η ∂E/∂w.
type SGD struct {
	base
	cfg   SGDConfig
	s     store
	job64 sgdJob[float64] // a large update split over the cores, reused from step to step
	job32 sgdJob[float32]
	f     fusion // updates fused into ops.MatMulSGD products (sgdfused.go)
}

// NewSGD returns an SGD optimizer of params. It returns an error wrapping ErrLR if the learning
// rate is NaN, infinite or negative, one wrapping ErrHyper if another hyperparameter is out of
// range or Nesterov is asked for without momentum or with dampening, and one wrapping ErrParam
// if a parameter is nil, stale or not a leaf.
func NewSGD(params []ag.Var, cfg SGDConfig) (*SGD, error) {
	const op = "optim.NewSGD"
	b, err := newBase(op, "optim.SGD", params, cfg.LR)
	if err != nil {
		return nil, err
	}
	if err := checkRange(op, "momentum", cfg.Momentum, 0, 1, false); err != nil {
		return nil, err
	}
	if err := checkRange(op, "dampening", cfg.Dampening, 0, 1, true); err != nil {
		return nil, err
	}
	if err := checkRange(op, "weight decay", cfg.WeightDecay, 0, 1e300, false); err != nil {
		return nil, err
	}
	if cfg.Nesterov && (cfg.Momentum == 0 || cfg.Dampening != 0) {
		return nil, ag.Errorf(op, ErrHyper, "Nesterov momentum needs momentum > 0 and dampening 0; have momentum %g, dampening %g", cfg.Momentum, cfg.Dampening)
	}
	var keys []string
	if cfg.Momentum != 0 {
		keys = []string{"momentum_buffer"}
	}
	return &SGD{base: b, cfg: cfg, s: newStore(len(params), false, keys...)}, nil
}

// Step updates every parameter that has a gradient.
func (o *SGD) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		var buf vec
		first := false
		if o.cfg.Momentum != 0 {
			first = o.s.st[i].bufs == nil
			buf = o.s.init(i, p).bufs[0]
		}
		if p.DType() == ag.Float32 {
			o.job32.step(&o.cfg, o.lr, p.Data32(), g.Data32(), buf.f32, first)
		} else {
			o.job64.step(&o.cfg, o.lr, p.Data64(), g.Data64(), buf.f64, first)
		}
	}
}

// sgdJob runs sgdStep on several cores for a large parameter: the update is elementwise, so the
// split does not change the result. The job keeps its arguments in fields and is the pool's
// parallel.Task itself, so that a step allocates nothing.
type sgdJob[T float] struct {
	c       *SGDConfig
	lr      float64
	p, g, b []T
	first   bool
}

func (j *sgdJob[T]) step(c *SGDConfig, lr float64, p, g, b []T, first bool) {
	if !parallel.Worth(len(p), parallel.Grain) {
		if len(p) < shortScaled && c.WeightDecay == 0 && b == nil {
			addScaledLoop(p, g, -T(lr)) // sgdStep's plain descent without its two calls (BenchmarkXORStep)
			return
		}
		sgdStep(c, lr, p, g, b, first)
		return
	}
	j.c, j.lr, j.p, j.g, j.b, j.first = c, lr, p, g, b, first
	parallel.ForTask(len(p), parallel.Grain, j)
	j.p, j.g, j.b = nil, nil, nil // the job must not keep the buffers alive
}

// Run implements parallel.Task.
func (j *sgdJob[T]) Run(lo, hi int) {
	sgdStep(j.c, j.lr, j.p[lo:hi], j.g[lo:hi], part(j.b, lo, hi), j.first)
}

func sgdStep[T float](c *SGDConfig, lr float64, p, g, b []T, first bool) {
	mu, damp, wd, eta := T(c.Momentum), T(1-c.Dampening), T(c.WeightDecay), T(lr)
	if wd == 0 && b == nil { // plain gradient descent: the course's w ← w − η ∂E/∂w
		addScaled(p, g, -eta) // p + (−η)·g has the bits of p − η·g
		return
	}
	for j := range p {
		d := g[j]
		if wd != 0 {
			d += wd * p[j]
		}
		if b != nil {
			if first {
				b[j] = d
			} else {
				b[j] = mu*b[j] + damp*d
			}
			if c.Nesterov {
				d += mu * b[j]
			} else {
				d = b[j]
			}
		}
		p[j] -= eta * d
	}
}

// State returns copies of the momentum buffers ("momentum_buffer") and the learning rate; see
// Stateful.
func (o *SGD) State() []StateEntry { return o.state(&o.s) }

// SetState replaces the optimizer's state; see Stateful.
func (o *SGD) SetState(entries []StateEntry) error { return o.setState(&o.s, entries) }
