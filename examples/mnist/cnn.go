package main

import (
	"errors"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
)

// errNoConv reports that the convolution layers the CNN needs are not there yet.
var errNoConv = errors.New("mnist: -model cnn needs the convolution layers of issue 10 (layers.NewConv2d, NewMaxPool2d, Flatten, Dropout2d), which this build does not have yet; use -model mlp")

// cnn returns the network of PyTorch's examples/mnist, on inputs of shape (b, 1, 28, 28):
//
//	conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, max-pool 2, dropout 0.25, flatten (9216),
//	fc 9216→128, ReLU, dropout 0.5, fc 128→10
//
// with Adadelta, learning rate lr (0: 1) decayed ×0.7 after every epoch (StepLR), as that
// example. To be written once the convolution layers exist: build the layers with dtype dt and
// weights drawn from seed, then
//
//	opt, err := optim.NewAdadelta(layers.Params(m), optim.AdadeltaConfig{LR: lr})
//	sched, err := optim.NewStepLR(opt, 1, 0.7)
func cnn(dt ag.DType, seed uint64, lr float64) (layers.Module, optim.Optimizer, optim.Scheduler, error) {
	return nil, nil, nil, errNoConv
}
