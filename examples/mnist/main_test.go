package main

import (
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
)

// TestMLP trains the MLP on the first 10,000 training images for two epochs and checks the test
// accuracy on all 10,000 test images. When written, this run reached 0.9391 (f32) and 0.9389
// (f64), under a second an epoch; 0.92 leaves room for other machines' rounding while still
// failing a broken pipeline (chance is 0.10).
func TestMLP(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: trains on MNIST")
	}
	// Load MNIST once for both dtypes; run standardizes its data sets in place, so it gets
	// copies.
	train, test, err := datasets.MNIST("")
	if errors.Is(err, datasets.ErrMNISTUnavailable) {
		t.Skipf("skipping: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func(f func(string) (data.Dataset, data.Dataset, error)) { loadMNIST = f }(loadMNIST)
	loadMNIST = func(string) (data.Dataset, data.Dataset, error) {
		clone := func(d data.Dataset) data.Dataset {
			d.X, d.Y = slices.Clone(d.X), slices.Clone(d.Y)
			return d
		}
		return clone(train), clone(test), nil
	}
	for _, dtype := range []string{"f32", "f64"} {
		res, err := run(options{model: "mlp", epochs: 2, batch: 64, dtype: dtype, seed: 1, limit: 10000, progress: io.Discard}, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", dtype, err)
		}
		if len(res) != 2 {
			t.Fatalf("%s: %d epochs reported, want 2", dtype, len(res))
		}
		if acc := res[1].TestAccuracy; acc < 0.92 {
			t.Errorf("%s: test accuracy after 2 epochs on 10,000 images: got %.4f, want ≥ 0.92", dtype, acc)
		}
		if !(res[1].Loss < res[0].Loss) {
			t.Errorf("%s: training loss %v then %v; want it to decrease", dtype, res[0].Loss, res[1].Loss)
		}
		t.Logf("%s: test accuracy %.4f, %.1f s an epoch", dtype, res[1].TestAccuracy, res[1].Seconds)
	}
}

// TestUsageErrors checks that bad flags and the missing CNN are clear errors, before any data
// is loaded.
func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		kind error
	}{
		{[]string{"-epochs", "0"}, "mnist: bad flag: -epochs 0, -batch 0, -train 0, -lr 0; want epochs ≥ 1, batch, train and lr ≥ 0", errUsage},
		{[]string{"extra"}, `mnist: bad flag: unexpected arguments ["extra"]`, errUsage},
		{[]string{"-dtype", "f16"}, `mnist: bad flag: -dtype "f16"; want f32 or f64`, errUsage},
		{[]string{"-model", "rnn"}, `mnist: bad flag: -model "rnn"; want cnn or mlp`, errUsage},
		{[]string{"-model", "cnn"}, errNoConv.Error(), errNoConv},
		{nil, errNoConv.Error(), errNoConv}, // cnn is the default
	} {
		o, err := parse(c.args, io.Discard)
		if err == nil {
			o.dir = t.TempDir() // would fail differently if data were loaded
			_, err = run(o, io.Discard)
		}
		if err == nil || err.Error() != c.want || !errors.Is(err, c.kind) {
			t.Errorf("%q: got %v, want %q", c.args, err, c.want)
		}
	}
}
