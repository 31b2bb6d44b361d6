package main

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
)

// cnn returns the network of PyTorch's examples/mnist, on inputs of shape (b, 1, 28, 28):
//
//	conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, max-pool 2, dropout 0.25, flatten (9216),
//	fc 9216→128, ReLU, dropout 0.5, fc 128→10
//
// initialised as PyTorch initialises it, with dtype dt and weights drawn from seed, and trained
// with Adadelta, learning rate lr (0: 1) decayed ×0.7 after every epoch (StepLR), as that example.
func cnn(dt ag.DType, seed uint64, lr float64) (layers.Module, optim.Optimizer, optim.Scheduler, error) {
	layers.SetSeed(seed)
	opts := []layers.Option{layers.WithDType(dt), layers.TorchDefaults()}
	m := layers.NewSequential(
		layers.NewConv2d(1, 32, 3, opts...),
		layers.ReLU{},
		layers.NewConv2d(32, 64, 3, opts...),
		layers.ReLU{},
		layers.NewMaxPool2d(2),
		layers.NewDropout(0.25, nil),
		layers.NewFlatten(),
		layers.NewLinear(9216, 128, opts...),
		layers.ReLU{},
		layers.NewDropout(0.5, nil),
		layers.NewLinear(128, 10, opts...),
	)
	if lr == 0 {
		lr = 1
	}
	opt, err := optim.NewAdadelta(layers.Params(m), optim.AdadeltaConfig{LR: lr})
	if err != nil {
		return nil, nil, nil, err
	}
	sched, err := optim.NewStepLR(opt, 1, 0.7)
	return m, opt, sched, err
}
