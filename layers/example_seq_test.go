package layers_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// An LSTM of two layers over a batch of 2 sequences of 5 steps: the outputs of every step, the
// final states, and PyTorch's parameter names and shapes.
func ExampleLSTM() {
	lstm := layers.NewLSTM(3, 4, 2, layers.WithSeed(1))
	tp := ag.NewTape()
	x := tp.Zeros(ag.Float64, 2, 5, 3) // (batch, seq, features)
	out, h, c := lstm.Run(x, ag.Var{}, ag.Var{})
	fmt.Println("out", out.Shape(), "h", h.Shape(), "c", c.Shape())
	for _, p := range lstm.NamedParams()[:4] {
		fmt.Println(p.Name, p.Var.Shape())
	}
	// Output:
	// out [2 5 4] h [2 2 4] c [2 2 4]
	// weight_ih_l0 [16 3]
	// weight_hh_l0 [16 4]
	// bias_ih_l0 [16]
	// bias_hh_l0 [16]
}

// Causal self-attention by MultiHeadAttention, and the typed error of a width its heads do not
// divide.
func ExampleMultiHeadAttention() {
	mha := layers.NewMultiHeadAttention(8, 2, layers.WithSeed(1))
	tp := ag.NewTape()
	x := tp.Full(ag.Float64, 0.5, 3, 6, 8) // (batch, seq, width)
	y := mha.Attend(x, x, x, ag.Var{}, true)
	fmt.Println(y.Shape(), ops.Sum(y).Shape())
	fmt.Println(ag.Maybe(func() { layers.NewMultiHeadAttention(8, 3) }))
	// Output:
	// [3 6 8] []
	// layers.NewMultiHeadAttention: 3 heads do not divide the width 8
}
