package layers

import ag "github.com/gograd/gograd/autograd"

// TorchLayout is implemented by layers that hold a parameter in another layout than PyTorch's,
// for speed. The checkpoint package converts at the file boundary, so that a checkpoint always
// holds PyTorch's names and shapes and a gograd Sequential exchanges weights with the equivalent
// torch.nn.Sequential with no code.
type TorchLayout interface {
	// TorchTransposed returns the layer's 2-D parameters held as the transpose of PyTorch's
	// layout: Linear's weight is (In, Out) in gograd and (Out, In) in torch.
	TorchTransposed() []ag.Var
}

// TorchTransposed returns Weight: gograd computes x W with W of shape (In, Out); torch.nn.Linear
// holds its weight as (Out, In).
func (l *Linear) TorchTransposed() []ag.Var { return []ag.Var{l.Weight} }

// TorchTransposed returns Weight, (In, 1) here and (1, In) in the equivalent torch.nn.Linear.
func (p *Perceptron) TorchTransposed() []ag.Var { return []ag.Var{p.Weight} }
