package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// ErrConfig reports a training configuration that cannot run.
var ErrConfig = errors.New("train: bad configuration")

// ErrStop, returned by Config.OnEpoch, stops training after the epoch: Fit then returns its
// statistics and a nil error, as when early stopping ends it (Keras's model.stop_training).
var ErrStop = errors.New("train: stop")

// LossFunc returns the loss of a model's output for a minibatch, whose labels or targets it
// reads. Fit and ParallelGrad need the mean over the batch's rows.
type LossFunc func(out ag.Var, batch *data.Dataset) (ag.Var, error)

// CrossEntropy is losses.CrossEntropy of the output logits, of shape (batch, classes), and the
// batch's labels Y.
func CrossEntropy(out ag.Var, b *data.Dataset) (ag.Var, error) {
	return losses.CrossEntropy(out, b.Y)
}

// Config configures Fit.
type Config struct {
	Epochs    int    // passes over the data, at least 1
	BatchSize int    // examples per step, at least 1; the last batch of an epoch may be smaller
	Seed      uint64 // seeds the shuffling of every epoch
	// Task chooses the default loss and the metric EpochStats reports; the zero value, Auto,
	// infers it from the training set (see Task).
	Task Task
	// Loss, when set, replaces the task's loss; the metric is still the task's.
	Loss LossFunc
	// ClipNorm, when positive, clips the gradients to this global norm before every step; 0
	// turns clipping off. A NaN or negative ClipNorm is an error (torch's clip_grad_norm_ would
	// turn every gradient into NaN, or flip its sign).
	ClipNorm float64
	// Schedule, when set, is stepped at the end of every epoch.
	Schedule optim.Scheduler
	// Validation, when set, is evaluated after every epoch (in evaluation mode, without
	// gradients): its loss and metric go to EpochStats.ValLoss and ValMetric. It must have the
	// training set's Cols, Shape and TargetCols, and labels or targets where the training set
	// has them.
	Validation *data.Dataset
	// Patience, when positive, stops training once the validation loss has not improved for
	// Patience epochs in a row (Keras's EarlyStopping(patience), with min_delta 0); 0 never
	// stops early. It needs Validation; a negative Patience is an error.
	Patience int
	// KeepBest, with a Validation set, restores at the end of Fit the parameter values of the
	// epoch with the lowest validation loss (the first of equal ones), as Keras's
	// restore_best_weights: after early stopping, an ErrStop, a cancelled context or the last
	// epoch alike. The optimizer's state and BatchNorm's running statistics are not restored.
	// It needs Validation.
	KeepBest bool
	// OnEpoch, when set, is called at the end of every epoch, after the validation. Returning
	// ErrStop (or an error wrapping it) ends training cleanly; any other error ends Fit with it.
	OnEpoch func(EpochStats) error
	// Workers, when above 1, splits every batch between this many goroutines with
	// ParallelGrad: the model's Forward must then be safe for concurrent use. The result is
	// the same from run to run for a given Workers, unless a Dropout layer is in training mode:
	// which worker draws which mask then depends on scheduling. It pays for small models, whose
	// products are too small to split: on 2 cores an epoch of a 64-32-10 MLP on the digits takes
	// 1.4 ms with 2 workers and 1.8 ms with 1; a 64-512-512-10 MLP, whose products use both
	// cores anyway, takes 51 ms with 2 and 37 ms with 1 (go test -bench FitEpoch ./train).
	Workers int
	// Progress receives the progress bar. When nil, the bar goes to standard error if it is
	// a terminal and is not shown otherwise. The bar is cleared at the end and replaced by one
	// line with the last epoch's statistics, ending in a newline.
	Progress io.Writer
}

// EpochStats summarises one epoch.
type EpochStats struct {
	Epoch int     // 1-based
	Loss  float64 // mean training loss per example
	// MetricName names the task's metric: "accuracy", "rmse", "mae", or "" when there is none
	// (a custom Loss on a data set without labels or targets).
	MetricName string
	// Metric is the task's metric on the training examples, measured during the epoch while the
	// parameters changed; NaN when there is none.
	Metric float64
	// Accuracy is Metric for a classification and NaN otherwise.
	Accuracy float64
	// ValLoss and ValMetric are the loss and metric on Config.Validation after the epoch, or NaN
	// without one.
	ValLoss, ValMetric float64
	LR                 float64       // learning rate used during the epoch
	Elapsed            time.Duration // since Fit started
	Left               time.Duration // estimated time to the last epoch's end
}

