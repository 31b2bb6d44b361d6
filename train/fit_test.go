package train_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// blobs returns two separable classes of 2-D points: label 1 where x + y > 0.
func blobs() data.Dataset {
	d := data.Dataset{Cols: 2}
	for i := range 40 {
		x, y := float64(i%8)-3.5, float64(i/8)-2
		d.X = append(d.X, x, y)
		l := 0
		if x+y > 0 {
			l = 1
		}
		d.Y = append(d.Y, l)
		d.T = append(d.T, 2*x-y+1)
		d.Rows++
	}
	return d
}

func TestFit(t *testing.T) {
	ds := blobs()
	cases := []struct {
		name    string
		sizes   []int
		head    layers.Head
		dt      ag.DType
		loss    train.LossFunc
		minAcc  float64 // training accuracy wanted at the end; NaN for regression
		maxLoss float64
	}{
		{"softmax", []int{2, 8, 2}, layers.SoftmaxHead, ag.Float64, nil, 1, 0.1},
		{"softmax float32", []int{2, 8, 2}, layers.SoftmaxHead, ag.Float32, nil, 1, 0.1},
		{"sigmoid", []int{2, 1}, layers.SigmoidHead, ag.Float64, func(out ag.Var, b *data.Dataset) (ag.Var, error) {
			t := make([]float64, b.Rows)
			for i, y := range b.Y {
				t[i] = float64(y)
			}
			return losses.BCEWithLogits(out, tapeOf(out).Const(t, b.Rows, 1))
		}, 1, 0.2},
		{"regression", []int{2, 1}, layers.LinearHead, ag.Float64, train.MSE, math.NaN(), 1e-3},
	}
	for _, c := range cases {
		m := layers.NewMLP(c.sizes, layers.Tanh{}, c.head, layers.WithDType(c.dt))
		opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		sched, err := optim.NewStepLR(opt, 50, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		var bar bytes.Buffer
		epochs := 0
		stats, err := train.Fit(m, opt, ds, train.Config{
			Epochs: 100, BatchSize: 8, Seed: 3, Loss: c.loss, Schedule: sched, ClipNorm: 10,
			Progress: &bar, OnEpoch: func(s train.EpochStats) error { epochs++; return nil },
		})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		last := stats[len(stats)-1]
		if len(stats) != 100 || epochs != 100 || last.Epoch != 100 {
			t.Errorf("%s: got %d stats and %d callbacks ending at epoch %d, want 100", c.name, len(stats), epochs, last.Epoch)
		}
		if last.Loss > c.maxLoss {
			t.Errorf("%s: got final loss %g, want ≤ %g", c.name, last.Loss, c.maxLoss)
		}
		if !math.IsNaN(c.minAcc) && last.Accuracy < c.minAcc {
			t.Errorf("%s: got training accuracy %g, want ≥ %g", c.name, last.Accuracy, c.minAcc)
		}
		if got, want := last.LR, 0.025; got != want {
			t.Errorf("%s: got lr %g in the last epoch, want %g (halved after 50 epochs)", c.name, got, want)
		}
		if out := bar.String(); !strings.HasSuffix(out, "\n") || !strings.Contains(out[strings.LastIndex(out[:len(out)-1], "\n")+1:], "epoch 100: loss") {
			t.Errorf("%s: the progress output does not end with the last epoch on a line of its own: %q", c.name, tail(bar.String()))
		}
	}
}

func tail(s string) string { return s[max(0, len(s)-200):] }

func tapeOf(v ag.Var) *ag.Tape { return v.Tape() }

func TestFitErrors(t *testing.T) {
	ds := blobs()
	m := layers.NewMLP([]int{2, 2}, layers.ReLU{}, layers.SoftmaxHead)
	opt, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	bad := ds
	bad.Y = append([]int(nil), ds.Y...)
	bad.Y[5] = 7
	noLabels := ds
	noLabels.Y, noLabels.T = nil, nil
	cases := []struct {
		name string
		ds   data.Dataset
		cfg  train.Config
		want error
	}{
		{"no epochs", ds, train.Config{BatchSize: 4}, train.ErrConfig},
		{"no batch size", ds, train.Config{Epochs: 1}, train.ErrConfig},
		{"empty", data.Dataset{Cols: 2}, train.Config{Epochs: 1, BatchSize: 4}, train.ErrConfig},
		{"no labels", noLabels, train.Config{Epochs: 1, BatchSize: 4}, train.ErrConfig},
		{"label out of range", bad, train.Config{Epochs: 1, BatchSize: 40}, losses.ErrLabel},
	}
	for _, c := range cases {
		if _, err := train.Fit(m, opt, c.ds, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%s: got error %v, want one wrapping %v", c.name, err, c.want)
		}
	}
	if _, err := train.Accuracy(m, noLabels); !errors.Is(err, train.ErrConfig) {
		t.Errorf("Accuracy without labels: got %v, want an error wrapping ErrConfig", err)
	}
}
