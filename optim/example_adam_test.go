package optim_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// Adam on E = Σ w². Its first step moves every weight by the learning rate against the sign of
// its gradient, whatever the gradient's size (m̂/√v̂ = g/|g| at step 1); later steps shrink as the
// gradients do.
func ExampleAdam() {
	w := ag.NewParam([]float64{1, -2})
	opt, err := optim.NewAdam([]ag.Var{w}, optim.AdamConfig{LR: 0.1})
	if err != nil {
		panic(err)
	}
	tp := ag.NewTape()
	for step := 1; step <= 200; step++ {
		tp.Reset()
		loss := ops.Sum(ops.Square(w))
		opt.ZeroGrad()
		if err := ag.Backward(loss); err != nil {
			panic(err)
		}
		opt.Step()
		if step == 1 {
			fmt.Printf("step 1: w = (%.4f, %.4f)\n", w.At(0), w.At(1))
		}
	}
	e := w.At(0)*w.At(0) + w.At(1)*w.At(1)
	fmt.Println("step 200: E < 1e-6:", e < 1e-6)
	// Output:
	// step 1: w = (0.9000, -1.9000)
	// step 200: E < 1e-6: true
}
