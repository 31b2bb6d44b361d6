package layers

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestInitDistributions draws 40,000 values from each initialiser and checks their bounds
// exactly and their mean and variance against the closed forms within 5 standard errors: the
// standard error of the mean is σ/√n, that of the variance √((μ₄ − σ⁴)/n), with μ₄ the fourth
// central moment (9σ⁴/5 for a uniform, about 3σ⁴ or less for the truncated normals here; 3σ⁴
// is used, an upper bound). 5 standard errors make a false failure about 1 in 10⁶.
func TestInitDistributions(t *testing.T) {
	const fanIn, fanOut = 200, 200
	phi := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
	Phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	// The variance of N(μ, σ²) truncated to [μ + ασ, μ + βσ]:
	// σ²(1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²), Z = Φ(β) − Φ(α); its mean is
	// μ + σ(φ(α) − φ(β))/Z.
	truncated := func(mu, sd, a, b float64) (mean, variance float64) {
		al, be := (a-mu)/sd, (b-mu)/sd
		z := Phi(be) - Phi(al)
		d := (phi(al) - phi(be)) / z
		return mu + sd*d, sd * sd * (1 + (al*phi(al)-be*phi(be))/z - d*d)
	}
	tnMean, tnVar := truncated(0, 1, -2, 2)
	skMean, skVar := truncated(0.5, 2, 0, 3) // asymmetric bounds
	bound := 1 / math.Sqrt(fanIn)
	cases := []struct {
		name           string
		init           Initializer
		lo, hi         float64
		mean, variance float64
	}{
		{"TorchUniform", TorchUniform, -bound, bound, 0, bound * bound / 3},
		{"KaimingUniform(√5)", KaimingUniform(math.Sqrt(5)), -bound, bound, 0, bound * bound / 3},
		{"KaimingUniform(0)", KaimingUniform(0), -math.Sqrt(6.0 / fanIn), math.Sqrt(6.0 / fanIn), 0, 2.0 / fanIn},
		{"TruncatedNormal(0, 1, -2, 2)", TruncatedNormal(0, 1, -2, 2), -2, 2, tnMean, tnVar},
		{"TruncatedNormal(0.5, 2, 0, 3)", TruncatedNormal(0.5, 2, 0, 3), 0, 3, skMean, skVar},
	}
	for _, c := range cases {
		xs := make([]float64, fanIn*fanOut)
		c.init(rand.New(rand.NewPCG(7, 0)), fanIn, fanOut, xs)
		for _, x := range xs {
			if x < c.lo || x > c.hi {
				t.Errorf("%s: value %g outside [%g, %g]", c.name, x, c.lo, c.hi)
				break
			}
		}
		n := float64(len(xs))
		mean, sd := moments(xs)
		variance := sd * sd
		if se := math.Sqrt(c.variance / n); math.Abs(mean-c.mean) > 5*se {
			t.Errorf("%s: mean %g, want %g ± %g (5 standard errors)", c.name, mean, c.mean, 5*se)
		}
		if se := math.Sqrt(2 * c.variance * c.variance / n); math.Abs(variance-c.variance) > 5*se {
			t.Errorf("%s: variance %g, want %g ± %g (5 standard errors)", c.name, variance, c.variance, 5*se)
		}
	}
}

// TestTruncatedNormalFarTail checks that bounds far in a tail, where rejection sampling would
// almost never accept, still give values inside them.
func TestTruncatedNormalFarTail(t *testing.T) {
	xs := make([]float64, 1000)
	TruncatedNormal(0, 1, 6, 6.5)(rand.New(rand.NewPCG(1, 0)), 1, 1, xs)
	for _, x := range xs {
		if x < 6 || x > 6.5 || math.IsNaN(x) {
			t.Fatalf("value %g outside [6, 6.5]", x)
		}
	}
}