// String formats the statistics on one line.
func (s EpochStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epoch %d: loss %.4f", s.Epoch, s.Loss)
	if s.MetricName != "" {
		fmt.Fprintf(&b, ", %s %.4f", s.MetricName, s.Metric)
	}
	if !math.IsNaN(s.ValLoss) {
		fmt.Fprintf(&b, ", val loss %.4f", s.ValLoss)
		if s.MetricName != "" {
			fmt.Fprintf(&b, ", val %s %.4f", s.MetricName, s.ValMetric)
		}
	}
	fmt.Fprintf(&b, ", lr %.3g, %v left", s.LR, s.Left.Round(time.Millisecond))
	return b.String()
}

// Fit is FitContext with a context that is never cancelled.
func Fit(m layers.Module, opt optim.Optimizer, ds data.Dataset, cfg Config) ([]EpochStats, error) {
	return FitContext(context.Background(), m, opt, ds, cfg)
}

// FitContext trains m on ds with opt for cfg.Epochs epochs of shuffled minibatches and returns
// every epoch's statistics. The model is in training mode during the epochs and in evaluation
// mode after it. A batch of b examples goes to m.Forward as a constant of shape
// (b, ds.Shape...), such as (b, 1, 28, 28) for MNIST images, or (b, ds.Cols) when ds.Shape is
// nil. Inputs are converted to the dtype of m's first parameter. Training ends early, with a nil
// error, when cfg.Patience epochs pass without a better validation loss or OnEpoch returns
// ErrStop; with cfg.KeepBest the parameters of the best validation epoch are then restored.
//
// ctx is checked before every step: once it is done, FitContext returns the statistics of the
// complete epochs and an error wrapping ctx.Err(), matching context.Canceled or
// context.DeadlineExceeded, with the parameters as the last step left them (or the best ones
// with KeepBest).
//
// FitContext returns an error wrapping ErrConfig if the model or optimizer is nil (a nil pointer
// included), the epochs or batch size are below 1, ClipNorm is NaN or negative, Patience is
// negative, Patience or KeepBest is set without a Validation set, the task is invalid or the
// data set lacks the labels or targets it needs, the data set is empty or its slices do not
// match its Rows, Cols and Shape, or the validation set is empty, inconsistent or shaped
// otherwise than the training set; the loss's error if it fails on a batch (for example a label
// out of range), after the steps before it: the failing step leaves the parameters and the
// optimizer untouched; OnEpoch's error other than ErrStop; and the typed misuse (see
// autograd.Misuse) the schedule panicked with, for example a StepLR whose learning rate
// overflowed to +Inf, after the epoch that completed.
func FitContext(ctx context.Context, m layers.Module, opt optim.Optimizer, ds data.Dataset, cfg Config) ([]EpochStats, error) {
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
	if cfg.Patience < 0 {
		return nil, configError(op, "Patience %d; want ≥ 0 (0 never stops early)", cfg.Patience)
	}
	if (cfg.Patience > 0 || cfg.KeepBest) && cfg.Validation == nil {
		return nil, configError(op, "Patience %d and KeepBest %t need a Validation set", cfg.Patience, cfg.KeepBest)
	}
	if ds.Rows == 0 {
		return nil, configError(op, "empty data set")
	}
	if err := checkData(op, &ds); err != nil {
		return nil, err
	}
	task := cfg.Task
	if cfg.Loss == nil || cfg.Task != Auto || ds.Y != nil || ds.T != nil {
		var err error
		if task, err = cfg.Task.resolve(op, &ds); err != nil {
			return nil, err
		}
	}
	lossFn := cfg.Loss
	if lossFn == nil {
		lossFn = task.loss()
	}
	if cfg.Validation != nil {
		if err := checkValidation(op, &ds, cfg.Validation); err != nil {
			return nil, err
		}
	}
	params := layers.Params(m)
	dt := ag.Float64
	if len(params) > 0 {
		dt = params[0].DType()
	}
	batches := data.NewBatches(ds.Rows, cfg.BatchSize, rand.New(rand.NewPCG(cfg.Seed, 0)))
	bar := newBar(cfg.Progress, cfg.Epochs*batches.Len())
	// One step body for any number of workers: each worker has a tape and a batch of its own,
	// kept for the whole of Fit, so that a steady step allocates nothing.
	workers := max(1, cfg.Workers)
	states := make([]*shareState, min(workers, cfg.BatchSize))
	for w := range states {
		states[w] = shareStates.Get().(*shareState)
	}
	defer func() {
		for _, st := range states {
			shareStates.Put(st)
		}
	}()
	var part data.Dataset
	var outs []float64
	var outsOf *[]float64 // where the step puts the model's outputs, when the task has a metric
	if task != Auto {
		outsOf = &outs
	}
	start := time.Now()
	stats := make([]EpochStats, 0, cfg.Epochs)
	mt := meter{task: task}
	var best *snapshot
	bestLoss, sinceBest := math.Inf(1), 0
	layers.Train(m)
	defer layers.Eval(m)
	finish := func(err error) ([]EpochStats, error) {
		if best != nil {
			best.restore()
		}
		bar.finish(stats)
		return stats, err
	}
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		var sum float64
		mt.reset()
		lr := opt.LR()
		for _, idx := range batches.Epoch() {
			if err := ctx.Err(); err != nil {
				return finish(fmt.Errorf("%s: stopped in epoch %d: %w", op, epoch, err))
			}
			opt.ZeroGrad() // flags only: the gradients' buffers are reused by Backward
			l, err := parallelGrad(op, m, lossFn, &ds, idx, workers, params, dt, outsOf, states)
			if err != nil {
				return finish(err)
			}
			if cfg.ClipNorm > 0 {
				optim.ClipGradNorm(params, cfg.ClipNorm)
			}
			opt.Step()
			sum += l * float64(len(idx))
			if mt.task != Auto {
				labelsOf(&ds, &part, idx)
				mt.add(outs, len(idx), part.Y, part.T)
			}
			bar.add()
		}
		var schedErr error
		if cfg.Schedule != nil {
			schedErr = ag.Maybe(func() { cfg.Schedule.Step() })
		}
		s := EpochStats{
			Epoch:      epoch,
			Loss:       sum / float64(ds.Rows),
			MetricName: task.Metric(),
			Metric:     mt.value(),
			Accuracy:   math.NaN(),
			ValLoss:    math.NaN(),
			ValMetric:  math.NaN(),
			LR:         lr,
		}
		if s.MetricName == "accuracy" {
			s.Accuracy = s.Metric
		}
		stop := false
		if cfg.Validation != nil {
			var err error
			s.ValLoss, s.ValMetric, err = evaluate(m, lossFn, task, cfg.Validation, dt)
			layers.Train(m)
			if err != nil {
				return finish(fmt.Errorf("%s: the validation set after epoch %d: %w", op, epoch, err))
			}
			if s.ValLoss < bestLoss {
				bestLoss, sinceBest = s.ValLoss, 0
				if cfg.KeepBest {
					best = best.take(params)
				}
			} else {
				sinceBest++
				stop = cfg.Patience > 0 && sinceBest >= cfg.Patience
			}
		}
		elapsed := time.Since(start)
		s.Elapsed = elapsed
		s.Left = elapsed / time.Duration(epoch) * time.Duration(cfg.Epochs-epoch)
		stats = append(stats, s)
		bar.describe(s, cfg.Epochs)
		if cfg.OnEpoch != nil {
			if err := cfg.OnEpoch(s); errors.Is(err, ErrStop) {
				stop = true
			} else if err != nil {
				return finish(err)
			}
		}
		if schedErr != nil {
			return finish(fmt.Errorf("%s: the schedule after epoch %d: %w", op, epoch, schedErr))
		}
		if stop {
			break
		}
	}
	return finish(nil)
}

// labelsOf sets dst's labels and targets to those of the rows idx of ds, reusing dst's storage.
func labelsOf(ds, dst *data.Dataset, idx []int) {
	dst.Y, dst.T = dst.Y[:0], dst.T[:0]
	tc := ds.Targets()
	for _, i := range idx {
		if ds.Y != nil {
			dst.Y = append(dst.Y, ds.Y[i])
		}
		if ds.T != nil {
			dst.T = append(dst.T, ds.T[i*tc:(i+1)*tc]...)
		}
	}
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
	return ag.Errorf(op, ErrConfig, format, args...)
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
