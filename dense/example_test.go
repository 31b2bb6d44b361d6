package dense_test

import (
	"fmt"

	"gorgonia.org/tensor"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/dense"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// A *tensor.Dense trained in place: Param shares its storage, so the optimizer's steps change
// the tensor, and FromVar shows the gradient as a tensor.
func Example() {
	w := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{3, -1}))
	p := dense.Param(w)
	opt, err := optim.NewSGD([]ag.Var{p}, optim.SGDConfig{LR: 0.25})
	if err != nil {
		panic(err)
	}
	loss := ops.Sum(ops.Square(p)) // ∂/∂p Σp² = 2p
	if err := ag.Backward(loss); err != nil {
		panic(err)
	}
	fmt.Println("gradient:", dense.FromVar(p.Grad()).Data())
	opt.Step() // p ← p − 0.25·2p = p/2
	fmt.Println("tensor after one step:", w.Data())
	// Output:
	// gradient: [6 -2]
	// tensor after one step: [1.5 -0.5]
}
