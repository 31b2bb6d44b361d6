// Package ops holds the operations of the engine: a small set of primitives, each with one entry
// in the table of derivative rules (vjp.go), and composites built from them.
//
// Elementwise operations follow NumPy's broadcasting rules; every rule sums its gradient back to
// its input's shape (sumLike). Rules are written with the same operations, so the backward pass
// can itself be recorded and differentiated (autograd.Grad with autograd.CreateGraph).
//
// Convolutions and pools work on NCHW batches and are composed from two primitives, Im2col, which
// unfolds sliding windows into columns, and Col2im, its adjoint, which folds them back: each is
// the other's derivative rule. Conv2d multiplies the unfolded input by the reshaped weight with
// MatMul, ConvTranspose2d multiplies by the transposed weight and folds, MaxPool2d and AvgPool2d
// reduce the unfolded windows.
//
// Misuse panics with an *autograd.Error that names the operation and the shapes at fault, for
// example
//
//	ops.MatMul: (2,3) x (2,3): inner dimensions 3 and 2 differ
//
// autograd.Maybe turns such a panic into an error.
package ops
