package train

import (
	"fmt"
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// Task says what a model learns, and so which loss Fit minimises by default and which metric it
// reports, as scikit-learn's estimators report accuracy for a classifier and an error for a
// regressor.
type Task int

const (
	// Auto is Classification when the training set has labels (Dataset.Y) and Regression when it
	// has only targets (Dataset.T).
	Auto Task = iota
	// Classification learns labels 0, 1, ... from logits: CrossEntropy on an output of shape
	// (batch, classes), or BCEWithLogits on one of shape (batch, 1), as torch's
	// BCEWithLogitsLoss for a single logit; its metric is the accuracy, of the largest logit or
	// of a single logit above 0.
	Classification
	// Binary learns labels 0 and 1 from one logit per example (a layers.SigmoidHead):
	// BCEWithLogits, with the accuracy of a logit above 0 as its metric.
	Binary
	// Regression learns the targets T: MSE, with the root mean squared error as its metric.
	Regression
	// RegressionMAE learns the targets T: MAE, with the mean absolute error as its metric.
	RegressionMAE
	numTasks
)

// String returns the task's name.
func (t Task) String() string {
	switch t {
	case Auto:
		return "auto"
	case Classification:
		return "classification"
	case Binary:
		return "binary"
	case Regression:
		return "regression"
	case RegressionMAE:
		return "regression-mae"
	}
	return fmt.Sprintf("Task(%d)", int(t))
}

// Metric returns the name of the task's metric: "accuracy", "rmse" or "mae", or "" for Auto
// and an invalid task.
func (t Task) Metric() string {
	switch t {
	case Classification, Binary:
		return "accuracy"
	case Regression:
		return "rmse"
	case RegressionMAE:
		return "mae"
	}
	return ""
}

// loss returns the task's default loss.
func (t Task) loss() LossFunc {
	switch t {
	case Classification:
		return Classify
	case Binary:
		return BCEWithLogits
	case Regression:
		return MSE
	case RegressionMAE:
		return MAE
	}
	return nil
}

// resolve returns t, or for Auto the task that ds's labels or targets call for, or an error
// wrapping ErrConfig if t is invalid or ds lacks what t needs.
func (t Task) resolve(op string, ds *data.Dataset) (Task, error) {
	if t < Auto || t >= numTasks {
		return t, configError(op, "task %v; want one of Auto, Classification, Binary, Regression, RegressionMAE", t)
	}
	if t == Auto {
		switch {
		case ds.Y != nil:
			t = Classification
		case ds.T != nil:
			t = Regression
		default:
			return t, configError(op, "the data set has neither labels (Dataset.Y) nor targets (Dataset.T): set Config.Loss and Config.Task, or give it labels or targets")
		}
	}
	if t.Metric() == "accuracy" && ds.Y == nil {
		return t, configError(op, "task %v needs labels (Dataset.Y)", t)
	}
	if (t == Regression || t == RegressionMAE) && ds.T == nil {
		return t, configError(op, "task %v needs targets (Dataset.T)", t)
	}
	return t, nil
}

// Classify is the loss of Classification: CrossEntropy for an output of shape (batch, classes)
// with classes ≥ 2, and BCEWithLogits for an output of one column.
func Classify(out ag.Var, b *data.Dataset) (ag.Var, error) {
	if outCols(out) == 1 {
		return BCEWithLogits(out, b)
	}
	return CrossEntropy(out, b)
}

// BCEWithLogits is losses.BCEWithLogits of an output of shape (batch, 1), one logit per example,
// and the batch's labels Y, which must be 0 or 1. It returns an error wrapping losses.ErrLabel if
// a label is neither, and one wrapping ErrConfig if the batch has no labels or the output has
// another shape.
func BCEWithLogits(out ag.Var, b *data.Dataset) (ag.Var, error) {
	const op = "train.BCEWithLogits"
	if len(b.Y) != b.Rows {
		return ag.Var{}, configError(op, "the batch has %d rows and %d labels (Dataset.Y); want one label per row", b.Rows, len(b.Y))
	}
	if s := out.Shape(); len(s) != 2 || s[0] != b.Rows || s[1] != 1 {
		return ag.Var{}, configError(op, "output of shape %s for a batch of %d; want (%d, 1), one logit per example", ag.FormatShape(s), b.Rows, b.Rows)
	}
	t := make([]float64, b.Rows)
	for i, y := range b.Y {
		if y != 0 && y != 1 {
			return ag.Var{}, ag.Errorf(op, losses.ErrLabel, "label %d at row %d; want 0 or 1", y, i)
		}
		t[i] = float64(y)
	}
	return losses.BCEWithLogits(out, ops.Cast(ops.TapeOf(out).Const(t, b.Rows, 1), out.DType()))
}

// targets returns the batch's targets as a constant of out's dtype and shape (batch,
// TargetCols), or an error wrapping ErrConfig naming op if the batch has none.
func targets(op string, out ag.Var, b *data.Dataset) (ag.Var, error) {
	tc := b.Targets()
	if b.T == nil || len(b.T) != b.Rows*tc {
		return ag.Var{}, configError(op, "the batch has %d rows and %d targets (Dataset.T); want %d per row", b.Rows, len(b.T), tc)
	}
	return ops.Cast(ops.TapeOf(out).Const(b.T, b.Rows, tc), out.DType()), nil
}

// MSE is losses.MSE of an output of shape (batch, TargetCols) and the batch's targets T. It
// returns an error wrapping ErrConfig if the batch has no targets, and losses.MSE's error if the
// shapes differ.
func MSE(out ag.Var, b *data.Dataset) (ag.Var, error) {
	t, err := targets("train.MSE", out, b)
	if err != nil {
		return ag.Var{}, err
	}
	return losses.MSE(out, t)
}

// MAE is losses.MAE of an output of shape (batch, TargetCols) and the batch's targets T; it
// returns the errors MSE does.
func MAE(out ag.Var, b *data.Dataset) (ag.Var, error) {
	t, err := targets("train.MAE", out, b)
	if err != nil {
		return ag.Var{}, err
	}
	return losses.MAE(out, t)
}

// outCols returns the number of columns of a model's output: its last dimension, or 1 for a
// vector.
func outCols(out ag.Var) int {
	s := out.Shape()
	if len(s) < 2 {
		return 1
	}
	return s[len(s)-1]
}

// meter accumulates a task's metric over the batches of an epoch.
type meter struct {
	task  Task
	right int     // examples classified right
	sum   float64 // of squared or absolute errors
	n     int     // examples, or target values for a regression
	pred  []int   // reused from batch to batch
}

// add accumulates the outputs out, row-major with rows rows, of a batch with labels y or
// targets t.
func (m *meter) add(out []float64, rows int, y []int, t []float64) {
	switch m.task {
	case Classification, Binary:
		cols := 1
		if rows > 0 {
			cols = len(out) / rows
		}
		if cols > 1 {
			m.pred = data.Argmax(m.pred[:0], out, cols)
		} else {
			m.pred = m.pred[:0]
			for _, v := range out {
				c := 0
				if v > 0 {
					c = 1
				}
				m.pred = append(m.pred, c)
			}
		}
		for i, p := range m.pred {
			if i < len(y) && p == y[i] {
				m.right++
			}
		}
		m.n += rows
	case Regression, RegressionMAE:
		for i := range min(len(out), len(t)) {
			d := out[i] - t[i]
			if m.task == Regression {
				m.sum += d * d
			} else {
				m.sum += math.Abs(d)
			}
		}
		m.n += min(len(out), len(t))
	}
}

// value returns the metric over what add accumulated, or NaN before any example.
func (m *meter) value() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	switch m.task {
	case Classification, Binary:
		return float64(m.right) / float64(m.n)
	case Regression:
		return math.Sqrt(m.sum / float64(m.n))
	case RegressionMAE:
		return m.sum / float64(m.n)
	}
	return math.NaN()
}

// reset clears the accumulated metric.
func (m *meter) reset() { m.right, m.sum, m.n = 0, 0, 0 }
