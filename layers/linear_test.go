package layers

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func TestLinearForward(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		l := NewLinear(2, 3, WithDType(dt))
		if got := l.Weight.DType(); got != dt {
			t.Errorf("%v: got weight dtype %v, want %v", dt, got, dt)
		}
		copyInto(l.Weight, []float64{1, 2, 3, 4, 5, 6})
		copyInto(l.Bias, []float64{0.5, -1, 0})
		tp := ag.NewTape()
		x := ops.Cast(tp.Const([]float64{1, 1, 2, -1}, 2, 2), dt)
		// Row (1, 1): (1+4, 2+5, 3+6) + b = (5.5, 6, 9). Row (2, −1): (2−4, 4−5, 6−6) + b = (−1.5, −2, 0).
		want := []float64{5.5, 6, 9, -1.5, -2, 0}
		y := l.Forward(x)
		if got := y.Float64s(); !cmp.Equal(got, want) || !cmp.Equal(y.Shape(), []int{2, 3}) {
			t.Errorf("%v: got %v of shape %v, want %v of shape (2,3)", dt, got, y.Shape(), want)
		}
	}
}

func copyInto(v ag.Var, vals []float64) {
	if v.DType() == ag.Float32 {
		for i, x := range vals {
			v.Data32()[i] = float32(x)
		}
		return
	}
	copy(v.Data64(), vals)
}

func TestLinearCheckGrad(t *testing.T) {
	l := NewLinear(3, 2, WithSeed(3), WithBiasInit(Uniform(-1, 1)))
	x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7}, 2, 3)
	f := func(xs ...ag.Var) ag.Var {
		m := &Linear{Weight: xs[1], Bias: xs[2], In: 3, Out: 2}
		return ops.Tanh(m.Forward(xs[0])) // a non-linear consumer, so that order 2 is not trivially 0
	}
	if err := ag.CheckGrad(f, []ag.Var{x, l.Weight, l.Bias}, ag.Order(2)); err != nil {
		t.Errorf("Linear: %v", err)
	}
}

func TestLinearMisuse(t *testing.T) {
	cases := []struct {
		name string
		fn   func()
		want string
	}{
		{"zero input", func() { NewLinear(0, 3) }, "layers.NewLinear: input size 0; want at least 1"},
		{"negative output", func() { NewLinear(2, -1) }, "layers.NewLinear: output size -1; want at least 1"},
		{"wrong width", func() { NewLinear(2, 3).Forward(ag.NewTape().Const(make([]float64, 6), 2, 3)) }, "layers.Linear: input of shape (2,3); want (batch, 2)"},
	}
	for _, c := range cases {
		if got := panicMsg(t, c.fn); got != c.want {
			t.Errorf("%s: got panic %q, want %q", c.name, got, c.want)
		}
	}
	err := ag.Maybe(func() { NewLinear(0, 1) })
	if !errors.Is(err, ErrSize) {
		t.Errorf("zero size: got %v, want a panic wrapping ErrSize", err)
	}
}

func TestInitializers(t *testing.T) {
	const in, out = 200, 100
	cases := []struct {
		name     string
		init     Initializer
		lo, hi   float64 // bounds every value must respect
		mean, sd float64 // expected moments
	}{
		// a = √(6/300) = √0.02; U(−a, a) has sd a/√3.
		{"GlorotUniform", GlorotUniform, -0.1414214, 0.1414214, 0, 0.1414214 / 1.7320508},
		{"GlorotNormal", GlorotNormal, -1, 1, 0, 0.0816497},     // √(2/300)
		{"HeNormal", HeNormal, -1, 1, 0, 0.1},                   // √(2/200)
		{"HeUniform", HeUniform, -0.1732051, 0.1732051, 0, 0.1}, // a = √(6/200), sd a/√3 = 0.1
		{"Uniform", Uniform(2, 3), 2, 3, 2.5, 0.2886751},        // sd 1/√12
		{"Zeros", Zeros, 0, 0, 0, 0},
	}
	for _, c := range cases {
		a := NewLinear(in, out, WithInit(c.init), WithSeed(7)).Weight.Float64s()
		b := NewLinear(in, out, WithInit(c.init), WithSeed(7)).Weight.Float64s()
		if !cmp.Equal(a, b) {
			t.Errorf("%s: the same seed gave different weights", c.name)
		}
		mean, sd := moments(a)
		for i, v := range a {
			if v < c.lo || v > c.hi {
				t.Errorf("%s: weight %d is %g, outside [%g, %g]", c.name, i, v, c.lo, c.hi)
				break
			}
		}
		// 20000 draws: the sample mean and sd are within ~1% of sd of their expectations;
		// 3% of the sd (plus a tiny absolute slack) leaves room for every seed.
		tol := 0.03*c.sd + 1e-12
		if !cmp.Equal(mean, c.mean, cmpopts.EquateApprox(0, tol)) || !cmp.Equal(sd, c.sd, cmpopts.EquateApprox(0, tol)) {
			t.Errorf("%s: got mean %g and sd %g, want %g and %g", c.name, mean, sd, c.mean, c.sd)
		}
	}
	a := NewLinear(3, 3, WithSeed(1)).Weight.Float64s()
	b := NewLinear(3, 3, WithSeed(2)).Weight.Float64s()
	if cmp.Equal(a, b) {
		t.Errorf("seeds 1 and 2 gave the same weights %v", a)
	}
}

func moments(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, sqrt(sd / float64(len(x)))
}
