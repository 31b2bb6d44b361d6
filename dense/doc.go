// Package dense converts between gograd's values and gorgonia.org/tensor's *tensor.Dense, the
// interchange type of the Go tensor ecosystem: Vars to tensors and back, and npz arrays to
// tensors and back.
//
// The engine itself (autograd, ops, layers, losses, optim, train, data, npz) does not import
// gorgonia.org/tensor, which brings Apache Arrow, flatbuffers and two protobuf libraries with it;
// only programs that import this package build and link them.
//
// Conversions share storage whenever both sides can: FromVar, Param and Const hand over the
// backing slice, so a write on one side is seen on the other. A *tensor.Dense view (a transpose
// or a slice) has no contiguous row-major slice to share: Const and ToArray copy it in row-major
// order, and Param, which must share to let training update the tensor, panics.
package dense
