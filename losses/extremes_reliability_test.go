package losses_test

import (
	"fmt"
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// Numerical extremes: logits, pre-activations and probabilities at ±1e4, ±1e30 and subnormal
// magnitudes (1e-310 is subnormal in float64, 1e-40 in float32) must give finite values and
// finite gradients, equal to the exact limits.

type extremeFn struct {
	name string
	f    func(x ag.Var) ag.Var
}

func must(v ag.Var, err error) ag.Var {
	if err != nil {
		panic(err)
	}
	return v
}

func like(x ag.Var, vals ...float64) ag.Var {
	c := ops.TapeOf(x).Const(vals, x.Shape()...)
	return ops.Cast(c, x.DType())
}

var extremeFns = []extremeFn{
	{"Softmax", func(x ag.Var) ag.Var { return ops.Softmax(x, -1) }},
	{"LogSoftmax", func(x ag.Var) ag.Var { return ops.LogSoftmax(x, -1) }},
	{"LogSumExp", func(x ag.Var) ag.Var { return ops.LogSumExp(x, -1) }},
	{"Sigmoid", ops.Sigmoid},
	{"Softplus", ops.Softplus},
	{"Tanh", ops.Tanh},
	{"BCE of σ(x), targets 1 0", func(x ag.Var) ag.Var { return must(losses.BCE(ops.Sigmoid(x), like(x, 1, 0))) }},
	{"BCEWithLogits, targets 0 1", func(x ag.Var) ag.Var { return must(losses.BCEWithLogits(x, like(x, 0, 1))) }},
	{"BCEWithLogits, targets 0.25 0.75", func(x ag.Var) ag.Var { return must(losses.BCEWithLogits(x, like(x, 0.25, 0.75))) }},
	{"CrossEntropy, label 1", func(x ag.Var) ag.Var { return must(losses.CrossEntropy(ops.Reshape(x, 1, 2), []int{1})) }},
	{"CrossEntropy, label 0", func(x ag.Var) ag.Var { return must(losses.CrossEntropy(ops.Reshape(x, 1, 2), []int{0})) }},
	{"NLL of LogSoftmax", func(x ag.Var) ag.Var {
		return must(losses.NLL(ops.LogSoftmax(ops.Reshape(x, 1, 2), 1), []int{1}))
	}},
}

func extremeInputs(dt ag.DType) [][]float64 {
	sub := 1e-310
	if dt == ag.Float32 {
		sub = 1e-40
	}
	return [][]float64{
		{1e4, -1e4}, {-1e4, 1e4}, {1e4, 1e4}, {-1e4, -1e4},
		{1e30, 0}, {0, 1e30}, {-1e30, 0}, {1e30, -1e30}, {1e30, 1e30}, {-1e30, -1e30},
		{sub, -sub}, {sub, 0}, {-sub, -sub},
		{1e30, sub}, {-1e4, sub},
	}
}

// eval returns the value of f at x (of dtype dt) and its vector-Jacobian product with a seed
// of 1, 2, 3, ... (not all equal, so that softmax's gradient is not trivially 0).
func eval(t *testing.T, f func(ag.Var) ag.Var, in []float64, dt ag.DType) (y, g []float64) {
	t.Helper()
	tp := ag.NewTape()
	x := tp.Variable(in, len(in))
	if dt == ag.Float32 {
		x = tp.Variable32([]float32{float32(in[0]), float32(in[1])}, len(in))
	}
	out := f(x)
	seed := make([]float64, out.Len())
	for i := range seed {
		seed[i] = float64(i + 1)
	}
	s := ops.Cast(tp.Const(seed, out.Shape()...), dt)
	gs, err := ag.Grad([]ag.Var{out}, []ag.Var{x}, ag.Seed(s))
	if err != nil {
		t.Fatal(err)
	}
	return out.Float64s(), gs[0].Float64s()
}

// TestExtremesAreFinite sweeps every function over every extreme input, in both dtypes.
func TestExtremesAreFinite(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, fn := range extremeFns {
			for _, in := range extremeInputs(dt) {
				y, g := eval(t, fn.f, in, dt)
				for _, v := range append(append([]float64{}, y...), g...) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Errorf("%v %s at %v: value %v, gradient %v", dt, fn.name, in, y, g)
						break
					}
				}
			}
		}
	}
}

