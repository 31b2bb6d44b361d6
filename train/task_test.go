package train_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// rounding compares metrics computed two ways from the same float64 sums: they differ by the
// rounding of a few hundred additions at most.
var rounding = cmpopts.EquateApprox(1e-9, 1e-12)

// twoTargets returns blobs with two targets per row, 2x − y + 1 and x + y.
func twoTargets() data.Dataset {
	d := blobs()
	d.T, d.TargetCols = nil, 2
	for i := range d.Rows {
		x, y := d.X[2*i], d.X[2*i+1]
		d.T = append(d.T, 2*x-y+1, x+y)
	}
	return d
}

// outputs returns m's outputs on ds in evaluation mode, row-major.
func outputs(m layers.Module, ds data.Dataset) []float64 {
	layers.Eval(m)
	tp := ag.NewTape()
	return m.Forward(tp.Const(ds.X, ds.Rows, ds.Cols)).Float64s()
}

func TestFitTasks(t *testing.T) {
	cases := []struct {
		name     string
		ds       data.Dataset
		out      int // the model's output columns
		head     layers.Head
		task     train.Task
		workers  int
		metric   string
		maxLoss  float64
		minAccur float64 // wanted final training accuracy, for a classification
	}{
		{"binary auto (sigmoid head)", blobs(), 1, layers.SigmoidHead, train.Auto, 1, "accuracy", 0.2, 1},
		{"binary", blobs(), 1, layers.SigmoidHead, train.Binary, 1, "accuracy", 0.2, 1},
		{"binary 2 workers", blobs(), 1, layers.SigmoidHead, train.Binary, 2, "accuracy", 0.2, 1},
		{"softmax", blobs(), 2, layers.SoftmaxHead, train.Classification, 1, "accuracy", 0.1, 1},
		{"regression auto", withoutLabels(blobs()), 1, layers.LinearHead, train.Auto, 1, "rmse", 1e-2, 0},
		{"regression mae", blobs(), 1, layers.LinearHead, train.RegressionMAE, 1, "mae", 0.25, 0},
		{"regression 2 workers", blobs(), 1, layers.LinearHead, train.Regression, 2, "rmse", 1e-2, 0},
		{"two targets", twoTargets(), 2, layers.LinearHead, train.Regression, 1, "rmse", 1e-2, 0},
		{"two targets 2 workers", twoTargets(), 2, layers.LinearHead, train.Regression, 2, "rmse", 1e-2, 0},
	}
	for _, c := range cases {
		m := layers.NewMLP([]int{2, 8, c.out}, layers.Tanh{}, c.head, layers.WithSeed(2))
		opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		val := c.ds
		stats, err := train.Fit(m, opt, c.ds, train.Config{Epochs: 150, BatchSize: 8, Seed: 1, Task: c.task, Workers: c.workers, Validation: &val})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		last := stats[len(stats)-1]
		if last.MetricName != c.metric {
			t.Errorf("%s: got metric %q, want %q", c.name, last.MetricName, c.metric)
		}
		if last.Loss > c.maxLoss || last.ValLoss > c.maxLoss {
			t.Errorf("%s: got final loss %g and validation loss %g, want both ≤ %g", c.name, last.Loss, last.ValLoss, c.maxLoss)
		}
		// The training metric, accumulated over the epoch, follows from the mean training loss
		// for MSE (RMSE = √MSE) and MAE; accuracy must reach the minimum.
		switch c.metric {
		case "rmse":
			if !cmp.Equal(last.Metric, math.Sqrt(last.Loss), rounding) {
				t.Errorf("%s: got training rmse %g, want √loss = %g", c.name, last.Metric, math.Sqrt(last.Loss))
			}
		case "mae":
			if !cmp.Equal(last.Metric, last.Loss, rounding) {
				t.Errorf("%s: got training mae %g, want the loss %g", c.name, last.Metric, last.Loss)
			}
		case "accuracy":
			if last.Metric < c.minAccur || last.Accuracy != last.Metric {
				t.Errorf("%s: got training accuracy %g (Accuracy %g), want ≥ %g in both", c.name, last.Metric, last.Accuracy, c.minAccur)
			}
		}
		// The validation metric, from the final model, computed independently.
		out := outputs(m, val)
		var want float64
		switch c.metric {
		case "accuracy":
			if want, err = train.Accuracy(m, val); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		case "rmse", "mae":
			for i, o := range out {
				d := o - val.T[i]
				if c.metric == "rmse" {
					want += d * d
				} else {
					want += math.Abs(d)
				}
			}
			want /= float64(len(out))
			if c.metric == "rmse" {
				want = math.Sqrt(want)
			}
		}
		if !cmp.Equal(last.ValMetric, want, rounding) {
			t.Errorf("%s: got validation %s %g, want %g computed from the model's outputs", c.name, c.metric, last.ValMetric, want)
		}
	}
}