func TestOrthogonal(t *testing.T) {
	for _, c := range []struct {
		in, out int
		gain    float64
	}{{5, 3, 1}, {3, 5, 2}, {4, 4, 0.5}, {1, 6, 1}} {
		w := NewLinear(c.in, c.out, WithInit(Orthogonal(c.gain)), WithSeed(3)).Weight
		tp := ag.NewTape()
		m := tp.Const(w.Float64s(), c.in, c.out)
		// WᵀW (out×out) when the columns are orthonormal, W Wᵀ (in×in) when the rows are.
		gram, k := ops.MatMulT(m, m, true, false), c.out
		if c.in < c.out {
			gram, k = ops.MatMulT(m, m, false, true), c.in
		}
		g := gram.Float64s()
		for i := range k {
			for j := range k {
				want := 0.0
				if i == j {
					want = c.gain * c.gain
				}
				if math.Abs(g[i*k+j]-want) > 1e-12 { // a few roundings of sums of k ≤ 6 products
					t.Errorf("%d×%d gain %g: Gram matrix [%d,%d] = %g, want %g", c.in, c.out, c.gain, i, j, g[i*k+j], want)
				}
			}
		}
	}
	err := ag.Maybe(func() { NewLinear(3, 2, WithBiasInit(Orthogonal(1))) })
	if !errors.Is(err, ErrSize) {
		t.Errorf("Orthogonal bias: got %v, want an error wrapping ErrSize", err)
	}
}

func TestInitMisuse(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"TruncatedNormal std 0", func() { TruncatedNormal(0, 0, -1, 1) }},
		{"TruncatedNormal a > b", func() { TruncatedNormal(0, 1, 1, -1) }},
		{"TruncatedNormal infinite bound", func() { TruncatedNormal(0, 1, math.Inf(-1), 1) }},
		{"Orthogonal NaN gain", func() { Orthogonal(math.NaN()) }},
		{"KaimingUniform infinite slope", func() { KaimingUniform(math.Inf(1)) }},
	} {
		if err := ag.Maybe(c.fn); !errors.Is(err, ag.ErrValue) {
			t.Errorf("%s: got %v, want an error wrapping autograd.ErrValue", c.name, err)
		}
	}
}

func TestTorchDefaults(t *testing.T) {
	l := NewLinear(16, 4, TorchDefaults(), WithSeed(1))
	b := 1 / math.Sqrt(16)
	for _, p := range l.NamedParams() {
		nonzero := false
		for _, v := range p.Var.Float64s() {
			if math.Abs(v) > b {
				t.Errorf("%s: %g outside ±1/√16", p.Name, v)
			}
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			t.Errorf("%s: all zeros, want U(±1/√16) as torch's nn.Linear", p.Name)
		}
	}
	// The package's default is unchanged: Glorot weights, zero bias.
	if got := NewLinear(16, 4).Bias.Float64s(); !cmp.Equal(got, make([]float64, 4)) {
		t.Errorf("default bias %v, want zeros", got)
	}
}

// TestSeeding checks the package's generator: layers built one after the other differ; the same
// seed, by WithSeed or by SetSeed before building, gives the same model.
func TestSeeding(t *testing.T) {
	a, b := NewLinear(32, 32), NewLinear(32, 32)
	if cmp.Equal(a.Weight.Float64s(), b.Weight.Float64s()) {
		t.Error("two NewLinear(32, 32) in a row have the same weights")
	}
	d1, d2 := NewDropout(0.5, nil), NewDropout(0.5, nil)
	tp := ag.NewTape()
	x := tp.Const(make([]float64, 64), 64)
	ones := ops.AddScalar(x, 1)
	if cmp.Equal(d1.Forward(ones).Float64s(), d2.Forward(ones).Float64s()) {
		t.Error("two NewDropout(0.5, nil) draw the same mask")
	}
	if !cmp.Equal(NewLinear(8, 8, WithSeed(5)).Weight.Float64s(), NewLinear(8, 8, WithSeed(5)).Weight.Float64s()) {
		t.Error("WithSeed(5) twice gives different weights")
	}
	build := func() map[string][]float64 {
		m := NewSequential(NewLinear(4, 8), ReLU{}, NewMLP([]int{8, 8, 2}, Tanh{}, SoftmaxHead))
		return values(m)
	}
	SetSeed(42)
	first := build()
	SetSeed(42)
	second := build()
	if !cmp.Equal(first, second) {
		t.Error("the same model built twice after SetSeed(42) differs")
	}
	SetSeed(43)
	if cmp.Equal(first, build()) {
		t.Error("SetSeed(42) and SetSeed(43) give the same model")
	}
}