// TestExtremeLimits checks the values and gradients against the exact limits.
func TestExtremeLimits(t *testing.T) {
	ln2 := math.Ln2
	cases := []struct {
		fn       string
		in       []float64
		want     []float64
		wantGrad []float64 // for the seed 1, 2, ...
	}{
		// softmax([1e30, 0]) = [1, 0]; its Jacobian there is 0.
		{"Softmax", []float64{1e30, 0}, []float64{1, 0}, []float64{0, 0}},
		{"Softmax", []float64{-1e4, 1e4}, []float64{0, 1}, []float64{0, 0}},
		{"Softmax", []float64{1e30, 1e30}, []float64{0.5, 0.5}, []float64{-0.25, 0.25}},
		{"Softmax", []float64{-1e30, -1e30}, []float64{0.5, 0.5}, []float64{-0.25, 0.25}},
		{"Softmax", []float64{-1, -1}, []float64{0.5, 0.5}, []float64{-0.25, 0.25}},
		{"LogSoftmax", []float64{1e30, 0}, []float64{0, -1e30}, []float64{-2, 2}},
		{"LogSoftmax", []float64{1e4, -1e4}, []float64{0, -2e4}, []float64{-2, 2}},
		// LogSumExp([1e30, 1e30]) = 1e30 + log 2, which rounds to 1e30; the gradient is [½, ½].
		{"LogSumExp", []float64{1e30, 1e30}, []float64{1e30}, []float64{0.5, 0.5}},
		{"LogSumExp", []float64{-1e30, -1e30}, []float64{-1e30}, []float64{0.5, 0.5}},
		{"LogSumExp", []float64{1e30, 0}, []float64{1e30}, []float64{1, 0}},
		{"LogSumExp", []float64{-1e4, -1e4}, []float64{-1e4 + ln2}, []float64{0.5, 0.5}},
		// σ(−1e30) = 0 with gradient 0; σ(1e30) = 1 with gradient 0.
		{"Sigmoid", []float64{-1e30, 1e30}, []float64{0, 1}, []float64{0, 0}},
		{"Sigmoid", []float64{-1e4, 1e4}, []float64{0, 1}, []float64{0, 0}},
		// softplus(1e30) = 1e30 with gradient 1; softplus(−1e30) = 0 with gradient 0.
		{"Softplus", []float64{1e30, -1e30}, []float64{1e30, 0}, []float64{1, 0}},
		{"Softplus", []float64{1e4, -1e4}, []float64{1e4, 0}, []float64{1, 0}},
		{"Tanh", []float64{1e30, -1e4}, []float64{1, -1}, []float64{0, 0}},
		// BCEWithLogits(1e4, t=0) = 1e4 with gradient 1, and (−1e4, t=1) the same with −1;
		// the mean over the two divides by 2.
		{"BCEWithLogits, targets 0 1", []float64{1e4, -1e4}, []float64{1e4}, []float64{0.5, -0.5}},
		{"BCEWithLogits, targets 0 1", []float64{-1e4, 1e4}, []float64{0}, []float64{0, 0}},
		{"BCEWithLogits, targets 0 1", []float64{1e30, -1e30}, []float64{1e30}, []float64{0.5, -0.5}},
		{"BCEWithLogits, targets 0.25 0.75", []float64{1e4, -1e4}, []float64{0.75 * 1e4}, []float64{0.375, -0.375}},
		// BCE on probabilities clamps them to [ε, 1−ε] (ε = 1e-7): saturated terms cost −log ε
		// and pass no gradient.
		{"BCE of σ(x), targets 1 0", []float64{-1e30, -1e30}, []float64{-(math.Log(1e-7) + math.Log(1-1e-7)) / 2}, []float64{0, 0}},
		{"BCE of σ(x), targets 1 0", []float64{1e30, -1e30}, []float64{-math.Log(1 - 1e-7)}, []float64{0, 0}},
		// CrossEntropy([1e4, −1e4], label 1) = 2e4 with gradient softmax − onehot = [1, −1].
		{"CrossEntropy, label 1", []float64{1e4, -1e4}, []float64{2e4}, []float64{1, -1}},
		{"CrossEntropy, label 1", []float64{1e30, -1e30}, []float64{2e30}, []float64{1, -1}},
		{"CrossEntropy, label 0", []float64{1e30, -1e30}, []float64{0}, []float64{0, 0}},
		{"CrossEntropy, label 0", []float64{1e30, 1e30}, []float64{ln2}, []float64{-0.5, 0.5}},
		{"NLL of LogSoftmax", []float64{1e4, -1e4}, []float64{2e4}, []float64{1, -1}},
	}
	byName := map[string]func(ag.Var) ag.Var{}
	for _, fn := range extremeFns {
		byName[fn.name] = fn.f
	}
	for _, c := range cases {
		f := byName[c.fn]
		if f == nil {
			t.Fatalf("no function %q", c.fn)
		}
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tol := 1e-15
			if dt == ag.Float32 {
				tol = 1e-6
			}
			y, g := eval(t, f, c.in, dt)
			name := fmt.Sprintf("%v %s at %v", dt, c.fn, c.in)
			if !close(y, c.want, tol) {
				t.Errorf("%s = %v, want %v", name, y, c.want)
			}
			if !close(g, c.wantGrad, tol) {
				t.Errorf("%s: gradient %v, want %v", name, g, c.wantGrad)
			}
		}
	}
}

