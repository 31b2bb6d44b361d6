package train_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// parBlobs returns rows examples of 4 features in 3 classes, with targets for regression.
func parBlobs(rows int) data.Dataset {
	rng := rand.New(rand.NewPCG(3, 4))
	d := data.Dataset{Rows: rows, Cols: 4}
	for i := 0; i < rows; i++ {
		c := i % 3
		for j := 0; j < 4; j++ {
			d.X = append(d.X, float64(c)-1+rng.NormFloat64()*0.5+float64(j)*0.1)
		}
		d.Y = append(d.Y, c)
		d.T = append(d.T, float64(c)*0.5+rng.NormFloat64()*0.1)
	}
	return d
}

// stepFn computes the gradient of the mean loss over batch into the parameters' gradients.
type stepFn func(m layers.Module, ds data.Dataset, batch []int) (float64, error)

// serial is the reference: one tape, one Backward over the whole batch.
func serial(loss train.LossFunc) stepFn {
	return func(m layers.Module, ds data.Dataset, batch []int) (float64, error) {
		var b data.Dataset
		ds.Gather(&b, batch)
		tp := ag.NewTape()
		l, err := loss(m.Forward(tp.Const(b.X, b.Rows, b.Cols)), &b)
		if err != nil {
			return 0, err
		}
		return l.Item(), ag.Backward(l)
	}
}

func parallel(loss train.LossFunc, workers int) stepFn {
	return func(m layers.Module, ds data.Dataset, batch []int) (float64, error) {
		return train.ParallelGrad(m, loss, ds, batch, workers)
	}
}

// trainSteps trains a fresh MLP for steps minibatch steps of SGD with momentum and returns its
// parameters and the losses.
func trainSteps(t *testing.T, ds data.Dataset, head layers.Head, out int, loss train.LossFunc, step stepFn, steps int) ([][]float64, []float64) {
	t.Helper()
	m := layers.NewMLP([]int{4, 8, out}, layers.Tanh{}, head, layers.WithSeed(5))
	opt, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1, Momentum: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	batches := data.NewBatches(ds.Rows, 23, rand.New(rand.NewPCG(1, 2)))
	var ls []float64
	for len(ls) < steps {
		for _, idx := range batches.Epoch() {
			if len(ls) == steps {
				break
			}
			opt.ZeroGrad()
			l, err := step(m, ds, idx)
			if err != nil {
				t.Fatal(err)
			}
			opt.Step()
			ls = append(ls, l)
		}
	}
	var ps [][]float64
	for _, p := range layers.Params(m) {
		ps = append(ps, p.Float64s())
	}
	return ps, ls
}

func maxDiff(a, b [][]float64) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return d
}

// TestParallelGradMatchesSerial trains with 1, 2, 3 and 7 workers and with a plain Backward, and
// checks the parameters agree to 1e-12 after 12 steps (only the order of summation differs).
func TestParallelGradMatchesSerial(t *testing.T) {
	ds := parBlobs(60) // batches of 23, 23 and 14 rows: shares of unequal size
	for _, c := range []struct {
		name string
		head layers.Head
		out  int
		loss train.LossFunc
	}{
		{"CrossEntropy", layers.SoftmaxHead, 3, train.CrossEntropy},
		{"MSE", layers.LinearHead, 1, train.MSE},
	} {
		want, wantLoss := trainSteps(t, ds, c.head, c.out, c.loss, serial(c.loss), 12)
		for _, workers := range []int{1, 2, 3, 7} {
			got, gotLoss := trainSteps(t, ds, c.head, c.out, c.loss, parallel(c.loss, workers), 12)
			if d := maxDiff(want, got); d > 1e-12 {
				t.Errorf("%s, %d workers: parameters differ from the serial run by %g", c.name, workers, d)
			}
			for i := range wantLoss {
				if math.Abs(wantLoss[i]-gotLoss[i]) > 1e-12 {
					t.Errorf("%s, %d workers: step %d loss %v, serial %v", c.name, workers, i, gotLoss[i], wantLoss[i])
				}
			}
			if gotLoss[0] == gotLoss[len(gotLoss)-1] {
				t.Errorf("%s, %d workers: the loss did not change", c.name, workers)
			}
		}
	}
}

// TestParallelGradIsDeterministic checks that two runs with the same worker count give
// bit-identical parameters.
func TestParallelGradIsDeterministic(t *testing.T) {
	ds := parBlobs(60)
	for _, workers := range []int{2, 4} {
		a, _ := trainSteps(t, ds, layers.SoftmaxHead, 3, train.CrossEntropy, parallel(train.CrossEntropy, workers), 8)
		for rep := 0; rep < 3; rep++ {
			b, _ := trainSteps(t, ds, layers.SoftmaxHead, 3, train.CrossEntropy, parallel(train.CrossEntropy, workers), 8)
			for i := range a {
				for j := range a[i] {
					if math.Float64bits(a[i][j]) != math.Float64bits(b[i][j]) {
						t.Fatalf("%d workers, run %d: parameter %d[%d] = %v, first run %v", workers, rep+2, i, j, b[i][j], a[i][j])
					}
				}
			}
		}
	}
}

