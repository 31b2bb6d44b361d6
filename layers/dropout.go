package layers

import (
	"math"
	"math/rand/v2"
	"sync"
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Dropout zeroes each element of its input with probability P in training mode, scaling the
// others by 1/(1 − P) so that the expected output equals the input; in evaluation mode it
// returns its input. It starts in training mode, as in PyTorch.
//
// Each mask takes one value from the source, which seeds a SplitMix64 stream that decides the
// elements, two per 64-bit output (see drawMask).
//
// Forward is safe to call from several goroutines at once, as train.Fit does with Workers > 1:
// each call draws its mask's seed under a lock shared by every Dropout, so layers may share a
// source (NewMLP gives all its Dropout layers the generator of its options). Called from one
// goroutine, Dropout gives the same masks from run to run. Called from several, the results are
// free of data races but not reproducible: each mask comes from one of the source's values, but
// which call draws which value depends on scheduling. The source must not be used elsewhere
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
// The mask is a constant on x's tape, so the gradient is masked the same way; it is drawn into
// the tape's storage in x's dtype, so that a steady training step allocates nothing for it.
func (d *Dropout) Forward(x ag.Var) ag.Var {
	if d.eval || d.P == 0 {
		return x
	}
	m := ops.TapeOf(x).Zeros(x.DType(), x.Shape()...)
	drawMask(m, d.rng, d.P)
	return ops.Mul(x, m)
}

// drawMask sets each element of m, a constant of zeros, to 1/(1 − p) with probability 1 − p.
// It takes one rng.Uint64 under drawMu, to seed a SplitMix64 generator that runs outside the
// lock, and keeps element i where the 32-bit half i of that generator's output stream (low half
// first) is at least p·2³², rounded: two elements per output, with no data-dependent branch.
// One rng.Float64 per element, compared with p, cost four times as much: a call through the
// source's interface per element and a mispredicted branch on a fraction p of them.
func drawMask(m ag.Var, rng *rand.Rand, p float64) {
	drawMu.Lock()
	seed := rng.Uint64()
	drawMu.Unlock()
	thr := uint64(math.Round(p * (1 << 32))) // keep u where u ≥ thr: probability 1 − thr/2³²
	if m.DType() == ag.Float32 {
		keep := math.Float32bits(float32(1 / (1 - p)))
		fillMask(as32bits(m.Data32()), seed, thr, keep)
	} else {
		fillMask(as64bits(m.Data64()), seed, thr, math.Float64bits(1/(1-p)))
	}
}

// fillMask sets mask[i] to keep where draw i of the stream seeded with seed is at least thr,
// else to 0, each element as its float's bits.
func fillMask[U uint32 | uint64](mask []U, seed, thr uint64, keep U) {
	s := seed
	i := 0
	for ; i+1 < len(mask); i += 2 {
		z := splitMix64(&s)
		a, b := U(0), U(0)
		if z&0xffffffff >= thr {
			a = keep
		}
		if z>>32 >= thr {
			b = keep
		}
		mask[i], mask[i+1] = a, b
	}
	if i < len(mask) {
		z := splitMix64(&s)
		var a U
		if z&0xffffffff >= thr {
			a = keep
		}
		mask[i] = a
	}
}

// splitMix64 advances the SplitMix64 state s and returns its next output (Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", 2014).
func splitMix64(s *uint64) uint64 {
	*s += 0x9e3779b97f4a7c15
	z := *s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// as32bits and as64bits view a float slice as its bits.
func as32bits(s []float32) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func as64bits(s []float64) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// SetTraining selects training or evaluation mode.
func (d *Dropout) SetTraining(training bool) { d.eval = !training }

// Training reports whether d is in training mode.
func (d *Dropout) Training() bool { return !d.eval }

// NamedParams returns nil.
func (d *Dropout) NamedParams() []Param { return nil }
