// Package checkpoint saves and restores a model's named parameters and buffers (see
// layers.Model, layers.Buffers), and optionally an optimizer's state (see optim.Stateful), in the
// files PyTorch and NumPy exchange: NumPy's .npz, Hugging Face's .safetensors, and torch.save's
// .pt (read only). A checkpoint holds PyTorch's names and shapes: a parameter gograd holds
// transposed (see layers.TorchLayout) is transposed at the file boundary, so a gograd Sequential
// exchanges weights with the equivalent torch.nn.Sequential with no code.
//
// It is a package of its own so that layers needs no file format: layers imports only autograd
// and ops, and a program that never saves a model links none of npz, safetensors and ptfile.
//
// Problems with files are returned as errors naming the file and the parameter, wrapping
// ErrMissing or ErrMismatch; misuse (a nil model, two optimizers) panics with an
// *autograd.Error.
package checkpoint
