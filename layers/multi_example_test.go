package layers_test

import (
	"fmt"
	"os"
	"path/filepath"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// mix is a MultiModule of two inputs and two outputs: each output mixes both inputs,
// (a, b) ↦ (tanh(a·Ax + b·Bx), tanh(a·Ay + b·By)), as a recurrent cell mixes its input and state.
type mix struct {
	Ax, Bx, Ay, By *layers.Linear
}

func (m *mix) ForwardN(xs ...ag.Var) []ag.Var {
	if len(xs) != 2 {
		ag.Panicf("mix", ag.ErrValue, "%d inputs; want 2", len(xs))
	}
	a, b := xs[0], xs[1]
	return []ag.Var{
		ops.Tanh(ops.Add(m.Ax.Forward(a), m.Bx.Forward(b))),
		ops.Tanh(ops.Add(m.Ay.Forward(a), m.By.Forward(b))),
	}
}

func (m *mix) NamedParams() []layers.Param { return layers.Collect(m) }

// flowerNet classifies iris flowers from two inputs, the sepal and the petal measures: the
// MultiModule mixes them, a residual block refines the joined features, a linear layer
// classifies. Its Forward takes the batch of train.Fit and splits its columns.
type flowerNet struct {
	Mix   *mix
	Block *layers.Residual
	Head  *layers.Linear
}

func (n *flowerNet) Forward(x ag.Var) ag.Var {
	sepal, petal := ops.Slice(x, 1, 0, 2), ops.Slice(x, 1, 2, 4)
	h := ops.Concat(1, n.Mix.ForwardN(sepal, petal)...)
	return n.Head.Forward(n.Block.Forward(h))
}

func (n *flowerNet) NamedParams() []layers.Param { return layers.Collect(n) }

// A model with a multi-input module and a residual block is trained by train.Fit, and its
// parameters and buffers are found, saved and restored, with no registration by hand.
func Example_multiModule() {
	lin := func(in, out int, seed uint64) *layers.Linear { return layers.NewLinear(in, out, layers.WithSeed(seed)) }
	net := &flowerNet{
		Mix: &mix{Ax: lin(2, 4, 1), Bx: lin(2, 4, 2), Ay: lin(2, 4, 3), By: lin(2, 4, 4)},
		Block: layers.NewResidual(layers.NewSequential(
			lin(8, 8, 5), layers.NewBatchNorm1d(8), layers.ReLU{}, lin(8, 8, 6))),
		Head: lin(8, 3, 7),
	}
	for _, p := range net.NamedParams()[6:10] {
		fmt.Println("parameter", p.Name, ag.FormatShape(p.Var.Shape()))
	}
	for _, b := range layers.Buffers(net) {
		fmt.Println("buffer", b.Name, ag.FormatShape(b.Var.Shape()))
	}
	fmt.Println(len(layers.Params(net)), "parameters for the optimizer")

	iris, err := datasets.Iris()
	if err != nil {
		panic(err)
	}
	if _, err := data.Standardize(&iris); err != nil {
		panic(err)
	}
	opt, err := optim.NewAdam(layers.Params(net), optim.AdamConfig{LR: 0.01})
	if err != nil {
		panic(err)
	}
	if _, err := train.Fit(net, opt, iris, train.Config{Epochs: 30, BatchSize: 16, Seed: 1}); err != nil {
		panic(err)
	}
	acc, err := train.Accuracy(net, iris) // in evaluation mode: BatchNorm uses its running statistics
	if err != nil {
		panic(err)
	}
	fmt.Printf("training accuracy %.2f\n", acc)

	dir, err := os.MkdirTemp("", "multi")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "flower.npz")
	if err := checkpoint.Save(path, net); err != nil {
		panic(err)
	}
	if err := checkpoint.Load(path, net); err != nil {
		panic(err)
	}
	fmt.Println("saved and restored")
	// Output:
	// parameter mix.by.weight (2,4)
	// parameter mix.by.bias (4)
	// parameter block.body.0.weight (8,8)
	// parameter block.body.0.bias (8)
	// buffer block.body.1.running_mean (8)
	// buffer block.body.1.running_var (8)
	// buffer block.body.1.num_batches_tracked ()
	// 16 parameters for the optimizer
	// training accuracy 0.97
	// saved and restored
}
