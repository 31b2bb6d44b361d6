package layers

import (
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestLayersForwardMode checks that composite layers get forward mode from their primitives'
// rules: autograd.CheckJVP at orders 1 and 2 (J v against central differences, forward against
// reverse, forward-over-reverse and reverse-over-forward) on an MLP, LayerNorm and multi-head
// attention, with respect to their inputs and every parameter.
func TestLayersForwardMode(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	mlp := NewMLP([]int{3, 4, 2}, GELU{}, SoftmaxHead, WithSeed(2), WithBiasInit(Uniform(-0.5, 0.5)))
	mha := NewMultiHeadAttention(4, 2)
	cases := []struct {
		name   string
		f      func(xs ...ag.Var) ag.Var
		inputs []ag.Var
	}{
		{"MLP", func(xs ...ag.Var) ag.Var {
			net := &MLP{Net: NewSequential(&Linear{Weight: xs[1], Bias: xs[2], In: 3, Out: 4}, GELU{}, &Linear{Weight: xs[3], Bias: xs[4], In: 4, Out: 2}), Sizes: mlp.Sizes, Head: mlp.Head}
			return net.Probabilities(xs[0])
		}, append([]ag.Var{randParam(rng, 2, 3)}, Params(mlp)...)},
		{"LayerNorm", func(xs ...ag.Var) ag.Var {
			l := &LayerNorm{Weight: xs[1], Bias: xs[2], Shape: []int{3}, Eps: 1e-5}
			return ops.Tanh(l.Forward(xs[0]))
		}, []ag.Var{randParam(rng, 2, 2, 3), randParam(rng, 3), randParam(rng, 3)}},
		{"MultiHeadAttention causal", func(xs ...ag.Var) ag.Var {
			m := *mha
			m.InProjWeight, m.InProjBias, m.OutProjWeight, m.OutProjBias = xs[1], xs[2], xs[3], xs[4]
			return ops.Square(m.Attend(xs[0], xs[0], xs[0], ag.Var{}, true))
		}, []ag.Var{randParam(rng, 2, 3, 4), randParam(rng, 12, 4), randParam(rng, 12), randParam(rng, 4, 4), randParam(rng, 4)}},
	}
	for _, c := range cases {
		if err := ag.CheckJVP(c.f, c.inputs, ag.Order(2)); err != nil {
			t.Errorf("%s: CheckJVP(Order(2)) = %v, want nil", c.name, err)
		}
	}
}
