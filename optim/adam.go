package optim

import (
	"math"
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// AdamConfig holds the hyperparameters of Adam and AdamW.
type AdamConfig struct {
	LR          float64    // learning rate η
	Betas       [2]float64 // β₁, β₂ in [0, 1); the zero value means (0.9, 0.999)
	Eps         float64    // ε > 0 added to the denominator; 0 means 1e-8
	WeightDecay float64    // λ ≥ 0: an L2 penalty for Adam, decoupled decay for AdamW
}

// Adam is the Adam optimizer, as torch.optim.Adam (and torch.optim.AdamW when made by
// NewAdamW). With g the gradient of a parameter p and t its step count, starting at 1,
//
//	Adam:  g ← g + λ p          AdamW:  p ← p − η λ p
//	m ← β₁ m + (1 − β₁) g
//	v ← β₂ v + (1 − β₂) g²
//	m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
//	p ← p − η m̂ / (√v̂ + ε)
//
// computed in PyTorch's order: p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
type Adam struct {
	base
	cfg       AdamConfig
	decoupled bool
	s         store
	job64     adamJob[float64] // a large update split over the cores, reused from step to step
	job32     adamJob[float32]
}

// NewAdam returns an Adam optimizer of params. It returns an error wrapping ErrLR if the
// learning rate is NaN, infinite or negative, one wrapping ErrHyper if a β is outside [0, 1), ε
// is not positive or the weight decay is negative, and one wrapping ErrParam if a parameter is
// nil, stale or not a leaf.
func NewAdam(params []ag.Var, cfg AdamConfig) (*Adam, error) {
	return newAdam("optim.NewAdam", "optim.Adam", params, cfg, false)
}

// NewAdamW returns an AdamW optimizer of params: Adam with decoupled weight decay. It returns
// the errors NewAdam does.
func NewAdamW(params []ag.Var, cfg AdamConfig) (*Adam, error) {
	return newAdam("optim.NewAdamW", "optim.AdamW", params, cfg, true)
}

func newAdam(op, typ string, params []ag.Var, cfg AdamConfig, decoupled bool) (*Adam, error) {
	b, err := newBase(op, typ, params, cfg.LR)
	if err != nil {
		return nil, err
	}
	if cfg.Betas == [2]float64{} {
		cfg.Betas = [2]float64{0.9, 0.999}
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if err := checkRange(op, "β₁", cfg.Betas[0], 0, 1, false); err != nil {
		return nil, err
	}
	if err := checkRange(op, "β₂", cfg.Betas[1], 0, 1, false); err != nil {
		return nil, err
	}
	if !(cfg.Eps > 0) || math.IsInf(cfg.Eps, 0) {
		return nil, ag.Errorf(op, ErrHyper, "ε %g; want a finite value > 0", cfg.Eps)
	}
	if err := checkRange(op, "weight decay", cfg.WeightDecay, 0, 1e300, false); err != nil {
		return nil, err
	}
	return &Adam{base: b, cfg: cfg, decoupled: decoupled, s: newStore(len(params), true, "exp_avg", "exp_avg_sq")}, nil
}

// Step updates every parameter that has a gradient, counting a step for it.
func (o *Adam) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g.IsNil() {
			continue
		}
		sl := o.s.init(i, p)
		sl.step++
		m, v := sl.bufs[0], sl.bufs[1]
		if p.DType() == ag.Float32 {
			o.job32.step(o, sl.step, p.Data32(), g.Data32(), m.f32, v.f32)
		} else {
			o.job64.step(o, sl.step, p.Data64(), g.Data64(), m.f64, v.f64)
		}
	}
}

// adamJob runs adamStep on several cores for a large parameter; the update is elementwise. Like
// sgdJob, it is the pool's parallel.Task itself, so that a step allocates nothing.
type adamJob[T float] struct {
	o          *Adam
	n          int // the step count
	p, g, m, v []T
}

func (j *adamJob[T]) step(o *Adam, n int, p, g, m, v []T) {
	if !parallel.Worth(len(p), parallel.Grain) {
		adamStep(o, n, p, g, m, v)
		return
	}
	j.o, j.n, j.p, j.g, j.m, j.v = o, n, p, g, m, v
	parallel.ForTask(len(p), parallel.Grain, j)
	j.p, j.g, j.m, j.v = nil, nil, nil, nil // the job must not keep the buffers alive
}

// Run implements parallel.Task.
func (j *adamJob[T]) Run(lo, hi int) {
	adamStep(j.o, j.n, j.p[lo:hi], j.g[lo:hi], j.m[lo:hi], j.v[lo:hi])
}

func adamStep[T float](o *Adam, step int, p, g, m, v []T) {
	c := &o.cfg
	b1, b2 := c.Betas[0], c.Betas[1]
	bc1 := 1 - math.Pow(b1, float64(step))
	bc2sqrt := T(math.Sqrt(1 - math.Pow(b2, float64(step))))
	stepSize := T(o.lr / bc1)
	wd, eps := T(c.WeightDecay), T(c.Eps)
	decay := T(1 - o.lr*c.WeightDecay)
	tb1, tb2 := T(b1), T(b2)
	ob1, ob2 := T(1-b1), T(1-b2) // 1 − β rounded once, as torch: 1 − float32(β) would lose digits
	if wd == 0 {
		// The vector kernel computes the loop below with the same roundings.
		adamNoDecay(p, g, m, v, [7]T{tb1, ob1, tb2, ob2, bc2sqrt, eps, stepSize})
		return
	}
	for j := range p {
		d := g[j]
		if wd != 0 {
			if o.decoupled {
				p[j] *= decay
			} else {
				d += wd * p[j]
			}
		}
		m[j] = tb1*m[j] + ob1*d
		v[j] = tb2*v[j] + ob2*d*d
		p[j] -= stepSize * m[j] / (sqrtT(v[j])/bc2sqrt + eps)
	}
}

// State returns copies of the step counts ("step"), the first and second moments ("exp_avg",
// "exp_avg_sq") and the learning rate; see Stateful.
func (o *Adam) State() []StateEntry { return o.state(&o.s) }

// SetState replaces the optimizer's state; see Stateful.
func (o *Adam) SetState(entries []StateEntry) error { return o.setState(&o.s, entries) }

// adamNoDecay runs the update of Adam without weight decay with the vector kernels of vmath: the
// loop of adamStep compiles to scalar instructions, with two divisions and a square root per
// element. c holds the scalars in the order of vmath.AdamCoef's fields.
func adamNoDecay[T float](p, g, m, v []T, c [7]T) {
	if unsafe.Sizeof(c[0]) == 4 {
		c32 := as[float32](c[:])
		vmath.Adam32(as[float32](p), as[float32](g), as[float32](m), as[float32](v), vmath.AdamCoef[float32]{
			Beta1: c32[0], OneMinusBeta1: c32[1], Beta2: c32[2], OneMinusBeta2: c32[3],
			BiasCorrection2Sqrt: c32[4], Eps: c32[5], StepSize: c32[6],
		})
		return
	}
	c64 := as[float64](c[:])
	vmath.Adam64(as[float64](p), as[float64](g), as[float64](m), as[float64](v), vmath.AdamCoef[float64]{
		Beta1: c64[0], OneMinusBeta1: c64[1], Beta2: c64[2], OneMinusBeta2: c64[3],
		BiasCorrection2Sqrt: c64[4], Eps: c64[5], StepSize: c64[6],
	})
}
