package optim_test

import (
	"fmt"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
)

// A training loop by hand: XOR learned by a 2-8-1 MLP, with the binary cross-entropy of its
// logit. Every step resets the tape first, then records the forward pass, clears the gradients,
// runs the backward pass and updates the weights.
func Example_trainingLoop() {
	X := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	T := []float64{0, 1, 1, 0} // x1 xor x2
	model := layers.NewMLP([]int{2, 8, 1}, layers.Tanh{}, layers.SigmoidHead, layers.WithSeed(1))
	opt, err := optim.NewAdam(layers.Params(model), optim.AdamConfig{LR: 0.05})
	if err != nil {
		panic(err)
	}
	tp := autograd.NewTape()
	for range 300 {
		tp.Reset() // release the last step's graph; without it the tape grows at every step
		logits := model.Forward(tp.Const(X, 4, 2))
		loss, err := losses.BCEWithLogits(logits, tp.Const(T, 4, 1))
		if err != nil {
			panic(err)
		}
		opt.ZeroGrad()
		if err := autograd.Backward(loss); err != nil {
			panic(err)
		}
		opt.Step()
	}
	fmt.Println(model.Predict(tp.Const(X, 4, 2)))
	// Output: [0 1 1 0]
}
