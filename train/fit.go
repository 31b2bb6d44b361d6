package train

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// ErrConfig reports a training configuration that cannot run.
var ErrConfig = errors.New("train: bad configuration")

// LossFunc returns the loss of a model's output for a minibatch, whose labels or targets it
// reads.
type LossFunc func(out ag.Var, batch *data.Dataset) (ag.Var, error)

// CrossEntropy is the default loss: losses.CrossEntropy of the output logits and the batch's
// labels Y.
func CrossEntropy(out ag.Var, b *data.Dataset) (ag.Var, error) {
	return losses.CrossEntropy(out, b.Y)
}

// MSE is losses.MSE of an output of shape (batch, 1) and the batch's targets T. It returns an
// error wrapping ErrConfig if the batch has no targets.
func MSE(out ag.Var, b *data.Dataset) (ag.Var, error) {
	if len(b.T) != b.Rows {
		return ag.Var{}, configError("train.MSE", "the batch has %d rows and %d targets (Dataset.T); MSE needs one target per row", b.Rows, len(b.T))
	}
	t := ops.TapeOf(out).Const(b.T, b.Rows, 1)
	return losses.MSE(out, ops.Cast(t, out.DType()))
}

// Config configures Fit.
type Config struct {
	Epochs    int    // passes over the data, at least 1
	BatchSize int    // examples per step, at least 1; the last batch of an epoch may be smaller
	Seed      uint64 // seeds the shuffling of every epoch
	// Loss is the loss to minimise; nil means CrossEntropy.
	Loss LossFunc
	// ClipNorm, when positive, clips the gradients to this global norm before every step; 0
	// turns clipping off. A NaN or negative ClipNorm is an error (torch's clip_grad_norm_ would
	// turn every gradient into NaN, or flip its sign).
	ClipNorm float64
	// Schedule, when set, is stepped at the end of every epoch.
	Schedule optim.Scheduler
	// OnEpoch, when set, is called at the end of every epoch.
	OnEpoch func(EpochStats)
	// Workers, when above 1, splits every batch between this many goroutines with
	// ParallelGrad: the model's Forward must then be safe for concurrent use. The result is
	// the same from run to run for a given Workers, unless a Dropout layer is in training mode:
	// which worker draws which mask then depends on scheduling. It pays for small models, whose
	// products are too small to split: on 2 cores an epoch of a 64-32-10 MLP on the digits takes
	// 1.4 ms with 2 workers and 1.8 ms with 1; a 64-512-512-10 MLP, whose products use both
	// cores anyway, takes 51 ms with 2 and 37 ms with 1 (go test -bench FitEpoch ./train).
	Workers int
	// Progress receives the progress bar. When nil, the bar goes to standard output if it is
	// a terminal and is not shown otherwise.
	Progress io.Writer
}

// EpochStats summarises one epoch.
type EpochStats struct {
	Epoch    int           // 1-based
	Loss     float64       // mean loss per example
	Accuracy float64       // fraction of training examples classified right; NaN without labels
	LR       float64       // learning rate used during the epoch
	Elapsed  time.Duration // since Fit started
	Left     time.Duration // estimated time to the last epoch's end
}

// String formats the statistics on one line.
func (s EpochStats) String() string {
	return fmt.Sprintf("epoch %d: loss %.4f, accuracy %.4f, lr %.3g, %v left", s.Epoch, s.Loss, s.Accuracy, s.LR, s.Left.Round(time.Millisecond))
}

