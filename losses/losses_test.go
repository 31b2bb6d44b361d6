package losses

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// pairLoss adapts a loss of predictions and targets to one of Vars for the tables.
type pairLoss func(y, t ag.Var, opts ...Option) (ag.Var, error)

// labelLoss adapts a loss of a matrix and labels.
type labelLoss func(x ag.Var, labels []int, opts ...Option) (ag.Var, error)

func must(v ag.Var, err error) ag.Var {
	if err != nil {
		panic(err)
	}
	return v
}

func TestPairValues(t *testing.T) {
	y, tg := []float64{1, 2, 3}, []float64{0, 2, 5} // errors 1, 0, −2
	p, pt := []float64{0.8, 0.3}, []float64{1, 0}
	x, xt := []float64{0, 2}, []float64{1, 0}
	cases := []struct {
		name string
		loss pairLoss
		y, t []float64
		opts []Option
		want float64
	}{
		{"SquaredError", SquaredError, y, tg, nil, 0.5 * (1 + 0 + 4)},
		{"SquaredError mean", SquaredError, y, tg, []Option{Reduce(Mean)}, 0.5 * 5 / 3},
		{"MSE", MSE, y, tg, nil, 5.0 / 3},
		{"MSE sum", MSE, y, tg, []Option{Reduce(Sum)}, 5},
		{"MAE", MAE, y, tg, nil, 1},
		{"MAE sum", MAE, y, tg, []Option{Reduce(Sum)}, 3},
		// −(log 0.8 + log 0.7)/2.
		{"BCE", BCE, p, pt, nil, -(math.Log(0.8) + math.Log(0.7)) / 2},
		// Clamped: −log(1e-7) for p = 0 with t = 1.
		{"BCE clamped", BCE, []float64{0}, []float64{1}, nil, -math.Log(1e-7)},
		// x = 0, t = 1: log 2; x = 2, t = 0: log(1 + e²).
		{"BCEWithLogits", BCEWithLogits, x, xt, nil, (math.Ln2 + math.Log(1+math.E*math.E)) / 2},
		{"BCEWithLogits sum", BCEWithLogits, x, xt, []Option{Reduce(Sum)}, math.Ln2 + math.Log(1+math.E*math.E)},
	}
	for _, c := range cases {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			yv, tv := tp.Const(c.y), tp.Const(c.t)
			// float64 differs from the literal by a few roundings; float32 by ~1e-7 relative.
			tol := 1e-14
			if dt == ag.Float32 {
				yv, tv = ops.Cast(yv, dt), ops.Cast(tv, dt)
				tol = 1e-6
			}
			l, err := c.loss(yv, tv, c.opts...)
			if err != nil {
				t.Fatalf("%s %v: %v", c.name, dt, err)
			}
			if got := l.Item(); !cmp.Equal(got, c.want, cmpopts.EquateApprox(tol, 0)) {
				t.Errorf("%s %v: got %v, want %v", c.name, dt, got, c.want)
			}
		}
	}
}

func TestLabelValues(t *testing.T) {
	x := []float64{0, 0, 0, 1, 2, 3}
	// Row 0: log 3. Row 1: log(e + e² + e³) − 3.
	r0, r1 := math.Log(3), math.Log(math.E+math.Exp(2)+math.Exp(3))-3
	logp := []float64{math.Log(0.2), math.Log(0.8), math.Log(0.5), math.Log(0.5)}
	cases := []struct {
		name    string
		loss    labelLoss
		x       []float64
		classes int
		labels  []int
		opts    []Option
		want    float64
	}{
		{"CrossEntropy", CrossEntropy, x, 3, []int{1, 2}, nil, (r0 + r1) / 2},
		{"CrossEntropy sum", CrossEntropy, x, 3, []int{1, 2}, []Option{Reduce(Sum)}, r0 + r1},
		{"NLL", NLL, logp, 2, []int{1, 0}, nil, -(math.Log(0.8) + math.Log(0.5)) / 2},
	}
	for _, c := range cases {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			xv := ops.Cast(tp.Const(c.x, len(c.labels), c.classes), dt)
			// As in TestPairValues.
			tol := 1e-14
			if dt == ag.Float32 {
				tol = 1e-6
			}
			l, err := c.loss(xv, c.labels, c.opts...)
			if err != nil {
				t.Fatalf("%s %v: %v", c.name, dt, err)
			}
			if got := l.Item(); !cmp.Equal(got, c.want, cmpopts.EquateApprox(tol, 0)) {
				t.Errorf("%s %v: got %v, want %v", c.name, dt, got, c.want)
			}
		}
	}
}

