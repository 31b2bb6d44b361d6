package layers

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func TestNamedParams(t *testing.T) {
	type custom struct {
		Encoder *Linear
		Blocks  []Module
		Scale   ag.Var
		hidden  ag.Var
		Other   int
	}
	c := &custom{
		Encoder: NewLinear(2, 2),
		Blocks:  []Module{ReLU{}, NewLinear(2, 1)},
		Scale:   ag.ScalarParam(1),
		hidden:  ag.ScalarParam(2),
	}
	cases := []struct {
		name string
		m    Module
		want []string
	}{
		{"MLP", NewMLP([]int{4, 3, 3, 2}, ReLU{}, SoftmaxHead), []string{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}},
		{"MLP dropout", NewMLP([]int{4, 3, 2}, ReLU{}, SoftmaxHead, WithDropout(0.5)), []string{"0.weight", "0.bias", "3.weight", "3.bias"}},
		{"nested", NewSequential(NewLinear(1, 1), NewSequential(Tanh{}, NewLinear(1, 1))), []string{"0.weight", "0.bias", "1.1.weight", "1.1.bias"}},
		{"Collect", NewSequential(moduleOf{c}), []string{"0.encoder.weight", "0.encoder.bias", "0.blocks.1.weight", "0.blocks.1.bias", "0.scale"}},
	}
	for _, c := range cases {
		if got := names(c.m); !cmp.Equal(got, c.want) {
			t.Errorf("%s: got names %q, want %q", c.name, got, c.want)
		}
	}
}

// moduleOf makes any struct a Module whose parameters Collect finds.
type moduleOf struct{ s any }

func (m moduleOf) Forward(x ag.Var) ag.Var { return x }
func (m moduleOf) NamedParams() []Param    { return Collect(m.s) }

func TestMLPCheckGrad(t *testing.T) {
	for _, act := range []Module{Tanh{}, GELU{}, Sigmoid{}} {
		m := NewMLP([]int{3, 4, 2}, act, SoftmaxHead, WithSeed(2), WithBiasInit(Uniform(-0.5, 0.5)))
		x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7}, 2, 3)
		f := func(xs ...ag.Var) ag.Var {
			net := &MLP{Net: NewSequential(&Linear{Weight: xs[1], Bias: xs[2], In: 3, Out: 4}, act, &Linear{Weight: xs[3], Bias: xs[4], In: 4, Out: 2}), Sizes: m.Sizes, Head: m.Head}
			return net.Probabilities(xs[0])
		}
		if err := ag.CheckGrad(f, append([]ag.Var{x}, Params(m)...), ag.Order(2)); err != nil {
			t.Errorf("MLP with %T: %v", act, err)
		}
	}
}

func TestMLPHeads(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Const([]float64{1, 0, 0, 1, -1, -1}, 3, 2)
	soft := NewMLP([]int{2, 3}, ReLU{}, SoftmaxHead)
	copyInto(soft.Net.Layers[0].(*Linear).Weight, []float64{2, 0, 1, 0, 2, 1})
	// Logits: rows (2, 0, 1), (0, 2, 1), (−2, −2, −2): classes 0, 1 and the first of a tie, 0.
	if got, want := soft.Predict(x), []int{0, 1, 0}; !cmp.Equal(got, want) {
		t.Errorf("softmax Predict: got %v, want %v", got, want)
	}
	p := soft.Probabilities(x).Float64s()
	e := 1 + math.Exp(-1) + math.Exp(-2)
	// Row 0: (1, e⁻², e⁻¹)/(1 + e⁻¹ + e⁻²); row 2: uniform.
	want := []float64{1 / e, math.Exp(-2) / e, math.Exp(-1) / e, math.Exp(-2) / e, 1 / e, math.Exp(-1) / e, 1.0 / 3, 1.0 / 3, 1.0 / 3}
	// exp(LogSoftmax) rounds a few times.
	if !cmp.Equal(p, want, cmpopts.EquateApprox(1e-15, 0)) {
		t.Errorf("softmax Probabilities: got %v, want %v", p, want)
	}
	sig := NewMLP([]int{2, 1}, ReLU{}, SigmoidHead)
	copyInto(sig.Net.Layers[0].(*Linear).Weight, []float64{1, -2})
	// Logits 1, −2, 1.
	if got, want := sig.Predict(x), []int{1, 0, 1}; !cmp.Equal(got, want) {
		t.Errorf("sigmoid Predict: got %v, want %v", got, want)
	}
	if got, want := sig.Probabilities(x).Float64s(), []float64{1 / (1 + math.Exp(-1)), 1 / (1 + math.Exp(2)), 1 / (1 + math.Exp(-1))}; !cmp.Equal(got, want, cmpopts.EquateApprox(1e-15, 0)) {
		t.Errorf("sigmoid Probabilities: got %v, want %v", got, want)
	}
	cases := []struct {
		name string
		fn   func()
		want string
	}{
		{"zero size", func() { NewMLP([]int{64, 0, 10}, ReLU{}, SoftmaxHead) }, "layers.NewMLP: layer 1 size 0; want at least 1"},
		{"negative size", func() { NewMLP([]int{-3, 10}, ReLU{}, SoftmaxHead) }, "layers.NewMLP: layer 0 size -3; want at least 1"},
		{"one size", func() { NewMLP([]int{3}, ReLU{}, SoftmaxHead) }, "layers.NewMLP: 1 layer sizes; want at least 2 (input and output)"},
		{"sigmoid width", func() { NewMLP([]int{3, 2}, ReLU{}, SigmoidHead) }, "layers.NewMLP: output size 2 for a sigmoid head; want 1"},
		{"linear Predict", func() { NewMLP([]int{2, 1}, ReLU{}, LinearHead).Predict(x) }, "layers.MLP.Predict: a linear head has no classes; use Forward"},
	}
	for _, c := range cases {
		if got := panicMsg(t, c.fn); got != c.want {
			t.Errorf("%s: got panic %q, want %q", c.name, got, c.want)
		}
	}
}

func TestForwardTrace(t *testing.T) {
	m := NewMLP([]int{2, 3, 2}, ReLU{}, SoftmaxHead, WithSeed(4), WithBiasInit(Uniform(-1, 1)))
	tp := ag.NewTape()
	x := tp.Const([]float64{1, -2, 0.5, 3}, 2, 2)
	out, tr := m.ForwardTrace(x)
	if len(tr) != 3 {
		t.Fatalf("got %d layers, want 3", len(tr))
	}
	l0, l2 := m.Net.Layers[0].(*Linear), m.Net.Layers[2].(*Linear)
	z2 := ops.Add(ops.MatMul(x, l0.Weight), l0.Bias)
	a2 := ops.ReLU(z2)
	z3 := ops.Add(ops.MatMul(a2, l2.Weight), l2.Bias)
	cases := []struct {
		name      string
		got, want ag.Var
	}{
		{"a(1)", tr[0].A, x},
		{"Z(2)", tr[1].Z, z2},
		{"a(2)", tr[1].A, a2},
		{"Z(3)", tr[2].Z, z3},
		{"a(3)", tr[2].A, ops.Softmax(z3, 1)},
		{"out", out, z3},
	}
	for _, c := range cases {
		if !cmp.Equal(c.got.Float64s(), c.want.Float64s()) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if !tr[0].Z.IsNil() {
		t.Errorf("input layer: got Z %v, want the zero Var", tr[0].Z)
	}
}
