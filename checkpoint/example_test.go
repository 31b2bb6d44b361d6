package checkpoint_test

import (
	"fmt"
	"os"
	"path/filepath"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// Save writes a model's parameters and its optimizer's state to a NumPy .npz archive; Load
// restores them into a model of the same architecture. A Linear weight is stored as PyTorch
// holds it, (out, in).
func ExampleSave() {
	dir, err := os.MkdirTemp("", "gograd-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.npz")

	model := layers.NewMLP([]int{2, 3, 1}, layers.Tanh{}, layers.LinearHead, layers.WithSeed(1))
	opt, err := optim.NewAdam(layers.Params(model), optim.AdamConfig{LR: 0.01})
	if err != nil {
		panic(err)
	}
	tp := ag.NewTape()
	x := tp.Const([]float64{0.5, -1}, 1, 2)
	if err := ag.Backward(ops.Sum(ops.Square(model.Forward(x)))); err != nil { // one step towards 0
		panic(err)
	}
	opt.Step()
	if err := checkpoint.Save(path, model, opt); err != nil {
		panic(err)
	}
	arrays, err := npz.ReadFile(path) // what numpy.load sees
	if err != nil {
		panic(err)
	}
	for _, a := range arrays {
		fmt.Println(a.Name, a.Shape)
	}

	// A model with other initial weights, and a fresh optimizer, take the saved state.
	restored := layers.NewMLP([]int{2, 3, 1}, layers.Tanh{}, layers.LinearHead, layers.WithSeed(2))
	restoredOpt, err := optim.NewAdam(layers.Params(restored), optim.AdamConfig{LR: 0.01})
	if err != nil {
		panic(err)
	}
	if err := checkpoint.Load(path, restored, restoredOpt); err != nil {
		panic(err)
	}
	fmt.Println("same output:", model.Forward(x).Item() == restored.Forward(x).Item())

	// The optimizer state (Adam's moments and step counts) came back too: one more step on each
	// keeps them equal.
	for _, m := range []struct {
		model layers.Module
		opt   *optim.Adam
	}{{model, opt}, {restored, restoredOpt}} {
		m.opt.ZeroGrad()
		if err := ag.Backward(ops.Sum(ops.Square(m.model.Forward(x)))); err != nil {
			panic(err)
		}
		m.opt.Step()
	}
	fmt.Println("same output after one more step:", model.Forward(x).Item() == restored.Forward(x).Item())
	// Output:
	// 0.weight [3 2]
	// 0.bias [3]
	// 2.weight [1 3]
	// 2.bias [1]
	// optim.lr []
	// optim.0.weight.step []
	// optim.0.weight.exp_avg [3 2]
	// optim.0.weight.exp_avg_sq [3 2]
	// optim.0.bias.step []
	// optim.0.bias.exp_avg [3]
	// optim.0.bias.exp_avg_sq [3]
	// optim.2.weight.step []
	// optim.2.weight.exp_avg [1 3]
	// optim.2.weight.exp_avg_sq [1 3]
	// optim.2.bias.step []
	// optim.2.bias.exp_avg [1]
	// optim.2.bias.exp_avg_sq [1]
	// same output: true
	// same output after one more step: true
}
