package layers

import (
	"math/rand/v2"
	"sync"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Dropout zeroes each element of its input with probability P in training mode, scaling the
// others by 1/(1 − P) so that the expected output equals the input; in evaluation mode it
// returns its input. It starts in training mode, as in PyTorch.
//
// Forward is safe to call from several goroutines at once, as train.Fit does with Workers > 1:
// each call draws its whole mask under a lock shared by every Dropout, so layers may share a
// source (NewMLP gives all its Dropout layers the generator of its options). Called from one
// goroutine, Dropout gives the same masks from run to run. Called from several, the results are
// free of data races but not reproducible: each mask is a contiguous run of the source's values,
// but which call draws which run depends on scheduling. The source must not be used elsewhere
// while Forward may run, and SetTraining must not be called concurrently with Forward.
type Dropout struct {
	P    float64
	rng  *rand.Rand
	eval bool
}

// NewDropout returns a dropout layer drawing its masks from rng (when rng is nil, a generator
// seeded from the package's, see SetSeed), so that training on one goroutine is reproducible. NewDropout panics with an
// *autograd.Error wrapping ErrSize unless 0 ≤ p < 1.
func NewDropout(p float64, rng *rand.Rand) *Dropout {
	if !(p >= 0 && p < 1) {
		ag.Panicf("layers.NewDropout", ErrSize, "probability %g; want a value in [0, 1)", p)
	}
	if rng == nil {
		rng = nextRand()
	}
	return &Dropout{P: p, rng: rng}
}

// drawMu guards the random sources of every Dropout. A lock per layer would not do: the layers
// of one MLP share a source.
var drawMu sync.Mutex

// Forward returns x times a random mask of zeros and 1/(1 − P) in training mode, x otherwise.
// The mask is a constant on x's tape, so the gradient is masked the same way.
func (d *Dropout) Forward(x ag.Var) ag.Var {
	if d.eval || d.P == 0 {
		return x
	}
	keep := 1 / (1 - d.P)
	mask := make([]float64, x.Len())
	drawMu.Lock()
	for i := range mask {
		if d.rng.Float64() >= d.P {
			mask[i] = keep
		}
	}
	drawMu.Unlock()
	m := ops.TapeOf(x).Const(mask, x.Shape()...)
	return ops.Mul(x, ops.Cast(m, x.DType()))
}

// SetTraining selects training or evaluation mode.
func (d *Dropout) SetTraining(training bool) { d.eval = !training }

// Training reports whether d is in training mode.
func (d *Dropout) Training() bool { return !d.eval }

// NamedParams returns nil.
func (d *Dropout) NamedParams() []Param { return nil }
