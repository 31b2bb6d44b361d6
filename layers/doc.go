// Package layers builds neural networks from the operations of package ops: dense layers,
// convolutions and pools, embeddings, activations, dropout, normalisation (LayerNorm, RMSNorm,
// BatchNorm1d and BatchNorm2d), containers, residual blocks, a multilayer perceptron and the
// classic perceptron.
//
// A Module maps a batch x of shape (batch, features) to its output with Forward, recording the
// computation on x's tape, and lists its parameters with NamedParams, in a stable order and under
// stable names such as "0.weight" (the index in a Sequential, then the field). Parameters are
// autograd parameters: they survive Tape.Reset, so a training loop resets its tape every step
// while the model's weights live on. Users never register parameters by hand: containers walk
// their children, and Collect finds the parameters of any struct by reflection.
//
// Gradients are never written by hand: every layer is a composition of ops, whose derivative
// rules give the gradients through the chain rule. The one exception is Perceptron.Fit, which
// is not gradient based: it applies Rosenblatt's learning rule, because the hard threshold has
// zero derivative.
//
// Notation of the course, used by MLP.ForwardTrace: a⁽¹⁾ is the input, Z⁽ʲ⁺¹⁾ = a⁽ʲ⁾ Wʲ + b
// is the pre-activation of layer j+1 and a⁽ʲ⁺¹⁾ = f(Z⁽ʲ⁺¹⁾) its activation. Weights have shape
// (in, out), so that a row of the batch times W gives the next layer's row.
//
// Convolution and pooling layers (Conv1d, Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d,
// AdaptiveAvgPool2d, Dropout2d) take (batch, channels, height, width) images, or (batch, channels,
// length) sequences for Conv1d, as PyTorch does; a convolution's weight has PyTorch's shape
// (out, in/groups, kh, kw) and default initialisation (TorchUniform), so checkpoints carry
// PyTorch's names and shapes. Flatten turns images into rows for a Linear layer. Their geometry
// is set by options: WithStride, WithPadding, WithDilation, WithGroups, WithKernel, WithoutBias,
// WithOutputPadding.
//
// A module of several inputs and outputs (attention, a recurrent cell) is a MultiModule; a Model
// is anything with NamedParams, and Params, SetTraining, Modules and the checkpoint package's
// Save and Load take any Model. Buffers (BatchNorm's running statistics) are state that is saved
// but not trained: see Buffers.
//
// Initial weights come from the initialiser of WithInit and the generator of WithSeed or
// WithRand; without either, each constructor call seeds its own generator from the package's
// (see SetSeed), so that two layers built one after the other differ while a program building
// its model the same way gets the same weights every run.
//
// The checkpoint package stores the named parameters and buffers, and optionally an optimizer's
// state, in files that PyTorch and NumPy read under the same names and shapes.
//
// Misuse (a layer size below 1, an input of the wrong width) panics with an *autograd.Error
// naming the layer; data that do not fit (Perceptron.Fit's) are returned as errors.
package layers