// Fit trains m on ds with opt for cfg.Epochs epochs of shuffled minibatches and returns every
// epoch's statistics. The model is in training mode during Fit and in evaluation mode after it.
// A batch of b examples goes to m.Forward as a constant of shape (b, ds.Shape...), such as
// (b, 1, 28, 28) for MNIST images, or (b, ds.Cols) when ds.Shape is nil. Inputs are converted to
// the dtype of m's first parameter.
//
// Fit returns an error wrapping ErrConfig if the model or optimizer is nil (a nil pointer
// included), the epochs or batch size are below 1, ClipNorm is NaN or negative, the data set is
// empty or its slices do not match its Rows, Cols and Shape, or the default loss finds no labels; the
// loss's error if it fails on a batch (for example a label out of range), after the steps before
// it: the failing step leaves the parameters and the optimizer untouched; and the typed misuse
// (see autograd.Misuse) the schedule panicked with, for example a StepLR whose learning rate
// overflowed to +Inf, after the epoch that completed.
func Fit(m layers.Module, opt optim.Optimizer, ds data.Dataset, cfg Config) ([]EpochStats, error) {
	const op = "train.Fit"
	if isNil(m) || isNil(opt) {
		return nil, configError(op, "model %T, optimizer %T: want both non-nil", m, opt)
	}
	if !(cfg.ClipNorm >= 0) {
		return nil, configError(op, "ClipNorm %g; want a value ≥ 0 (0 turns clipping off)", cfg.ClipNorm)
	}
	if cfg.Epochs < 1 || cfg.BatchSize < 1 {
		return nil, configError(op, "%d epochs of batches of %d; want at least 1 of each", cfg.Epochs, cfg.BatchSize)
	}
	if ds.Rows == 0 {
		return nil, configError(op, "empty data set")
	}
	if err := checkData(op, &ds); err != nil {
		return nil, err
	}
	lossFn := cfg.Loss
	if lossFn == nil {
		if ds.Y == nil {
			return nil, configError(op, "the default loss, CrossEntropy, needs labels (Dataset.Y)")
		}
		lossFn = CrossEntropy
	}
	params := layers.Params(m)
	dt := ag.Float64
	if len(params) > 0 {
		dt = params[0].DType()
	}
	batches := data.NewBatches(ds.Rows, cfg.BatchSize, rand.New(rand.NewPCG(cfg.Seed, 0)))
	bar := newBar(cfg.Progress, cfg.Epochs*batches.Len())
	tape := ag.NewTape()
	var b data.Dataset
	var pred []int
	var shape []int // the batch's shape, reused from step to step
	start := time.Now()
	stats := make([]EpochStats, 0, cfg.Epochs)
	layers.Train(m)
	defer layers.Eval(m)
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		var sum float64
		right := 0
		lr := opt.LR()
		for _, idx := range batches.Epoch() {
			if cfg.Workers > 1 {
				pred = grow(pred, len(idx))
				opt.ZeroGrad()
				l, err := parallelGrad(op, m, lossFn, &ds, idx, cfg.Workers, params, dt, pred)
				if err != nil {
					return stats, err
				}
				if cfg.ClipNorm > 0 {
					optim.ClipGradNorm(params, cfg.ClipNorm)
				}
				opt.Step()
				sum += l * float64(len(idx))
				if ds.Y != nil {
					for i, p := range pred {
						if p == ds.Y[idx[i]] {
							right++
						}
					}
				}
				if bar != nil {
					bar.Add(1)
				}
				continue
			}
			ds.Gather(&b, idx)
			tape.Reset()
			shape = b.BatchShape(shape)
			x := ops.Cast(tape.Const(b.X, shape...), dt)
			out := m.Forward(x)
			loss, err := lossFn(out, &b)
			if err != nil {
				return stats, err
			}
			opt.ZeroGrad()
			if err := ag.Backward(loss); err != nil {
				return stats, err
			}
			if cfg.ClipNorm > 0 {
				optim.ClipGradNorm(params, cfg.ClipNorm)
			}
			opt.Step()
			sum += loss.Item() * float64(b.Rows)
			if b.Y != nil {
				pred = classes(pred, out)
				for i, p := range pred {
					if p == b.Y[i] {
						right++
					}
				}
			}
			if bar != nil {
				bar.Add(1)
			}
		}
		var schedErr error
		if cfg.Schedule != nil {
			schedErr = ag.Maybe(func() { cfg.Schedule.Step() })
		}
		elapsed := time.Since(start)
		s := EpochStats{
			Epoch:    epoch,
			Loss:     sum / float64(ds.Rows),
			Accuracy: math.NaN(),
			LR:       lr,
			Elapsed:  elapsed,
			Left:     elapsed / time.Duration(epoch) * time.Duration(cfg.Epochs-epoch),
		}
		if ds.Y != nil {
			s.Accuracy = float64(right) / float64(ds.Rows)
		}
		stats = append(stats, s)
		if bar != nil {
			bar.Describe(fmt.Sprintf("epoch %d/%d loss %.4f acc %.4f", epoch, cfg.Epochs, s.Loss, s.Accuracy))
		}
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(s)
		}
		if schedErr != nil {
			return stats, fmt.Errorf("%s: the schedule after epoch %d: %w", op, epoch, schedErr)
		}
	}
	if bar != nil {
		bar.Finish()
	}
	return stats, nil
}

