package layers

import (
	"fmt"
	"sync"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// BatchNorm normalises each channel (axis 1) of a batch, as PyTorch's nn.BatchNorm1d and
// nn.BatchNorm2d:
//
//	y = (x − mean) / √(var + Eps) · Weight + Bias
//
// per channel. In training mode (the initial mode) mean and var are the batch's statistics over
// every axis but the channels' (the biased variance), the gradient flows through them, and each
// call updates the running statistics:
//
//	RunningMean ← (1 − Momentum)·RunningMean + Momentum·mean
//	RunningVar  ← (1 − Momentum)·RunningVar + Momentum·var·n/(n − 1)
//
// with the unbiased variance, n being the number of values per channel, and adds 1 to
// NumBatchesTracked. In evaluation mode (see Eval) mean and var are the running statistics.
// RunningMean, RunningVar and NumBatchesTracked are buffers (see Buffers): the checkpoint
// package stores them as "running_mean", "running_var" and "num_batches_tracked", PyTorch's
// names, and Params leaves them out, so no optimizer changes them.
//
// NumBatchesTracked is an int64 scalar in torch's state_dict. gograd's values are floats, so it
// is a float64 scalar here (in either dtype of the layer), exact up to 2⁵³ batches; checkpoints
// store it as torch does, an int64 scalar, and checkpoint.Load reads it from one (a checkpoint without it
// loads it as 0, as torch does for checkpoints written before it had the counter).
//
// CumulativeAverage is torch's momentum=None: the k-th training batch (k = NumBatchesTracked
// after it is counted) weighs 1/k, so the running statistics are the plain average of every
// batch's statistics since the counter was 0; Momentum is then unused.
//
// WithoutAffine leaves out Weight and Bias (torch's affine=False); WithoutRunningStats leaves out
// the buffers and normalises by the batch's statistics in both modes (torch's
// track_running_stats=False).
//
// A batch of one row in training mode is an error, as in torch: with train.Fit, choose a batch
// size that does not leave a last batch of one row (Rows mod BatchSize ≠ 1).
//
// Forward is safe for concurrent use, as train.ParallelGrad needs: each call normalises its
// input by the input's own statistics (as each replica of torch's DataParallel does) and updates
// the running statistics under a lock, in an order that depends on scheduling.
type BatchNorm struct {
	Weight            ag.Var  // the scale per channel, (Features); ones initially; none WithoutAffine
	Bias              ag.Var  // the shift per channel, (Features); zeros initially; none WithoutAffine
	RunningMean       ag.Var  `layers:"buffer"` // (Features); zeros initially; none WithoutRunningStats
	RunningVar        ag.Var  `layers:"buffer"` // (Features); ones initially; none WithoutRunningStats
	NumBatchesTracked ag.Var  `layers:"buffer"` // float64 scalar: the training batches seen; none WithoutRunningStats
	Features          int     // the channels, axis 1 of the input
	Momentum          float64 // the weight of a batch in the running statistics; 0.1, as torch
	Eps               float64 // added to the variance; 1e-5, as torch
	CumulativeAverage bool    // weigh batch k by 1/k instead of Momentum (torch's momentum=None)

	spatial int // the input's axes after the channels: 0 or 1 for BatchNorm1d, 2 for BatchNorm2d
	eval    bool
	mu      sync.Mutex // guards the running statistics
}

// NewBatchNorm1d returns a batch normalisation of inputs (N, features) or (N, features, L), as
// torch's nn.BatchNorm1d, its parameters and buffers in the dtype of WithDType (float64 by
// default). NewBatchNorm1d panics with an *autograd.Error wrapping ErrSize if features < 1.
func NewBatchNorm1d(features int, opts ...Option) *BatchNorm {
	return newBatchNorm("layers.NewBatchNorm1d", features, 1, opts)
}

// NewBatchNorm2d returns a batch normalisation of inputs (N, features, H, W), as torch's
// nn.BatchNorm2d; see NewBatchNorm1d.
func NewBatchNorm2d(features int, opts ...Option) *BatchNorm {
	return newBatchNorm("layers.NewBatchNorm2d", features, 2, opts)
}

func newBatchNorm(op string, features, spatial int, opts []Option) *BatchNorm {
	checkSize(op, "feature count", features)
	o := newOptions(Zeros, opts)
	b := &BatchNorm{Features: features, Momentum: 0.1, Eps: 1e-5, spatial: spatial}
	if !o.norm.noAffine {
		b.Weight, b.Bias = o.newFilled(1, []int{features}), o.newFilled(0, []int{features})
	}
	if !o.norm.noRunningStats {
		b.RunningMean, b.RunningVar = o.newBuffer(0, features), o.newBuffer(1, features)
		b.NumBatchesTracked = ag.ScalarParam(0)
		ag.SetRequiresGrad(b.NumBatchesTracked, false)
	}
	return b
}

func (b *BatchNorm) name() string {
	if b.spatial == 2 {
		return "layers.BatchNorm2d"
	}
	return "layers.BatchNorm1d"
}

// Forward returns x normalised per channel, scaled and shifted. Forward panics with an
// *autograd.Error wrapping autograd.ErrShape if x is not (N, Features) or (N, Features, L) for a
// BatchNorm1d, (N, Features, H, W) for a BatchNorm2d, or if in training mode a channel has a
// single value (a batch of one), whose variance is undefined, as torch; with one wrapping
// autograd.ErrDType if x's dtype differs from the parameters'.
func (b *BatchNorm) Forward(x ag.Var) ag.Var {
	if b == nil {
		ag.Panicf("layers.BatchNorm", ag.ErrValue, "nil *BatchNorm; create it with layers.NewBatchNorm1d or NewBatchNorm2d")
	}
	op := b.name()
	s := x.Check(op).Shape()
	if !b.rankOK(len(s)) || s[1] != b.Features {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want %s", ag.FormatShape(s), b.wantShape())
	}
	if dt := b.dtype(); !dt.IsNil() && x.DType() != dt.DType() {
		ag.Panicf(op, ag.ErrDType, "%v input and %v parameters; convert one with ops.Cast or build the layer WithDType", x.DType(), dt.DType())
	}
	// Per-channel vectors broadcast against x as (1, C, 1, ...); rank 4 at most (rankOK).
	var shapeBuf, axesBuf [4]int
	bshape := shapeBuf[:len(s)]
	for i := range bshape {
		bshape[i] = 1
	}
	bshape[1] = b.Features
	axes := axesBuf[:0]
	n := 1
	for i, d := range s {
		if i != 1 {
			axes = append(axes, i)
			n *= d
		}
	}
	// The parameters' and buffers' views go on x's tape, not on the heap: a steady step
	// allocates nothing.
	tp := ops.TapeOf(x)
	var xc, variance ag.Var
	if b.eval && !b.RunningMean.IsNil() {
		xc, variance = ops.Sub(x, ops.ReshapeOn(tp, b.RunningMean, bshape...)), ops.ReshapeOn(tp, b.RunningVar, bshape...)
	} else {
		if n == 1 {
			ag.Panicf(op, ag.ErrShape, "input of shape %s: expected more than 1 value per channel when training", ag.FormatShape(s))
		}
		mean := ops.MeanKeepDims(x, axes...)
		xc = ops.Sub(x, mean)
		variance = ops.MeanKeepDims(ops.Square(xc), axes...)
		if !b.eval && !b.RunningMean.IsNil() {
			b.update(mean, variance, n)
		}
	}
	rstd := ops.PowConst(ops.Sqrt(ops.AddScalar(variance, b.Eps)), -1)
	y := ops.Mul(xc, rstd)
	if !b.Weight.IsNil() {
		y = ops.Mul(y, ops.ReshapeOn(tp, b.Weight, bshape...))
	}
	if !b.Bias.IsNil() {
		y = ops.Add(y, ops.ReshapeOn(tp, b.Bias, bshape...))
	}
	return y
}

// dtype returns a Var in the layer's dtype (a parameter or a buffer), or the zero Var if it has
// neither (then any input dtype goes).
func (b *BatchNorm) dtype() ag.Var {
	for _, v := range []ag.Var{b.Weight, b.RunningMean} {
		if !v.IsNil() {
			return v
		}
	}
	return ag.Var{}
}

// update moves the running statistics towards a batch's mean and biased variance over n
// values per channel, by Momentum or, with CumulativeAverage, by 1/NumBatchesTracked.
func (b *BatchNorm) update(mean, variance ag.Var, n int) {
	unbias := float64(n) / float64(n-1)
	b.mu.Lock()
	defer b.mu.Unlock()
	mom := b.Momentum
	if !b.NumBatchesTracked.IsNil() {
		count := b.NumBatchesTracked.Data64()
		count[0]++
		if b.CumulativeAverage {
			mom = 1 / count[0]
		}
	}
	// The batch's statistics are in the running ones' dtype (Forward checks x's).
	if b.RunningMean.DType() == ag.Float32 {
		m, v := mean.Data32(), variance.Data32()
		rm, rv, mom := b.RunningMean.Data32(), b.RunningVar.Data32(), float32(mom)
		for c := range rm {
			rm[c] = (1-mom)*rm[c] + mom*m[c]
			rv[c] = (1-mom)*rv[c] + mom*float32(float64(v[c])*unbias)
		}
		return
	}
	m, v := mean.Data64(), variance.Data64()
	rm, rv := b.RunningMean.Data64(), b.RunningVar.Data64()
	for c := range rm {
		rm[c] = (1-mom)*rm[c] + mom*m[c]
		rv[c] = (1-mom)*rv[c] + mom*v[c]*unbias
	}
}

func (b *BatchNorm) rankOK(r int) bool {
	if b.spatial == 2 {
		return r == 4
	}
	return r == 2 || r == 3
}

func (b *BatchNorm) wantShape() string {
	if b.spatial == 2 {
		return fmt.Sprintf("(N, %d, H, W)", b.Features)
	}
	return fmt.Sprintf("(N, %d) or (N, %d, L)", b.Features, b.Features)
}

// SetTraining selects training mode (batch statistics, updating the running ones) or
// evaluation mode (running statistics).
func (b *BatchNorm) SetTraining(training bool) { b.eval = !training }

// Training reports whether b is in training mode.
func (b *BatchNorm) Training() bool { return !b.eval }

// NamedParams returns "weight" and "bias", unless WithoutAffine.
func (b *BatchNorm) NamedParams() []Param { return Collect(b) }

// NamedBuffers returns "running_mean", "running_var" and "num_batches_tracked", PyTorch's names,
// unless WithoutRunningStats.
func (b *BatchNorm) NamedBuffers() []Param {
	if b.RunningMean.IsNil() {
		return nil
	}
	return []Param{{Name: "running_mean", Var: b.RunningMean}, {Name: "running_var", Var: b.RunningVar}, {Name: "num_batches_tracked", Var: b.NumBatchesTracked}}
}
