package losses_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// TestMaskedLogitsOfMinusInfinity checks CrossEntropy and NLL with −Inf entries away from the
// labels, as when classes are masked out: the values and gradients are PyTorch 1.13's
// (torch.nn.functional.cross_entropy and nll_loss, float64), not NaN.
func TestMaskedLogitsOfMinusInfinity(t *testing.T) {
	inf := math.Inf(-1)
	cases := []struct {
		name     string
		in       []float64
		labels   []int
		loss     func(ag.Var, []int) (ag.Var, error)
		want     float64
		wantGrad []float64
	}{
		{"CrossEntropy", []float64{0, inf, 1, 2, 3, inf}, []int{0, 1},
			func(x ag.Var, l []int) (ag.Var, error) { return losses.CrossEntropy(x, l) },
			0.8132616875182228, []float64{-0.36552928931500245, 0, 0.36552928931500245, 0.13447071068499755, -0.13447071068499755, 0}},
		{"NLL", []float64{0, inf, math.Log(0.5), math.Log(0.5)}, []int{0, 1},
			func(x ag.Var, l []int) (ag.Var, error) { return losses.NLL(x, l) },
			0.34657359027997264, []float64{-0.5, 0, 0, -0.5}},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		x := tp.Variable(c.in, 2, len(c.in)/2)
		l, err := c.loss(x, c.labels)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := ag.Backward(l); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// float64 rounding of the same formulas in a different order: a few ulps.
		approx := cmpopts.EquateApprox(1e-14, 1e-15)
		if got := l.Item(); !cmp.Equal(got, c.want, approx) {
			t.Errorf("%s: loss = %v, want %v", c.name, got, c.want)
		}
		if got := x.Grad().Float64s(); !cmp.Equal(got, c.wantGrad, approx) {
			t.Errorf("%s: gradient = %v, want %v", c.name, got, c.wantGrad)
		}
	}
}

// TestBCEBoundsStayInsideTheUnitInterval checks BCE at p = 0 and 1 with an Eps too small for the
// dtype: 1 − ε rounds to 1 (and a tiny ε to 0), yet the loss and gradient stay finite.
func TestBCEBoundsStayInsideTheUnitInterval(t *testing.T) {
	cases := []struct {
		name string
		eps  float64
		dt   ag.DType
	}{
		{"float32, eps 1e-8", 1e-8, ag.Float32},
		{"float32, eps 1e-50", 1e-50, ag.Float32},
		{"float64, eps 1e-17", 1e-17, ag.Float64},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		p := ops.Cast(tp.Variable([]float64{0, 1, 0, 1}, 4), c.dt)
		target := ops.Cast(tp.Const([]float64{0, 1, 1, 0}, 4), c.dt)
		l, err := losses.BCE(p, target, losses.Eps(c.eps))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if v := l.Item(); math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s: BCE = %v, want a finite value", c.name, v)
		}
		if err := ag.Backward(l); err != nil {
			t.Errorf("%s: Backward: %v", c.name, err)
		}
	}
	if err := ag.Maybe(func() { losses.Eps(0) }); !errors.Is(err, ag.ErrValue) {
		t.Errorf("Eps(0): error %v, want ErrValue", err)
	}
}

// TestDTypeMismatchNamesTheLoss checks a loss of float32 predictions and float64 targets panics
// naming the loss, not the op inside it that meets the mismatch.
func TestDTypeMismatchNamesTheLoss(t *testing.T) {
	tp := ag.NewTape()
	y := ops.Cast(tp.Const([]float64{0.5, 0.25}, 2), ag.Float32)
	target := tp.Const([]float64{1, 0}, 2)
	for _, c := range []struct {
		name string
		loss func() (ag.Var, error)
	}{
		{"losses.MSE", func() (ag.Var, error) { return losses.MSE(y, target) }},
		{"losses.BCE", func() (ag.Var, error) { return losses.BCE(y, target) }},
	} {
		err := ag.Maybe(func() { c.loss() })
		if !errors.Is(err, ag.ErrDType) || !strings.HasPrefix(err.Error(), c.name+": predictions are float32, targets float64") {
			t.Errorf("%s of float32 and float64: error %v, want an ErrDType naming %s", c.name, err, c.name)
		}
	}
}
