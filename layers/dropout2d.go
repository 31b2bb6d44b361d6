package layers

import (
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Dropout2d zeroes whole channels of (batch, C, H, W) images, each with probability P, in
// training mode, scaling the others by 1/(1 − P), as torch.nn.Dropout2d; in evaluation mode it
// returns its input. Neighbouring pixels of a feature map are strongly correlated, so dropping
// single pixels regularises little. It starts in training mode, and shares Dropout's lock and
// concurrency rules.
type Dropout2d struct {
	P    float64
	rng  *rand.Rand
	eval bool
}

// NewDropout2d returns a channel dropout layer drawing its masks from rng (a PCG generator seeded
// with 1 when rng is nil). NewDropout2d panics with an *autograd.Error wrapping ErrSize unless
// 0 ≤ p < 1.
func NewDropout2d(p float64, rng *rand.Rand) *Dropout2d {
	if !(p >= 0 && p < 1) {
		ag.Panicf("layers.NewDropout2d", ErrSize, "probability %g; want a value in [0, 1)", p)
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 0))
	}
	return &Dropout2d{P: p, rng: rng}
}

// Forward returns x times a random (batch, C, 1, 1) mask of zeros and 1/(1 − P) in training
// mode, x otherwise. Forward panics with an *autograd.Error naming the layer if x is not 4-D.
func (d *Dropout2d) Forward(x ag.Var) ag.Var {
	s := checkImages("layers.Dropout2d", x)
	if d.eval || d.P == 0 {
		return x
	}
	keep := 1 / (1 - d.P)
	mask := make([]float64, s[0]*s[1])
	drawMu.Lock()
	for i := range mask {
		if d.rng.Float64() >= d.P {
			mask[i] = keep
		}
	}
	drawMu.Unlock()
	m := ops.TapeOf(x).Const(mask, s[0], s[1], 1, 1)
	return ops.Mul(x, ops.Cast(m, x.DType()))
}

// SetTraining selects training or evaluation mode.
func (d *Dropout2d) SetTraining(training bool) { d.eval = !training }

// Training reports whether d is in training mode.
func (d *Dropout2d) Training() bool { return !d.eval }

// NamedParams returns nil.
func (d *Dropout2d) NamedParams() []Param { return nil }
