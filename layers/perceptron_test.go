package layers

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

func TestPerceptronFit(t *testing.T) {
	X := [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
	cases := []struct {
		name      string
		T         []float64
		dt        ag.DType
		converged bool
	}{
		{"AND", []float64{0, 0, 0, 1}, ag.Float64, true},
		{"OR", []float64{0, 1, 1, 1}, ag.Float64, true},
		{"AND float32", []float64{0, 0, 0, 1}, ag.Float32, true},
		{"XOR", []float64{0, 1, 1, 0}, ag.Float64, false}, // not linearly separable
	}
	for _, c := range cases {
		p := NewPerceptron(2, WithDType(c.dt))
		epochs, ok, err := p.Fit(X, c.T, 0.1, 100)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ok != c.converged || (!ok && epochs != 100) {
			t.Errorf("%s: got %d epochs, converged %v; want converged %v", c.name, epochs, ok, c.converged)
		}
		if !ok {
			continue
		}
		tp := ag.NewTape()
		x := tp.Const([]float64{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2)
		if c.dt == ag.Float32 {
			x = tp.Const32([]float32{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2)
		}
		if got := p.Forward(x).Float64s(); !cmp.Equal(got, c.T) {
			t.Errorf("%s: got outputs %v, want %v", c.name, got, c.T)
		}
		w0, w1, w2 := p.Boundary()
		for i, x := range X {
			side := w0+w1*x[0]+w2*x[1] > 0
			if side != (c.T[i] == 1) {
				t.Errorf("%s: example %v is on the wrong side of %g + %g x1 + %g x2 = 0", c.name, x, w0, w1, w2)
			}
		}
	}
}

// TestPerceptronRule checks one update of the rule by hand: from zero weights the output for
// (1, 2) is H(0) = 0, so with t = 1 and η = 0.5: w = 0.5·(1, 2), b = 0.5.
func TestPerceptronRule(t *testing.T) {
	p := NewPerceptron(2)
	if _, _, err := p.Fit([][]float64{{1, 2}}, []float64{1}, 0.5, 1); err != nil {
		t.Fatal(err)
	}
	w0, w1, w2 := p.Boundary()
	if got, want := []float64{w0, w1, w2}, []float64{0.5, 0.5, 1}; !cmp.Equal(got, want) {
		t.Errorf("got (w0, w1, w2) = %v, want %v", got, want)
	}
}

func TestPerceptronErrors(t *testing.T) {
	p := NewPerceptron(2)
	cases := []struct {
		name string
		X    [][]float64
		T    []float64
		want string
	}{
		{"lengths", [][]float64{{0, 0}}, []float64{0, 1}, "layers.Perceptron.Fit: 1 examples, 2 targets"},
		{"width", [][]float64{{0, 0}, {1}}, []float64{0, 1}, "layers.Perceptron.Fit: example 1 has 1 features; want 2"},
		{"target", [][]float64{{0, 0}}, []float64{0.5}, "layers.Perceptron.Fit: target 0 is 0.5; want 0 or 1"},
	}
	for _, c := range cases {
		_, _, err := p.Fit(c.X, c.T, 1, 10)
		if !errors.Is(err, ErrMismatch) || err.Error() != c.want {
			t.Errorf("%s: got error %v, want %q", c.name, err, c.want)
		}
	}
	if got, want := panicMsg(t, func() { NewPerceptron(3).Boundary() }), "layers.Perceptron.Boundary: 3 inputs; the boundary is a line only for 2"; got != want {
		t.Errorf("Boundary: got panic %q, want %q", got, want)
	}
	if got, want := panicMsg(t, func() { NewPerceptron(0) }), "layers.NewPerceptron: input size 0; want at least 1"; got != want {
		t.Errorf("size 0: got panic %q, want %q", got, want)
	}
}

// TestPerceptronCheckGrad confirms that no gradient reaches the weights through the hard
// threshold: the analytic derivative, 0, matches finite differences away from the threshold.
func TestPerceptronCheckGrad(t *testing.T) {
	p := NewPerceptron(2, WithInit(Uniform(0.5, 1)), WithBiasInit(Uniform(-0.1, 0.1)))
	x := ag.NewParam([]float64{1, 2, -1, -3}, 2, 2)
	f := func(xs ...ag.Var) ag.Var {
		q := &Perceptron{Weight: xs[1], Bias: xs[2], In: 2}
		return q.Forward(xs[0])
	}
	if err := ag.CheckGrad(f, []ag.Var{x, p.Weight, p.Bias}, ag.Order(2)); err != nil {
		t.Errorf("Perceptron: %v", err)
	}
}
