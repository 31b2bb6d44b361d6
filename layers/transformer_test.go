package layers

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestTransformerCheckGrad checks the pre-norm block (causal, no dropout) and the positional
// embedding by finite differences at order 1, with respect to the input and every parameter.
func TestTransformerCheckGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	blk := NewTransformerBlock(4, 2, 6, 0, true, WithSeed(3))
	ps := blk.NamedParams()
	inputs := []ag.Var{randParam(rng, 2, 3, 4)}
	for _, p := range ps {
		inputs = append(inputs, randParam(rng, p.Var.Shape()...))
	}
	block := func(xs ...ag.Var) ag.Var {
		b := *blk
		sa, l1, l2, n1, n2 := *blk.SelfAttn, *blk.Linear1, *blk.Linear2, *blk.Norm1, *blk.Norm2
		sa.InProjWeight, sa.InProjBias, sa.OutProjWeight, sa.OutProjBias = xs[1], xs[2], xs[3], xs[4]
		l1.Weight, l1.Bias, l2.Weight, l2.Bias = xs[5], xs[6], xs[7], xs[8]
		n1.Weight, n1.Bias, n2.Weight, n2.Bias = xs[9], xs[10], xs[11], xs[12]
		b.SelfAttn, b.Linear1, b.Linear2, b.Norm1, b.Norm2 = &sa, &l1, &l2, &n1, &n2
		return ops.Square(b.Forward(xs[0]))
	}
	if err := ag.CheckGrad(block, inputs); err != nil {
		t.Errorf("TransformerBlock, order 1: %v", err)
	}
	pos := func(xs ...ag.Var) ag.Var {
		p := &PositionalEmbedding{Weight: xs[1], MaxLen: 5}
		return ops.Square(p.Forward(xs[0]))
	}
	if err := ag.CheckGrad(pos, []ag.Var{randParam(rng, 2, 3, 4), randParam(rng, 5, 4)}); err != nil {
		t.Errorf("PositionalEmbedding, order 1: %v", err)
	}
}

// TestTransformerDropoutModes checks that the block's dropout acts in training mode only: two
// training passes differ, two evaluation passes agree and differ from training.
func TestTransformerDropoutModes(t *testing.T) {
	blk := NewTransformerBlock(8, 2, 16, 0.5, false, WithSeed(4))
	x := randParam(rand.New(rand.NewPCG(1, 2)), 2, 3, 8)
	t1, t2 := blk.Forward(x).Float64s(), blk.Forward(x).Float64s()
	Eval(blk)
	e1, e2 := blk.Forward(x).Float64s(), blk.Forward(x).Float64s()
	if slices.Equal(t1, t2) {
		t.Errorf("two training passes with dropout 0.5 gave the same output")
	}
	if !slices.Equal(e1, e2) || slices.Equal(e1, t1) {
		t.Errorf("evaluation passes: equal %v (want true), equal to training %v (want false)", slices.Equal(e1, e2), slices.Equal(e1, t1))
	}
	names := []string{}
	for _, p := range blk.NamedParams() {
		names = append(names, p.Name)
	}
	want := []string{"self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
		"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}
	if !slices.Equal(names, want) {
		t.Errorf("NamedParams names %v; want %v", names, want)
	}
}

// TestTransformerBadInput checks the typed errors of the block and the positional embedding.
func TestTransformerBadInput(t *testing.T) {
	tp := ag.NewTape()
	zeros := func(shape ...int) ag.Var { return tp.Zeros(ag.Float64, shape...) }
	blk, pos := NewTransformerBlock(4, 2, 8, 0, false), NewPositionalEmbedding(5, 4)
	cases := []struct {
		name string
		fn   func()
		kind error
		want []string
	}{
		{"block width", func() { blk.Forward(zeros(2, 3, 6)) }, ag.ErrShape, []string{"layers.TransformerBlock", "(2,3,6)", "(batch, seq, 4)"}},
		{"block heads", func() { NewTransformerBlock(6, 4, 8, 0, false) }, ErrSize, []string{"4 heads", "width 6"}},
		{"block dropout", func() { NewTransformerBlock(4, 2, 8, 1, false) }, ErrSize, []string{"layers.NewTransformerBlock", "dropout probability 1"}},
		{"too long", func() { pos.Forward(zeros(1, 6, 4)) }, ag.ErrShape, []string{"layers.PositionalEmbedding", "(1,6,4)", "1 to 5"}},
		{"empty sequence", func() { blk.Forward(zeros(2, 0, 4)) }, ag.ErrShape, []string{"empty sequence", "(2,0,4)"}},
	}
	for _, c := range cases {
		err := ag.Maybe(c.fn)
		var e *ag.Error
		if !errors.As(err, &e) || !errors.Is(err, c.kind) {
			t.Errorf("%s: error %v; want an *autograd.Error wrapping %v", c.name, err, c.kind)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}
