package mistakes

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// The tests below check that a failed call loses nothing: the model, its gradients and the
// optimizer's state are as they were before it.

func toy() data.Dataset {
	d := data.Dataset{Rows: 8, Cols: 3}
	for i := 0; i < d.Rows; i++ {
		d.X = append(d.X, float64(i%3)-1, float64(i)/8, float64(i%2))
		d.Y = append(d.Y, i%2)
	}
	return d
}

func snapshot(m layers.Module) map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range m.NamedParams() {
		out[p.Name] = p.Var.Float64s()
		if g := p.Var.Grad(); !g.IsNil() {
			out[p.Name+"/grad"] = g.Float64s()
		}
	}
	return out
}

// trainedAdam returns a model and an Adam optimizer after two steps.
func trainedAdam(t *testing.T) (*layers.MLP, *optim.Adam) {
	t.Helper()
	m := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(2))
	opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(m, opt, toy(), train.Config{Epochs: 2, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	return m, opt
}

func TestFailedLoadChangesNothing(t *testing.T) {
	dir := t.TempDir()
	m, opt := trainedAdam(t)
	wantModel, wantState := snapshot(m), opt.State()

	// The first parameters match, the last does not: nothing may be copied before the check.
	wide := filepath.Join(dir, "wide.npz")
	if err := checkpoint.Save(wide, layers.NewMLP([]int{3, 4, 3}, layers.Tanh{}, layers.SoftmaxHead)); err != nil {
		t.Fatal(err)
	}
	// Parameters that fit, with the state of an optimizer of another kind (SGD with momentum).
	other := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(7))
	sgd, err := optim.NewSGD(layers.Params(other), optim.SGDConfig{LR: 0.1, Momentum: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(other, sgd, toy(), train.Config{Epochs: 1, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	sgdState := filepath.Join(dir, "sgd.npz")
	if err := checkpoint.Save(sgdState, other, sgd); err != nil {
		t.Fatal(err)
	}
	// A file cut short.
	cut := filepath.Join(dir, "cut.npz")
	if err := npz.WriteFile(cut, []npz.Array{npz.Float64("x", []float64{1})}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		path string
		opt  bool
		kind error
	}{
		{"wrong shape", wide, false, checkpoint.ErrMismatch},
		{"wrong shape with optimizer", wide, true, checkpoint.ErrMismatch},
		{"another optimizer's state", sgdState, true, optim.ErrState},
		{"missing parameters", cut, true, checkpoint.ErrMissing},
	} {
		var err error
		if c.opt {
			err = checkpoint.Load(c.path, m, opt)
		} else {
			err = checkpoint.Load(c.path, m)
		}
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.kind)
		}
		if diff := cmp.Diff(wantModel, snapshot(m)); diff != "" {
			t.Errorf("%s: the model changed (-before +after):\n%s", c.name, diff)
		}
		if diff := cmp.Diff(wantState, opt.State()); diff != "" {
			t.Errorf("%s: the optimizer state changed (-before +after):\n%s", c.name, diff)
		}
	}
}

// TestStepAfterAnErrorIsTheStepBefore checks that a rejected learning rate, a failed loss and a
// failed backward pass leave everything an optimizer step reads as it was: the step after them is
// the step that would have been taken without them.
func TestStepAfterAnErrorIsTheStepBefore(t *testing.T) {
	ref, refOpt := trainedAdam(t)
	m, opt := trainedAdam(t)
	step := func(m layers.Module, opt optim.Optimizer, mistakes bool) {
		tp := ag.NewTape()
		ds := toy()
		x := tp.Const(ds.X, ds.Rows, ds.Cols)
		opt.ZeroGrad()
		if mistakes {
			if err := ag.Maybe(func() { opt.SetLR(math.NaN()) }); !errors.Is(err, optim.ErrLR) {
				t.Errorf("SetLR(NaN): %v", err)
			}
			if _, err := losses.CrossEntropy(m.Forward(x), []int{0, 1, 2, 3, 4, 5, 6, 7}); !errors.Is(err, losses.ErrLabel) {
				t.Errorf("CrossEntropy: %v", err)
			}
			// Anomaly detection stops the backward pass at the first Inf: √ at 0 has an
			// infinite derivative. The leaves' gradients must not have been touched.
			tp.SetAnomalyDetection(true)
			bad := ops.Sum(ops.Sqrt(ops.Mul(m.Forward(x), tp.Zeros(ag.Float64, 8, 2))))
			if err := ag.Backward(bad); !errors.Is(err, ag.ErrAnomaly) {
				t.Errorf("Backward: %v", err)
			}
			tp.SetAnomalyDetection(false)
			if err := ag.Backward(m.Forward(x)); !errors.Is(err, ag.ErrSeed) {
				t.Errorf("Backward of a non-scalar: %v", err)
			}
		}
		l, err := losses.CrossEntropy(m.Forward(x), ds.Y)
		if err != nil {
			t.Fatal(err)
		}
		if err := ag.Backward(l); err != nil {
			t.Fatal(err)
		}
		opt.Step()
	}
	step(ref, refOpt, false)
	step(m, opt, true)
	if diff := cmp.Diff(snapshot(ref), snapshot(m)); diff != "" {
		t.Errorf("parameters after the step differ (-clean +after mistakes):\n%s", diff)
	}
	if diff := cmp.Diff(refOpt.State(), opt.State()); diff != "" {
		t.Errorf("optimizer state differs (-clean +after mistakes):\n%s", diff)
	}
}

// TestLossErrorMidTrainingKeepsTheStepsBefore checks that Fit stops at a failing loss with the
// parameters of the steps before it, untouched by the failing one.
func TestLossErrorMidTrainingKeepsTheStepsBefore(t *testing.T) {
	fresh := func() (*layers.MLP, *optim.SGD) {
		m := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(3))
		o, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1, Momentum: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		return m, o
	}
	ref, refOpt := fresh()
	if _, err := train.Fit(ref, refOpt, toy(), train.Config{Epochs: 2, BatchSize: 8, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	m, opt := fresh()
	calls := 0
	failOnThird := func(out ag.Var, b *data.Dataset) (ag.Var, error) {
		calls++
		if calls == 3 {
			return losses.CrossEntropy(out, make([]int, b.Rows-1)) // a batch mismatch
		}
		return train.CrossEntropy(out, b)
	}
	stats, err := train.Fit(m, opt, toy(), train.Config{Epochs: 3, BatchSize: 8, Seed: 4, Loss: failOnThird})
	if !errors.Is(err, losses.ErrBatch) || len(stats) != 2 {
		t.Fatalf("Fit: %d epochs, err %v; want 2 epochs and a batch-size error", len(stats), err)
	}
	// The references' gradients are those of their last step; compare values only.
	for i, p := range layers.Params(m) {
		if diff := cmp.Diff(layers.Params(ref)[i].Float64s(), p.Float64s()); diff != "" {
			t.Errorf("parameter %d (-two clean epochs +failed third):\n%s", i, diff)
		}
	}
	if diff := cmp.Diff(refOpt.State(), opt.State()); diff != "" {
		t.Errorf("optimizer state (-two clean epochs +failed third):\n%s", diff)
	}
}
