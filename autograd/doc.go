// Package autograd is a reverse-mode automatic differentiation engine built on a tape.
//
// A Tape is a Wengert list: every operation appends a node that holds its output value, its
// inputs and its primitive (which knows the primitive's vector-Jacobian product). Backward walks
// the nodes in reverse order and applies the chain rule,
//
//	total gradient = upstream gradient × local gradient,
//
// accumulating into each input. There is no recursion anywhere, so chains of millions of
// operations differentiate without growing the goroutine stack.
//
// Values are Vars: small handles to a node. A Var is either
//   - a parameter (NewParam, or WrapParam to share the caller's slice): a long-lived leaf with
//     its storage and a gradient buffer, that survives Tape.Reset;
//   - a tape leaf (Tape.Const, Tape.Variable): an input bound to one step of one tape;
//   - an intermediate result produced by an operation (see package ops). An operation whose
//     operands are all parameters or heap values has no tape to go on: its result is a heap
//     value (see heap.go), so micrograd-style code over parameters needs no tape at all.
//
// Values are plain Go slices (Data64, Data32); package dense converts them to and from
// gorgonia.org/tensor's *tensor.Dense, so this package links no third-party module.
//
// Scalars are rank-0 Vars with the same API as tensors; their value lives inside the node, so
// scalar graphs cost tens of nanoseconds per operation.
//
// Memory: a Tape keeps its nodes and value buffers across Reset, so a training loop that builds
// the same graph every step allocates nothing on the tape in steady state. A Var from a step that was reset is
// stale: using it panics with ErrReleased instead of reading a recycled buffer. A loop that
// forgets Reset grows its tape by a whole graph at every step; a tape that passes
// DefaultGrowthWarning nodes without a Reset says so once on standard error
// (Tape.SetGrowthWarning changes the threshold).
//
// Errors: misuse (shape or dtype mismatches, stale or nil Vars) panics with an *Error that wraps
// one of the sentinel errors below; Maybe turns such a panic into an error. Boundary functions
// (Backward, Grad, HVP, Hessian, CheckGrad) return errors.
//
// Gradients: a leaf (a parameter or a Tape.Variable) owns its gradient, and AccumulateGrad is the
// one rule that adds to it; Backward calls it for every leaf it reaches, and data-parallel code
// (train.ParallelGrad) calls it with each worker's gradients. Var.Grad only reads; ZeroGrad
// forgets the gradient and keeps its buffer, so it may come anywhere in a step. A large
// gradient that Backward computes becomes the parameter's gradient without a copy (see
// storage.go), and a small parameter's, when its rules have GradsInto and it has no gradient
// yet, is summed in the parameter's buffer from the start (see Op.GradsInto).
//
// Derivative rules live in package ops, one table entry per primitive. Every rule is written with
// ops on Vars, so Grad with CreateGraph records the backward pass and gradients can be
// differentiated again (HVP, Hessian). Under a plain Backward the same rules run without
// recording.
//
// Forward mode: each primitive also has a Jacobian-vector product (Op.JVP), written with ops.
// Tangents sweeps a recorded graph from its inputs to its outputs, computing each node's tangent
// from its inputs' tangents, at about the cost of the graph itself; JVP does so for a function,
// JacFwd builds Jacobians of functions with few inputs and many outputs one column per sweep,
// and Jacobian picks forward or reverse mode by the shapes. Tangents are recorded values, so the
// modes compose: HVP and Hessian sweep the recorded gradient forward (forward-over-reverse), and
// fall back to reverse-over-reverse (HVPRev, HessianRev) for an operation without a JVP rule.
// CheckJVP checks forward mode as CheckGrad checks reverse mode.
//
// # Writing operations
//
// Everyday code needs only the constructors (NewParam, NewTape, Tape.Const, ...), the accessors
// of Var, Backward or Grad, and the operations of packages ops, layers and losses. The rest of
// this package's API is for writing operations, as package ops does and as users may; it lives
// mostly in op.go:
//   - an Op names a primitive and holds its derivative rules, one vector-Jacobian product per
//     input and one Jacobian-vector product (Op.JVP), written with differentiable operations so
//     that CreateGraph can differentiate them again; a rule's new result belongs to the backward
//     pass, which may add into it (see Op.Grads); Op.GradsInto and Op.ScalarGrads are optional
//     faster forms of the same rules (adding into a gradient in place; numbers for scalars);
//   - Var.Operand (or Var.Check) checks an operand once and gives its shape, dtype and values;
//   - NewResult allocates the output on the operands' tape and records it, and the operation
//     computes the value into the output's storage; ScalarResult and ScalarUnaryResult are its
//     fast paths for scalars, NewResultOn puts a result of parameters alone on a given tape,
//     View and ViewOn reshape without copying, Detach cuts the graph;
//   - Var.SetInts, SetFloat and SetAux store an operation's attributes on its output right after
//     NewResult, for the rules to read back with Var.Ints, FloatAttr, Aux and Inputs;
//   - Panicf reports misuse as an *Error naming the operation, wrapping one of the sentinel
//     errors;
//   - CheckGrad and CheckJVP prove the rules right against finite differences at orders 1 and 2;
//   - MarkEngine, called from an init function, makes anomaly reports skip a package's frames.
//
// Example_userDefinedOp is a complete user-defined operation with its own rule.
package autograd