func withoutLabels(d data.Dataset) data.Dataset {
	d.Y = nil
	return d
}

func TestFitBinaryLabelOutOfRange(t *testing.T) {
	ds := blobs()
	ds.Y = append([]int(nil), ds.Y...)
	ds.Y[3] = 2
	m := layers.NewMLP([]int{2, 1}, layers.Tanh{}, layers.SigmoidHead)
	opt, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	if _, err := train.Fit(m, opt, ds, train.Config{Epochs: 1, BatchSize: 40}); !errors.Is(err, losses.ErrLabel) {
		t.Errorf("a label 2 for a sigmoid head: got %v, want an error wrapping losses.ErrLabel", err)
	}
}

// flipped returns ds with every label flipped: a validation set whose loss grows as the model
// learns ds.
func flipped(ds data.Dataset) data.Dataset {
	f := ds
	f.Y = make([]int, len(ds.Y))
	for i, y := range ds.Y {
		f.Y[i] = 1 - y
	}
	return f
}

func TestFitEarlyStopping(t *testing.T) {
	ds := blobs()
	for _, patience := range []int{1, 3} {
		for _, keep := range []bool{false, true} {
			m := layers.NewMLP([]int{2, 8, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(1))
			opt, _ := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
			val := flipped(ds)
			stats, err := train.Fit(m, opt, ds, train.Config{Epochs: 100, BatchSize: 8, Seed: 1, Validation: &val, Patience: patience, KeepBest: keep})
			if err != nil {
				t.Fatalf("patience %d: %v", patience, err)
			}
			// The rule, checked on the reported losses: training ends at the first epoch that
			// comes patience epochs after the best so far.
			best, bestEpoch := math.Inf(1), 0
			wantEpochs := 100
			for _, s := range stats {
				if s.ValLoss < best {
					best, bestEpoch = s.ValLoss, s.Epoch
				}
				if s.Epoch-bestEpoch >= patience {
					wantEpochs = s.Epoch
					break
				}
			}
			if len(stats) != wantEpochs || wantEpochs == 100 {
				t.Errorf("patience %d: got %d epochs, want %d (< 100)", patience, len(stats), wantEpochs)
			}
			layers.Eval(m)
			tp := ag.NewTape()
			l, err := losses.CrossEntropy(m.Forward(tp.Const(val.X, val.Rows, val.Cols)), val.Y)
			if err != nil {
				t.Fatal(err)
			}
			want := stats[len(stats)-1].ValLoss
			if keep {
				want = best
			}
			// The same model on the same rows in one chunk, so the same rounding.
			if !cmp.Equal(l.Item(), want, rounding) {
				t.Errorf("patience %d, KeepBest %t: got validation loss %g after Fit, want %g", patience, keep, l.Item(), want)
			}
		}
	}
}

func TestFitOnEpochStops(t *testing.T) {
	ds := blobs()
	boom := errors.New("boom")
	cases := []struct {
		name    string
		ret     error
		want    error
		epochs  int
		context bool // cancel the context instead of returning ret
	}{
		{"ErrStop", train.ErrStop, nil, 3, false},
		{"wrapped ErrStop", errors.Join(train.ErrStop, errors.New("enough")), nil, 3, false},
		{"other error", boom, boom, 3, false},
		{"cancelled context", nil, context.Canceled, 3, true},
	}
	for _, c := range cases {
		m := layers.NewMLP([]int{2, 2}, layers.Tanh{}, layers.SoftmaxHead)
		opt, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
		ctx, cancel := context.WithCancel(context.Background())
		var bar bytes.Buffer
		stats, err := train.FitContext(ctx, m, opt, ds, train.Config{Epochs: 10, BatchSize: 8, Progress: &bar, OnEpoch: func(s train.EpochStats) error {
			if s.Epoch == 3 {
				if c.context {
					cancel()
					return nil
				}
				return c.ret
			}
			return nil
		}})
		cancel()
		if (c.want == nil && err != nil) || !errors.Is(err, c.want) {
			t.Errorf("%s: got error %v, want %v", c.name, err, c.want)
		}
		if len(stats) != c.epochs {
			t.Errorf("%s: got %d epochs, want %d", c.name, len(stats), c.epochs)
		}
		// The bar is cleared and the last epoch's line ends the output, with a newline.
		if out, want := bar.String(), stats[len(stats)-1].String()+"\n"; !strings.HasSuffix(out, want) {
			t.Errorf("%s: the progress output ends with %q, want %q", c.name, tail(out), want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := layers.NewMLP([]int{2, 2}, layers.Tanh{}, layers.SoftmaxHead)
	opt, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	before := append([]float64(nil), layers.Params(m)[0].Data64()...)
	stats, err := train.FitContext(ctx, m, opt, ds, train.Config{Epochs: 10, BatchSize: 8})
	if !errors.Is(err, context.Canceled) || len(stats) != 0 {
		t.Errorf("a context cancelled before Fit: got %d epochs and error %v, want 0 and context.Canceled", len(stats), err)
	}
	if diff := cmp.Diff(before, layers.Params(m)[0].Data64()); diff != "" {
		t.Errorf("a context cancelled before Fit changed the parameters (-before +after):\n%s", diff)
	}
}

func TestFitConfigErrors(t *testing.T) {
	ds := blobs()
	wide := ds
	wide.Cols, wide.X = 4, append(append([]float64(nil), ds.X...), ds.X...)
	shaped := ds
	shaped.Shape = []int{1, 2}
	unlabelled := withoutLabels(ds)
	noTargets := ds
	noTargets.T = nil
	two := twoTargets()
	cases := []struct {
		name string
		ds   data.Dataset
		cfg  train.Config
	}{
		{"negative patience", ds, train.Config{Validation: &ds, Patience: -1}},
		{"patience without validation", ds, train.Config{Patience: 2}},
		{"KeepBest without validation", ds, train.Config{KeepBest: true}},
		{"validation of other columns", ds, train.Config{Validation: &wide}},
		{"validation of another shape", ds, train.Config{Validation: &shaped}},
		{"validation without labels", ds, train.Config{Validation: &unlabelled}},
		{"validation without targets", ds, train.Config{Validation: &noTargets}},
		{"validation of other targets per row", ds, train.Config{Validation: &two}},
		{"empty validation", ds, train.Config{Validation: &data.Dataset{Cols: 2}}},
		{"invalid task", ds, train.Config{Task: train.Task(99)}},
		{"negative task", ds, train.Config{Task: train.Task(-1)}},
		{"binary without labels", unlabelled, train.Config{Task: train.Binary}},
		{"regression without targets", noTargets, train.Config{Task: train.Regression}},
		{"neither labels nor targets", withoutLabels(noTargets), train.Config{}},
	}
	for _, c := range cases {
		m := layers.NewMLP([]int{2, 2}, layers.Tanh{}, layers.SoftmaxHead)
		opt, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
		c.cfg.Epochs, c.cfg.BatchSize = 1, 8
		if _, err := train.Fit(m, opt, c.ds, c.cfg); !errors.Is(err, train.ErrConfig) {
			t.Errorf("%s: got error %v, want one wrapping ErrConfig", c.name, err)
		}
	}
}
