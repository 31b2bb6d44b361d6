package layers

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

func newBatchNormFor(c torchBatchNorm) *BatchNorm {
	if len(c.Shape) == 4 {
		return NewBatchNorm2d(c.Shape[1])
	}
	return NewBatchNorm1d(c.Shape[1])
}

// TestBatchNormMatchesTorch runs torch's training steps and then one evaluation, comparing the
// outputs, the gradients of sum(y·r), and the running statistics (see checkTorchBatchNorm).
func TestBatchNormMatchesTorch(t *testing.T) {
	for _, c := range loadTorchNorm(t).BatchNorm {
		b := newBatchNormFor(c)
		if b.Momentum != c.Momentum || b.Eps != c.Eps {
			t.Errorf("%s: momentum %g and eps %g, want torch's %g and %g", c.Name, b.Momentum, b.Eps, c.Momentum, c.Eps)
		}
		checkTorchBatchNorm(t, torchBatchNormOption{torchBatchNorm: c, Affine: true, Track: true}, b)
	}
}

func TestBatchNormCheckGrad(t *testing.T) {
	x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7, 1.5, 0.2, -0.4, 0.9, -1.3, 0.6}, 2, 3, 2)
	w := ag.NewParam([]float64{0.7, -1.2, 1.1}, 3)
	bias := ag.NewParam([]float64{0.1, 0.2, -0.3}, 3)
	for _, training := range []bool{true, false} {
		b := NewBatchNorm1d(3)
		copyInto(b.RunningMean, []float64{0.2, -0.1, 0.3})
		copyInto(b.RunningVar, []float64{0.8, 1.5, 0.6})
		SetTraining(b, training)
		f := func(xs ...ag.Var) ag.Var {
			b.Weight, b.Bias = xs[1], xs[2]
			return ops.Tanh(b.Forward(xs[0])) // non-linear, so that order 2 is not trivially 0
		}
		for _, order := range []int{1, 2} {
			if err := ag.CheckGrad(f, []ag.Var{x, w, bias}, ag.Order(order)); err != nil {
				t.Errorf("training %v, order %d: %v", training, order, err)
			}
		}
	}
}

// bnModel is a user model holding a BatchNorm between two layers, found by Collect and
// CollectBuffers.
type bnModel struct {
	In   *Linear
	Norm *BatchNorm
	Out  Linear
}

func (m *bnModel) Forward(x ag.Var) ag.Var {
	return m.Out.Forward(ops.ReLU(m.Norm.Forward(m.In.Forward(x))))
}
func (m *bnModel) NamedParams() []Param { return Collect(m) }

// TestBatchNormBuffers checks that the running statistics are buffers: listed by Buffers, not by
// Params, untouched by an optimizer. (checkpoint's TestSaveLoadBuffers checks that they are
// saved and restored.)
func TestBatchNormBuffers(t *testing.T) {
	seq := NewSequential(NewLinear(3, 4, WithSeed(2)), NewBatchNorm1d(4), ReLU{}, NewLinear(4, 2, WithSeed(3)))
	user := &bnModel{In: NewLinear(3, 4, WithSeed(2)), Norm: NewBatchNorm1d(4)}
	user.Out = *NewLinear(4, 2, WithSeed(3))
	for _, c := range []struct {
		name         string
		m            Module
		params, bufs []string
	}{
		{"Sequential", seq, []string{"0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"}, []string{"1.running_mean", "1.running_var", "1.num_batches_tracked"}},
		{"user struct", user, []string{"in.weight", "in.bias", "norm.weight", "norm.bias", "out.weight", "out.bias"}, []string{"norm.running_mean", "norm.running_var", "norm.num_batches_tracked"}},
	} {
		var bufs []string
		for _, b := range Buffers(c.m) {
			bufs = append(bufs, b.Name)
		}
		if got := names(c.m); !cmp.Equal(got, c.params) {
			t.Errorf("%s: parameters %v, want %v", c.name, got, c.params)
		}
		if !cmp.Equal(bufs, c.bufs) {
			t.Errorf("%s: buffers %v, want %v", c.name, bufs, c.bufs)
		}
		if n := len(Params(c.m)); n != len(c.params) {
			t.Errorf("%s: Params lists %d Vars, want the %d parameters only", c.name, n, len(c.params))
		}
		opt, err := optim.NewSGD(Params(c.m), optim.SGDConfig{LR: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		tp := ag.NewTape()
		x := tp.Const([]float64{1, 2, 3, -1, 0.5, 0.25, 0, 1, -2}, 3, 3)
		if err := ag.Backward(sumSquares(c.m.Forward(x))); err != nil {
			t.Fatal(err)
		}
		before := Buffers(c.m)[0].Var.Float64s() // after the forward pass's update
		opt.Step()
		if got := Buffers(c.m)[0].Var.Float64s(); !cmp.Equal(got, before) {
			t.Errorf("%s: an SGD step changed the running mean from %v to %v", c.name, before, got)
		}
		if cmp.Equal(before, []float64{0, 0, 0, 0}) {
			t.Errorf("%s: the training pass left the running mean at zeros", c.name)
		}

	}
}

func TestBatchNormMisuse(t *testing.T) {
	tp := ag.NewTape()
	cases := []struct {
		name string
		fn   func()
		kind error
		want string
	}{
		{"1d wrong channels", func() { NewBatchNorm1d(3).Forward(tp.Const(make([]float64, 8), 2, 4)) }, ag.ErrShape,
			"layers.BatchNorm1d: input of shape (2,4); want (N, 3) or (N, 3, L)"},
		{"1d wrong rank", func() { NewBatchNorm1d(3).Forward(tp.Const(make([]float64, 6), 6)) }, ag.ErrShape,
			"layers.BatchNorm1d: input of shape (6)"},
		{"2d wrong rank", func() { NewBatchNorm2d(3).Forward(tp.Const(make([]float64, 12), 2, 3, 2)) }, ag.ErrShape,
			"layers.BatchNorm2d: input of shape (2,3,2); want (N, 3, H, W)"},
		{"batch of one", func() { NewBatchNorm1d(3).Forward(tp.Const(make([]float64, 3), 1, 3)) }, ag.ErrShape,
			"layers.BatchNorm1d: input of shape (1,3): expected more than 1 value per channel when training"},
		{"2d one pixel", func() { NewBatchNorm2d(2).Forward(tp.Const(make([]float64, 2), 1, 2, 1, 1)) }, ag.ErrShape,
			"expected more than 1 value per channel"},
		{"dtype", func() { NewBatchNorm1d(3, WithDType(ag.Float32)).Forward(tp.Const(make([]float64, 6), 2, 3)) }, ag.ErrDType,
			"layers.BatchNorm1d: float64 input and float32 parameters"},
		{"no features", func() { NewBatchNorm2d(0) }, ErrSize, "layers.NewBatchNorm2d: feature count 0"},
	}
	for _, c := range cases {
		err := ag.Maybe(c.fn)
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error wrapping %v containing %q", c.name, err, c.kind, c.want)
		}
	}
	// A batch of one is fine in evaluation mode (the running statistics), and for (1, C, L).
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"evaluation", func() { b := NewBatchNorm1d(3); Eval(b); b.Forward(tp.Const(make([]float64, 3), 1, 3)) }},
		{"(1, C, L)", func() { NewBatchNorm1d(3).Forward(tp.Const([]float64{1, 2, 3, 4, 5, 6}, 1, 3, 2)) }},
	} {
		if err := ag.Maybe(c.fn); err != nil {
			t.Errorf("%s, batch of one: %v, want no error", c.name, err)
		}
	}
}

