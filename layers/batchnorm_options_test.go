package layers

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchBatchNormOption is a case of testdata/torch_batchnorm_options.json, written by
// testdata/torch_batchnorm_options.py with PyTorch 1.13.
type torchBatchNormOption struct {
	torchBatchNorm
	Affine, Track bool
	Cumulative    bool        // torch's momentum=None
	StateDict     [][2]string `json:"state_dict"` // torch's state_dict keys and dtypes, in order
}

func loadTorchBatchNormOptions(t *testing.T) []torchBatchNormOption {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_batchnorm_options.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		BatchNorm []torchBatchNormOption `json:"batch_norm"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx.BatchNorm
}

// newBatchNormOption builds c's layer: BatchNorm1d or 2d with c's options.
func newBatchNormOption(c torchBatchNormOption) *BatchNorm {
	var opts []Option
	if !c.Affine {
		opts = append(opts, WithoutAffine())
	}
	if !c.Track {
		opts = append(opts, WithoutRunningStats())
	}
	if len(c.Shape) == 4 {
		b := NewBatchNorm2d(c.Shape[1], opts...)
		b.CumulativeAverage = c.Cumulative
		return b
	}
	b := NewBatchNorm1d(c.Shape[1], opts...)
	b.CumulativeAverage = c.Cumulative
	return b
}

// TestBatchNormOptionsMatchTorch runs torch's cases of affine=False, track_running_stats=False
// and momentum=None (CumulativeAverage), and the default, for num_batches_tracked: the training outputs, the gradients of sum(y·r),
// the buffers after the steps (num_batches_tracked included), and the evaluation outputs and
// gradients agree with torch's. (checkpoint's TestBatchNormOptionsStateDict checks the
// checkpoint arrays against torch's state_dict, and Save then Load.)
func TestBatchNormOptionsMatchTorch(t *testing.T) {
	for _, c := range loadTorchBatchNormOptions(t) {
		b := newBatchNormOption(c)
		checkTorchBatchNorm(t, c, b)
	}
}

// checkTorchBatchNorm runs torch's training steps of c on b (torch's weight and bias copied in
// when affine), then one evaluation, and compares the outputs, the gradients of sum(y·r), the
// buffers after the steps (when tracked; num_batches_tracked included), and that evaluation
// leaves the buffers alone.
func checkTorchBatchNorm(t *testing.T, c torchBatchNormOption, b *BatchNorm) {
	t.Helper()
	tol := cmpopts.EquateApprox(0, 1e-12) // float64: a few roundings of 2⁻⁵³
	if c.Affine {
		copyInto(b.Weight, c.Weight)
		copyInto(b.Bias, c.Bias)
	}
	tp := ag.NewTape()
	var x, y ag.Var
	for _, in := range c.TrainInputs {
		tp.Reset()
		x = tp.Variable(in, c.Shape...)
		y = b.Forward(x)
	}
	if got := y.Float64s(); !cmp.Equal(got, c.Y, tol) {
		t.Errorf("%s: training y = %v, want torch's %v", c.Name, got, c.Y)
	}
	leaves, want := []ag.Var{x}, [][]float64{c.GradX}
	if c.Affine {
		leaves, want = append(leaves, b.Weight, b.Bias), append(want, c.GradWeight, c.GradBias)
	}
	for i, g := range gradsOf(t, y, c.R, leaves...) {
		if !cmp.Equal(g, want[i], tol) {
			t.Errorf("%s: training gradient %d (x, weight, bias) = %v, want torch's %v", c.Name, i, g, want[i])
		}
	}
	if c.Track {
		for _, s := range []struct {
			name      string
			got, want []float64
		}{
			{"running mean", b.RunningMean.Float64s(), c.RunningMean},
			{"running var", b.RunningVar.Float64s(), c.RunningVar},
			{"num_batches_tracked", b.NumBatchesTracked.Float64s(), []float64{float64(c.NumBatchesTracked)}},
		} {
			if !cmp.Equal(s.got, s.want, tol) {
				t.Errorf("%s: %s after %d steps = %v, want torch's %v", c.Name, s.name, len(c.TrainInputs), s.got, s.want)
			}
		}
	} else if bufs := Buffers(b); len(bufs) != 0 {
		t.Errorf("%s: WithoutRunningStats has buffers %v, want none", c.Name, bufs)
	}
	Eval(b)
	tp.Reset()
	x = tp.Variable(c.EvalX, c.Shape...)
	y = b.Forward(x)
	if got := y.Float64s(); !cmp.Equal(got, c.EvalY, tol) {
		t.Errorf("%s: evaluation y = %v, want torch's %v", c.Name, got, c.EvalY)
	}
	if got := gradsOf(t, y, c.EvalR, x)[0]; !cmp.Equal(got, c.EvalGradX, tol) {
		t.Errorf("%s: evaluation ∂x = %v, want torch's %v", c.Name, got, c.EvalGradX)
	}
	if c.Track {
		if got := b.RunningMean.Float64s(); !cmp.Equal(got, c.RunningMean, tol) {
			t.Errorf("%s: evaluation changed the running mean to %v, want %v", c.Name, got, c.RunningMean)
		}
		if got := b.NumBatchesTracked.Item(); got != float64(c.NumBatchesTracked) {
			t.Errorf("%s: evaluation changed num_batches_tracked to %v, want %d", c.Name, got, c.NumBatchesTracked)
		}
	}
}

// TestBatchNormWithoutRunningStatsBatchOfOne checks that without running statistics a batch of
// one is refused in evaluation mode too, as torch (which then normalises by the batch's
// statistics in both modes).
func TestBatchNormWithoutRunningStatsBatchOfOne(t *testing.T) {
	b := NewBatchNorm1d(3, WithoutRunningStats())
	Eval(b)
	x := ag.NewTape().Const([]float64{1, 2, 3}, 1, 3)
	if err := ag.Maybe(func() { b.Forward(x) }); !errors.Is(err, ag.ErrShape) {
		t.Errorf("evaluation of a batch of one without running statistics: got %v, want an error wrapping ErrShape", err)
	}
}

// TestBatchNormOptionsCheckGrad checks the input gradient of a BatchNorm WithoutAffine, with and
// without running statistics, in both modes, by finite differences at orders 1 and 2.
func TestBatchNormOptionsCheckGrad(t *testing.T) {
	x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7, 1.5, 0.2, -0.4, 0.9, -1.3, 0.6}, 4, 3)
	for _, opts := range [][]Option{{WithoutAffine()}, {WithoutAffine(), WithoutRunningStats()}} {
		for _, training := range []bool{true, false} {
			b := NewBatchNorm1d(3, opts...)
			if !b.RunningMean.IsNil() {
				copyInto(b.RunningMean, []float64{0.2, -0.1, 0.3})
				copyInto(b.RunningVar, []float64{0.8, 1.5, 0.6})
			}
			SetTraining(b, training)
			f := func(xs ...ag.Var) ag.Var { return ops.Tanh(b.Forward(xs[0])) }
			for _, order := range []int{1, 2} {
				if err := ag.CheckGrad(f, []ag.Var{x}, ag.Order(order)); err != nil {
					t.Errorf("%d options, training %v, order %d: %v", len(opts), training, order, err)
				}
			}
		}
	}
}
