package train_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// flattening is a model that records the shapes of its inputs, flattens
// every example to a row and passes it to an MLP.
type flattening struct {
	mlp    *layers.MLP
	mu     sync.Mutex
	shapes [][]int
}

func (f *flattening) Forward(x ag.Var) ag.Var {
	f.mu.Lock()
	f.shapes = append(f.shapes, slices.Clone(x.Shape()))
	f.mu.Unlock()
	return f.mlp.Forward(ops.Reshape(x, x.Shape()[0], -1))
}

func (f *flattening) NamedParams() []layers.Param { return f.mlp.NamedParams() }

// imageBlobs returns n examples of shape (2, 1, 3) in two classes: label
// 1 where the sum of the first channel exceeds that of the second.
func imageBlobs(n int) data.Dataset {
	d := data.Dataset{Rows: n, Cols: 6, Shape: []int{2, 1, 3}}
	for i := range n {
		var sum [2]float64
		for j := range 6 {
			v := float64((i*7+j*5)%11) / 11
			d.X = append(d.X, v)
			sum[j/3] += v
		}
		l := 0
		if sum[0] > sum[1] {
			l = 1
		}
		d.Y = append(d.Y, l)
	}
	return d
}

// TestFitImages checks that Fit feeds a model batches of shape
// (b, Shape...) and that the result is that of the same data as a flat
// table, with one and two workers.
func TestFitImages(t *testing.T) {
	for _, workers := range []int{1, 2} {
		run := func(ds data.Dataset) ([]train.EpochStats, *flattening) {
			m := &flattening{mlp: layers.NewMLP([]int{6, 8, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(3))}
			opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
			if err != nil {
				t.Fatal(err)
			}
			stats, err := train.Fit(m, opt, ds, train.Config{Epochs: 3, BatchSize: 16, Seed: 5, Workers: workers})
			if err != nil {
				t.Fatalf("workers %d: Fit of %d examples of shape %v: %v", workers, ds.Rows, ds.Shape, err)
			}
			return stats, m
		}
		img := imageBlobs(40)
		flat := img
		flat.Shape = nil
		gotStats, m := run(img)
		wantStats, _ := run(flat)
		for i := range wantStats { // Elapsed and Left differ from run to run
			if gotStats[i].Loss != wantStats[i].Loss || gotStats[i].Accuracy != wantStats[i].Accuracy {
				t.Errorf("workers %d, epoch %d: images give loss %v accuracy %v, the flat table %v %v; want the same",
					workers, i+1, gotStats[i].Loss, gotStats[i].Accuracy, wantStats[i].Loss, wantStats[i].Accuracy)
			}
		}
		if len(m.shapes) == 0 {
			t.Errorf("workers %d: the model was never called", workers)
		}
		for _, s := range m.shapes {
			if len(s) != 4 || s[1] != 2 || s[2] != 1 || s[3] != 3 || s[0] < 1 || s[0] > 16 {
				t.Errorf("workers %d: the model got a batch of shape %v; want (b, 2, 1, 3) with 1 ≤ b ≤ 16", workers, s)
				break
			}
		}
	}
}

// TestAccuracyImages checks Accuracy on more examples than it evaluates
// at a time against the accuracy of one forward pass over all of them.
func TestAccuracyImages(t *testing.T) {
	ds := imageBlobs(1234)
	m := &flattening{mlp: layers.NewMLP([]int{6, 8, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(4))}
	got, err := train.Accuracy(m, ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.shapes {
		if len(s) != 4 || s[0] > 500 || s[1] != 2 {
			t.Errorf("Accuracy fed the model a batch of shape %v; want (k ≤ 500, 2, 1, 3)", s)
		}
	}
	tape := ag.NewTape()
	out := m.Forward(tape.Const(ds.X, ds.Rows, 2, 1, 3))
	pred := data.Argmax(nil, out.Float64s(), 2)
	want, err := data.Accuracy(pred, ds.Y)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Accuracy of 1234 images in chunks: got %v, want %v from one pass", got, want)
	}
}

// TestFitBadShape checks that a data set whose shape does not fit its
// data is a configuration error naming the sizes.
func TestFitBadShape(t *testing.T) {
	m := layers.NewMLP([]int{6, 2}, nil, layers.SoftmaxHead, layers.WithSeed(1))
	opt, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	bad := imageBlobs(4)
	bad.Shape = []int{1, 28, 28}
	_, err = train.Fit(m, opt, bad, train.Config{Epochs: 1, BatchSize: 2})
	want := "train.Fit: example shape [1 28 28] has 784 elements but the data set has 6 columns"
	if err == nil || err.Error() != want || !errors.Is(err, train.ErrConfig) {
		t.Errorf("Fit with a wrong shape: got %v, want %q wrapping ErrConfig", err, want)
	}
	_, err = train.Accuracy(m, bad)
	want = "train.Accuracy: example shape [1 28 28] has 784 elements but the data set has 6 columns"
	if err == nil || err.Error() != want || !errors.Is(err, train.ErrConfig) {
		t.Errorf("Accuracy with a wrong shape: got %v, want %q wrapping ErrConfig", err, want)
	}
}