// TestBatchNormConcurrent calls Forward from two goroutines at once, as train.ParallelGrad does;
// run with -race. Each call updates the running statistics under the layer's lock, so after the
// same input k times the running mean is the input's mean times 1 − 0.9ᵏ whatever the order.
func TestBatchNormConcurrent(t *testing.T) {
	b := NewBatchNorm1d(2)
	const perWorker = 20
	done := make(chan error)
	for range 2 {
		go func() {
			done <- ag.Maybe(func() {
				tp := ag.NewTape()
				for range perWorker {
					tp.Reset()
					b.Forward(tp.Const([]float64{1, 2, 3, 4}, 2, 2))
				}
			})
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	f := 1 - math.Pow(0.9, 2*perWorker)
	want := []float64{2 * f, 3 * f} // the columns' means are 2 and 3
	// 1e-12: 40 roundings of values near 3.
	if got := b.RunningMean.Float64s(); !cmp.Equal(got, want, cmpopts.EquateApprox(0, 1e-12)) {
		t.Errorf("running mean %v after %d updates, want %v", got, 2*perWorker, want)
	}
}

// TestBatchNormFloat32 checks a float32 BatchNorm against the float64 one, in both modes.
func TestBatchNormFloat32(t *testing.T) {
	x := []float64{0.5, -1, 2, 0.1, 0.3, -0.7, 1.5, 0.2, -0.4, 0.9, -1.3, 0.6}
	var outs [2][2][]float64
	for i, dt := range []ag.DType{ag.Float64, ag.Float32} {
		b := NewBatchNorm2d(2, WithDType(dt))
		for j, training := range []bool{true, false} {
			SetTraining(b, training)
			tp := ag.NewTape()
			outs[i][j] = b.Forward(variable(tp, dt, x, 3, 2, 2, 1)).Float64s()
		}
		if got := b.RunningVar.DType(); got != dt {
			t.Errorf("%v: running variance of dtype %v", dt, got)
		}
	}
	for j, mode := range []string{"training", "evaluation"} {
		if !cmp.Equal(outs[1][j], outs[0][j], cmpopts.EquateApprox(0, 1e-5)) { // float32 roundings of values of order 1
			t.Errorf("%s: float32 %v, float64 %v", mode, outs[1][j], outs[0][j])
		}
	}
}

// TestBatchNorm2dStepAllocatesNothing checks that a steady training step (forward, backward,
// running statistics) and a steady evaluation forward pass of a BatchNorm2d allocate nothing:
// the views of its per-channel vectors go on the input's tape.
func TestBatchNorm2dStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const n, c, h, w = 8, 4, 6, 6
	x := make([]float64, n*c*h*w)
	for i := range x {
		x[i] = float64(i%11) - 5
	}
	bn := NewBatchNorm2d(c)
	params := Params(bn)
	tp := ag.NewTape()
	train := func() {
		tp.Reset()
		if err := ag.Backward(ops.Sum(bn.Forward(tp.Variable(x, n, c, h, w)))); err != nil {
			t.Fatal(err)
		}
		ag.ZeroGrad(params...)
	}
	eval := func() {
		tp.Reset()
		ops.Sum(bn.Forward(tp.Const(x, n, c, h, w)))
	}
	for _, s := range []struct {
		name     string
		training bool
		step     func()
	}{{"training", true, train}, {"evaluation", false, eval}} {
		bn.SetTraining(s.training)
		s.step()
		s.step()
		if got := testing.AllocsPerRun(5, s.step); got != 0 {
			t.Errorf("%s: a steady step allocates %v times, want 0", s.name, got)
		}
	}
}