func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

// isNil reports whether v is nil or holds a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// configError returns an *autograd.Error for op wrapping ErrConfig.
func configError(op, format string, args ...any) error {
	return &ag.Error{Op: op, Kind: ErrConfig, Msg: fmt.Sprintf(format, args...)}
}

// checkData returns an error wrapping ErrConfig if ds has no columns or its slices do not match
// its Rows, Cols and Shape (data.Dataset.Validate), which would otherwise surface as an index
// out of range deep inside a batch.
func checkData(op string, ds *data.Dataset) error {
	if ds.Cols < 1 {
		return configError(op, "data set of %d rows and %d columns; want rows ≥ 0 and columns ≥ 1", ds.Rows, ds.Cols)
	}
	if err := ds.Validate(); err != nil {
		return configError(op, "%s", strings.TrimPrefix(err.Error(), "data: "))
	}
	return nil
}

// newBar returns a progress bar of total steps on w, or on standard output when w is nil and
// standard output is a terminal; otherwise nil.
func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	if w == nil {
		if !term.IsTerminal(int(os.Stdout.Fd())) {
			return nil
		}
		w = os.Stdout
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

// classes appends to dst[:0] the class of every row of out: the largest column, or for a
// single column 1 where it is positive (a logit above 0).
func classes(dst []int, out ag.Var) []int {
	s := out.Shape()
	cols := 1
	if len(s) == 2 {
		cols = s[1]
	}
	z := out.Float64s()
	if cols > 1 {
		return data.Argmax(dst, z, cols)
	}
	dst = dst[:0]
	for _, v := range z {
		c := 0
		if v > 0 {
			c = 1
		}
		dst = append(dst, c)
	}
	return dst
}

// accuracyChunk is the number of examples Accuracy evaluates at a time, bounding the memory
// that the activations of a large test set take (those of a convolutional network on 10,000
// MNIST images would take gigabytes at once).
const accuracyChunk = 500

// Accuracy returns the fraction of the examples of ds that m classifies right, from its output
// logits (the largest column, or a positive single column), computed in evaluation mode without
// recording gradients, on at most 500 examples at a time, each a constant of shape
// (k, ds.Shape...) as in Fit. It returns an error wrapping ErrConfig if m is nil, or ds has no
// labels or no rows or is inconsistent.
func Accuracy(m layers.Module, ds data.Dataset) (float64, error) {
	const op = "train.Accuracy"
	if isNil(m) {
		return 0, configError(op, "nil model (%T)", m)
	}
	if ds.Y == nil || ds.Rows == 0 {
		return 0, configError(op, "accuracy needs a labelled, non-empty data set")
	}
	if err := checkData(op, &ds); err != nil {
		return 0, err
	}
	dt := ag.Float64
	if ps := layers.Params(m); len(ps) > 0 {
		dt = ps[0].DType()
	}
	layers.Eval(m)
	tape := ag.NewTape()
	pred := make([]int, 0, ds.Rows)
	var part []int
	var shape []int
	for lo := 0; lo < ds.Rows; lo += accuracyChunk {
		hi := min(lo+accuracyChunk, ds.Rows)
		chunk := data.Dataset{X: ds.X[lo*ds.Cols : hi*ds.Cols], Rows: hi - lo, Cols: ds.Cols, Shape: ds.Shape}
		shape = chunk.BatchShape(shape)
		tape.Reset()
		tape.NoGrad(func() {
			x := ops.Cast(tape.Wrap(chunk.X, shape...), dt)
			part = classes(part, m.Forward(x))
		})
		pred = append(pred, part...)
	}
	return data.Accuracy(pred, ds.Y)
}