// TestSubnormalInputs checks that subnormal inputs behave like 0: they neither flush to NaN nor
// lose the first-order term where it is representable (tanh x = x).
func TestSubnormalInputs(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		sub := 1e-310
		if dt == ag.Float32 {
			sub = float64(float32(1e-40))
		}
		in := []float64{sub, -sub}
		ln2 := math.Ln2
		cases := []struct {
			fn             string
			want, wantGrad []float64
		}{
			{"Softmax", []float64{0.5, 0.5}, []float64{-0.25, 0.25}},
			{"LogSoftmax", []float64{-ln2, -ln2}, []float64{-0.5, 0.5}},
			{"LogSumExp", []float64{ln2}, []float64{0.5, 0.5}},
			{"Sigmoid", []float64{0.5, 0.5}, []float64{0.25, 0.5}},
			{"Softplus", []float64{ln2, ln2}, []float64{0.5, 1}},
			{"Tanh", []float64{sub, -sub}, []float64{1, 2}},
			{"BCEWithLogits, targets 0 1", []float64{ln2}, []float64{0.25, -0.25}},
			{"CrossEntropy, label 1", []float64{ln2}, []float64{0.5, -0.5}},
		}
		byName := map[string]func(ag.Var) ag.Var{}
		for _, fn := range extremeFns {
			byName[fn.name] = fn.f
		}
		tol := 1e-15
		if dt == ag.Float32 {
			tol = 1e-6
		}
		for _, c := range cases {
			y, g := eval(t, byName[c.fn], in, dt)
			if !close(y, c.want, tol) || !close(g, c.wantGrad, tol) {
				t.Errorf("%v %s at %v = %v, gradient %v; want %v, %v", dt, c.fn, in, y, g, c.want, c.wantGrad)
			}
		}
	}
}

// close reports whether got and want agree to a relative tolerance (absolute below 1).
func close(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			return false
		}
	}
	return true
}
