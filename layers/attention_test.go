package layers

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestAttentionCheckGrad checks scaled dot-product attention (masked and causal) and
// MultiHeadAttention (self and cross) by finite differences at order 1, with respect to the
// inputs and every parameter.
func TestAttentionCheckGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	mha := NewMultiHeadAttention(4, 2)
	pad := KeyPaddingMask(nil, ag.Float64, []int{3, 1}, 3) // on the heap: CheckGrad records on its own tape
	withParams := func(xs []ag.Var) *MultiHeadAttention {
		m := *mha
		m.InProjWeight, m.InProjBias, m.OutProjWeight, m.OutProjBias = xs[0], xs[1], xs[2], xs[3]
		return &m
	}
	params := func() []ag.Var {
		return []ag.Var{randParam(rng, 12, 4), randParam(rng, 12), randParam(rng, 4, 4), randParam(rng, 4)}
	}
	cases := []struct {
		name   string
		f      func(xs ...ag.Var) ag.Var
		inputs []ag.Var
	}{
		{"SDPA rank 3 causal", func(xs ...ag.Var) ag.Var {
			return ScaledDotProductAttention(xs[0], xs[1], xs[2], ag.Var{}, true)
		}, []ag.Var{randParam(rng, 2, 3, 2), randParam(rng, 2, 3, 2), randParam(rng, 2, 3, 3)}},
		{"SDPA rank 4 padded", func(xs ...ag.Var) ag.Var {
			return ScaledDotProductAttention(xs[0], xs[1], xs[2], pad, false)
		}, []ag.Var{randParam(rng, 2, 2, 2, 2), randParam(rng, 2, 2, 3, 2), randParam(rng, 2, 2, 3, 2)}},
		{"MHA self causal", func(xs ...ag.Var) ag.Var {
			return ops.Square(withParams(xs[1:]).Attend(xs[0], xs[0], xs[0], ag.Var{}, true))
		}, append([]ag.Var{randParam(rng, 2, 3, 4)}, params()...)},
		{"MHA cross padded", func(xs ...ag.Var) ag.Var {
			return ops.Square(withParams(xs[3:]).Attend(xs[0], xs[1], xs[2], pad, false))
		}, append([]ag.Var{randParam(rng, 2, 2, 4), randParam(rng, 2, 3, 4), randParam(rng, 2, 3, 4)}, params()...)},
	}
	for _, c := range cases {
		if err := ag.CheckGrad(c.f, c.inputs); err != nil {
			t.Errorf("%s, order 1: %v", c.name, err)
		}
	}
}

// TestCausalAttentionIgnoresTheFuture checks causal attention against its definition: changing
// the last key and value changes only the last query's output.
func TestCausalAttentionIgnoresTheFuture(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	q, k, v := randParam(rng, 1, 4, 3), randParam(rng, 1, 4, 3), randParam(rng, 1, 4, 3)
	before := ScaledDotProductAttention(q, k, v, ag.Var{}, true).Float64s()
	k.Data64()[11], v.Data64()[11] = 5, -5 // the last position's last feature
	after := ScaledDotProductAttention(q, k, v, ag.Var{}, true).Float64s()
	for i := range before {
		changed := before[i] != after[i]
		if last := i >= 9; changed != last {
			t.Errorf("output %d (query %d): before %g, after %g; want a change only for the last query", i, i/3, before[i], after[i])
		}
	}
	// The first query attends to itself alone: its output is v's first row.
	for j := range 3 {
		if got, want := after[j], v.Data64()[j]; math.Abs(got-want) > 1e-15 {
			t.Errorf("output (0, %d) = %g; want v(0, %d) = %g", j, got, j, want)
		}
	}
}

// TestAttentionBadInput checks the typed errors of attention: each names the layer and shapes.
func TestAttentionBadInput(t *testing.T) {
	tp := ag.NewTape()
	zeros := func(shape ...int) ag.Var { return tp.Zeros(ag.Float64, shape...) }
	mha := NewMultiHeadAttention(4, 2)
	cases := []struct {
		name string
		fn   func()
		kind error
		want []string
	}{
		{"heads do not divide the width", func() { NewMultiHeadAttention(6, 4) }, ErrSize, []string{"layers.NewMultiHeadAttention", "4 heads", "width 6"}},
		{"wrong width", func() { mha.Forward(zeros(2, 3, 5)) }, ag.ErrShape, []string{"layers.MultiHeadAttention", "(2,3,5)", "(batch, Lq, 4)"}},
		{"keys and values differ", func() { mha.Attend(zeros(2, 3, 4), zeros(2, 5, 4), zeros(2, 4, 4), ag.Var{}, false) }, ag.ErrShape, []string{"layers.MultiHeadAttention", "(2,5,4)", "(2,4,4)"}},
		{"empty sequence", func() { mha.Forward(zeros(2, 0, 4)) }, ag.ErrShape, []string{"layers.MultiHeadAttention", "empty sequence", "(2,0,4)"}},
		{"mask does not broadcast", func() { mha.Attend(zeros(2, 3, 4), zeros(2, 5, 4), zeros(2, 5, 4), zeros(4, 5), false) }, ag.ErrShape, []string{"layers.MultiHeadAttention", "mask (4,5)", "(2,2,3,5)"}},
		{"padding mask of another batch", func() {
			mha.Attend(zeros(2, 3, 4), zeros(2, 5, 4), zeros(2, 5, 4), KeyPaddingMask(tp, ag.Float64, []int{1, 2, 3}, 5), false)
		}, ag.ErrShape, []string{"mask (3,1,1,5)"}},
		{"SDPA ranks differ", func() { ScaledDotProductAttention(zeros(2, 3, 4), zeros(3, 4), zeros(3, 4), ag.Var{}, false) }, ag.ErrShape, []string{"layers.ScaledDotProductAttention", "(2,3,4)", "(3,4)"}},
		{"SDPA widths differ", func() { ScaledDotProductAttention(zeros(3, 4), zeros(3, 5), zeros(3, 5), ag.Var{}, false) }, ag.ErrShape, []string{"q (3,4), k (3,5)"}},
		{"length out of range", func() { KeyPaddingMask(tp, ag.Float64, []int{6}, 5) }, ag.ErrValue, []string{"length 6"}},
		{"dtype", func() { mha.Forward(ops.Cast(zeros(1, 2, 4), ag.Float32)) }, ag.ErrDType, []string{"layers.MultiHeadAttention", "float32"}},
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