func TestCheckGrad(t *testing.T) {
	targets := []float64{0.2, 1, 0, 0.7, 0.5, 0.9}
	pair := func(loss pairLoss, opts ...Option) func(xs ...ag.Var) ag.Var {
		return func(xs ...ag.Var) ag.Var {
			tv := ops.TapeOf(xs[0]).Const(targets, 2, 3)
			return must(loss(xs[0], tv, opts...))
		}
	}
	labels := func(loss labelLoss, opts ...Option) func(xs ...ag.Var) ag.Var {
		return func(xs ...ag.Var) ag.Var { return must(loss(xs[0], []int{2, 0}, opts...)) }
	}
	logp := func(xs ...ag.Var) ag.Var { return must(NLL(ops.LogSoftmax(xs[0], 1), []int{1, 2})) }
	probs := []float64{0.1, 0.35, 0.6, 0.95, 0.5, 0.25} // inside [ε, 1−ε]: BCE is smooth there
	logits := []float64{-2, 0.5, 3, -0.3, 1.2, 0.1}
	away := []float64{1, 0.5, -1, 0.1, 1.5, 0.2} // no element equals its target: MAE is smooth there
	cases := []struct {
		name  string
		f     func(xs ...ag.Var) ag.Var
		x     []float64
		order int
	}{
		{"SquaredError", pair(SquaredError), logits, 2},
		{"MSE", pair(MSE), logits, 2},
		{"MSE sum", pair(MSE, Reduce(Sum)), logits, 2},
		{"MAE", pair(MAE), away, 1},
		{"BCE", pair(BCE), probs, 2},
		{"BCEWithLogits", pair(BCEWithLogits), logits, 2},
		{"BCEWithLogits sum", pair(BCEWithLogits, Reduce(Sum)), logits, 2},
		{"CrossEntropy", labels(CrossEntropy), logits, 2},
		{"CrossEntropy sum", labels(CrossEntropy, Reduce(Sum)), logits, 2},
		{"NLL", logp, logits, 2},
	}
	for _, c := range cases {
		x := ag.NewParam(c.x, 2, 3)
		if err := ag.CheckGrad(c.f, []ag.Var{x}, ag.Order(c.order)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestExtremes(t *testing.T) {
	cases := []struct {
		name     string
		loss     func(x ag.Var) (ag.Var, error)
		x        []float64
		shape    []int
		want     float64
		wantGrad []float64
	}{
		// softplus(x) − x t: 0, 0, 1e30, 1e30; gradient (σ(x) − t)/4 = 0, 0, 1/4, −1/4.
		{"BCEWithLogits", func(x ag.Var) (ag.Var, error) {
			return BCEWithLogits(x, ops.TapeOf(x).Const([]float64{1, 0, 0, 1}))
		}, []float64{1e4, -1e4, 1e30, -1e30}, []int{4}, 2e30 / 4, []float64{0, 0, 0.25, -0.25}},
		{"BCEWithLogits 1e4", func(x ag.Var) (ag.Var, error) {
			return BCEWithLogits(x, ops.TapeOf(x).Const([]float64{0, 1}))
		}, []float64{1e4, -1e4}, []int{2}, 1e4, []float64{0.5, -0.5}},
		// Row 0 picks the largest logit: loss 0. Row 1 picks the smallest: 2e4. Gradient
		// (softmax − onehot)/2.
		{"CrossEntropy", func(x ag.Var) (ag.Var, error) { return CrossEntropy(x, []int{0, 2}) },
			[]float64{1e4, 0, -1e4, 1e4, 0, -1e4}, []int{2, 3}, 1e4, []float64{0, 0, 0, 0.5, 0, -0.5}},
		{"BCE", func(x ag.Var) (ag.Var, error) { return BCE(x, ops.TapeOf(x).Const([]float64{1, 0})) },
			[]float64{0, 1}, []int{2}, -math.Log(1e-7), []float64{0, 0}},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		x := tp.Variable(c.x, c.shape...)
		l, err := c.loss(x)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := ag.Backward(l); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// Cancellations at these magnitudes leave relative rounding of ~1e-16, and 1 − 1e-7 is
		// rounded in BCE's clamp.
		if got := l.Item(); !cmp.Equal(got, c.want, cmpopts.EquateApprox(1e-9, 0)) {
			t.Errorf("%s: got loss %v, want %v", c.name, got, c.want)
		}
		if got := x.Grad().Float64s(); !cmp.Equal(got, c.wantGrad, cmpopts.EquateApprox(0, 1e-12)) {
			t.Errorf("%s: got gradient %v, want %v", c.name, got, c.wantGrad)
		}
	}
}

func TestErrors(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Const([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	y3 := tp.Const([]float64{1, 2, 3})
	y2 := tp.Const([]float64{1, 2})
	empty := tp.Const(nil, 0, 3)
	cases := []struct {
		name string
		err  error
		want error
		msg  string
	}{
		{"label high", second(CrossEntropy(x, []int{0, 3})), ErrLabel, "losses.CrossEntropy: label 3 at row 1 is outside [0, 3)"},
		{"label negative", second(NLL(x, []int{-1, 0})), ErrLabel, "losses.NLL: label -1 at row 0 is outside [0, 3)"},
		{"labels batch", second(CrossEntropy(x, []int{0})), ErrBatch, "losses.CrossEntropy: input has batch size 2, labels 1"},
		{"labels empty", second(CrossEntropy(empty, nil)), ErrEmpty, "losses.CrossEntropy: no rows"},
		{"pair batch", second(MSE(y3, y2)), ErrBatch, "losses.MSE: predictions have batch size 3, targets 2"},
		{"pair shape", second(BCEWithLogits(x, tp.Const([]float64{1, 2}, 2, 1))), ErrShape, "losses.BCEWithLogits: predictions of shape (2,3), targets of shape (2,1)"},
		{"pair empty", second(SquaredError(empty, empty)), ErrEmpty, "losses.SquaredError: predictions of shape (0,3) have no elements"},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) || c.err.Error() != c.msg {
			t.Errorf("%s: got error %v, want %q wrapping %v", c.name, c.err, c.msg, c.want)
		}
	}
	if err := ag.Maybe(func() { CrossEntropy(y3, []int{0, 0, 0}) }); !errors.Is(err, ag.ErrShape) {
		t.Errorf("1-D logits: got %v, want a panic wrapping autograd.ErrShape", err)
	}
}

func second[T any](_ T, err error) error { return err }
