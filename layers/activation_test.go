package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

func sqrt(x float64) float64 { return math.Sqrt(x) }

func TestActivations(t *testing.T) {
	x := []float64{-2, -0.5, 0.3, 1.5} // no zeros: ReLU, LeakyReLU and Step are smooth here
	cases := []struct {
		name  string
		m     Module
		order int
		want  []float64
	}{
		{"Sigmoid", Sigmoid{}, 2, []float64{1 / (1 + math.Exp(2)), 1 / (1 + math.Exp(0.5)), 1 / (1 + math.Exp(-0.3)), 1 / (1 + math.Exp(-1.5))}},
		{"Tanh", Tanh{}, 2, []float64{math.Tanh(-2), math.Tanh(-0.5), math.Tanh(0.3), math.Tanh(1.5)}},
		{"ReLU", ReLU{}, 2, []float64{0, 0, 0.3, 1.5}},
		{"LeakyReLU", LeakyReLU{Slope: 0.1}, 2, []float64{-0.2, -0.05, 0.3, 1.5}},
		{"GELU", GELU{}, 2, []float64{-2 * phi(-2), -0.5 * phi(-0.5), 0.3 * phi(0.3), 1.5 * phi(1.5)}},
		// Rows (−2, −0.5) and (0.3, 1.5): e^a/(e^a + e^b).
		{"Softmax", Softmax{}, 2, []float64{1 / (1 + math.Exp(1.5)), 1 / (1 + math.Exp(-1.5)), 1 / (1 + math.Exp(1.2)), 1 / (1 + math.Exp(-1.2))}},
		{"Step", Step{}, 2, []float64{0, 0, 1, 1}},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		got := c.m.Forward(tp.Const(x, 2, 2)).Float64s()
		// The ops and the literals round differently: a few ulps.
		if !cmp.Equal(got, c.want, cmpopts.EquateApprox(1e-14, 1e-16)) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
		if c.m.NamedParams() != nil {
			t.Errorf("%s: got parameters %v, want none", c.name, c.m.NamedParams())
		}
		f := func(xs ...ag.Var) ag.Var { return c.m.Forward(xs[0]) }
		if err := ag.CheckGrad(f, []ag.Var{ag.NewParam(x, 2, 2)}, ag.Order(c.order)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// phi is the standard normal distribution function.
func phi(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }

func TestDropout(t *testing.T) {
	const n, p = 10000, 0.3
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	d := NewDropout(p, rand.New(rand.NewPCG(5, 0)))
	tp := ag.NewTape()
	y := d.Forward(tp.Const(ones)).Float64s()
	zeros := 0
	for i, v := range y {
		switch v {
		case 0:
			zeros++
		case 1 / (1 - p):
		default:
			t.Fatalf("training: element %d is %g, want 0 or %g", i, v, 1/(1-p))
		}
	}
	// Binomial(10000, 0.3): sd ≈ 46 zeros; allow 5 sd.
	if got := float64(zeros) / n; math.Abs(got-p) > 0.023 {
		t.Errorf("training: got a fraction %g of zeros, want about %g", got, p)
	}
	seq := NewSequential(NewLinear(2, 2), ReLU{}, d)
	Eval(seq)
	if d.Training() {
		t.Errorf("Eval(Sequential): dropout still in training mode")
	}
	if got := d.Forward(tp.Const(ones)).Float64s(); !cmp.Equal(got, ones) {
		t.Errorf("eval: got %v..., want the input", got[:4])
	}
	Train(seq)
	if !d.Training() {
		t.Errorf("Train(Sequential): dropout still in evaluation mode")
	}
	f := func(xs ...ag.Var) ag.Var {
		// A fresh layer with the same seed draws the same mask at every evaluation.
		return NewDropout(0.5, rand.New(rand.NewPCG(1, 0))).Forward(xs[0])
	}
	if err := ag.CheckGrad(f, []ag.Var{ag.NewParam([]float64{1, 2, 3, 4, 5, 6}, 2, 3)}, ag.Order(2)); err != nil {
		t.Errorf("Dropout: %v", err)
	}
	if got, want := panicMsg(t, func() { NewDropout(1, nil) }), "layers.NewDropout: probability 1; want a value in [0, 1)"; got != want {
		t.Errorf("p = 1: got panic %q, want %q", got, want)
	}
}
