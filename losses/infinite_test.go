package losses_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
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