// TestParallelGradFloat32 checks a float32 model against its serial run to float32 rounding.
func TestParallelGradFloat32(t *testing.T) {
	ds := parBlobs(30)
	mk := func() *layers.MLP {
		return layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(5), layers.WithDType(ag.Float32))
	}
	batch := []int{0, 3, 5, 7, 11, 13, 17, 19, 23, 29}
	ms, mp := mk(), mk()
	var b data.Dataset
	ds.Gather(&b, batch)
	tp := ag.NewTape()
	l, err := train.CrossEntropy(ms.Forward(ops.Cast(tp.Const(b.X, b.Rows, b.Cols), ag.Float32)), &b)
	if err != nil {
		t.Fatal(err)
	}
	if err := ag.Backward(l); err != nil {
		t.Fatal(err)
	}
	pl, err := train.ParallelGrad(mp, nil, ds, batch, 3)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pl-l.Item()) > 1e-6 {
		t.Errorf("loss %v, serial %v", pl, l.Item())
	}
	ps, pp := layers.Params(ms), layers.Params(mp)
	for i := range ps {
		if pp[i].Grad().DType() != ag.Float32 {
			t.Fatalf("parameter %d: gradient is %v", i, pp[i].Grad().DType())
		}
		g, h := ps[i].Grad().Float64s(), pp[i].Grad().Float64s()
		for k := range g {
			if math.Abs(g[k]-h[k]) > 1e-6 {
				t.Errorf("parameter %d[%d]: gradient %v, serial %v", i, k, h[k], g[k])
			}
		}
	}
}

// TestParallelGradErrors checks the configuration errors and that a loss error in one worker's
// share leaves the parameters' gradients as they were.
func TestParallelGradErrors(t *testing.T) {
	ds := parBlobs(12)
	m := layers.NewMLP([]int{4, 3}, nil, layers.SoftmaxHead, layers.WithSeed(1))
	if _, err := train.ParallelGrad(m, nil, ds, []int{0, 1}, 1); err != nil {
		t.Fatal(err)
	}
	before := gradsOf(m)
	bad := ds
	bad.Y = append([]int(nil), ds.Y...)
	bad.Y[9] = 5
	cases := []struct {
		name string
		err  error
		kind error
		msg  string
	}{
		{"workers", second(train.ParallelGrad(m, nil, ds, []int{0}, 0)), train.ErrConfig, "train.ParallelGrad: 0 workers; want at least 1"},
		{"empty", second(train.ParallelGrad(m, nil, ds, nil, 2)), train.ErrConfig, "train.ParallelGrad: empty batch"},
		{"index", second(train.ParallelGrad(m, nil, ds, []int{0, 12}, 2)), train.ErrConfig, "train.ParallelGrad: batch index 1 is row 12, outside [0, 12)"},
		{"ragged", second(train.ParallelGrad(m, nil, data.Dataset{X: []float64{1}, Rows: 1, Cols: 4}, []int{0}, 2)), train.ErrConfig,
			"train.ParallelGrad: data set of 1 rows × 4 columns needs 4 values in X, has 1"},
		{"label", second(train.ParallelGrad(m, nil, bad, []int{0, 2, 4, 6, 8, 9}, 3)), losses.ErrLabel,
			"train.ParallelGrad: worker 2 of 3 (rows 4 to 6 of the batch): losses.CrossEntropy: label 5 at row 1 is outside [0, 3)"},
	}
	for _, c := range cases {
		if c.err == nil || c.err.Error() != c.msg || !errors.Is(c.err, c.kind) {
			t.Errorf("%s: got %v, want %q wrapping %v", c.name, c.err, c.msg, c.kind)
		}
	}
	if d := maxDiff(before, gradsOf(m)); d != 0 {
		t.Errorf("failed calls changed the gradients by %g", d)
	}
}

func gradsOf(m layers.Module) [][]float64 {
	var out [][]float64
	for _, p := range layers.Params(m) {
		out = append(out, p.Grad().Float64s())
	}
	return out
}

func second[T any](_ T, err error) error { return err }

// TestFitWorkers checks Fit with Workers against the serial Fit: the same parameters to 1e-12,
// the same losses and accuracies, and bit-identical runs for one worker count.
func TestFitWorkers(t *testing.T) {
	ds := parBlobs(60)
	fit := func(workers int) ([][]float64, []train.EpochStats) {
		m := layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(5))
		opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		stats, err := train.Fit(m, opt, ds, train.Config{Epochs: 4, BatchSize: 16, Seed: 9, Workers: workers, ClipNorm: 5})
		if err != nil {
			t.Fatal(err)
		}
		var ps [][]float64
		for _, p := range layers.Params(m) {
			ps = append(ps, p.Float64s())
		}
		return ps, stats
	}
	want, wantStats := fit(0)
	for _, workers := range []int{2, 3} {
		got, stats := fit(workers)
		if d := maxDiff(want, got); d > 1e-12 {
			t.Errorf("%d workers: parameters differ from the serial Fit by %g", workers, d)
		}
		for i := range stats {
			if math.Abs(stats[i].Loss-wantStats[i].Loss) > 1e-12 || stats[i].Accuracy != wantStats[i].Accuracy {
				t.Errorf("%d workers, epoch %d: loss %v accuracy %v; serial %v %v", workers, i+1, stats[i].Loss, stats[i].Accuracy, wantStats[i].Loss, wantStats[i].Accuracy)
			}
		}
		again, _ := fit(workers)
		if d := maxDiff(got, again); d != 0 {
			t.Errorf("%d workers: two runs differ by %g", workers, d)
		}
	}
}
