package autograd

import "sync/atomic"

// Heap nodes. An operation whose operands are all parameters or heap values (no operand on a
// tape) has no tape to go on: its result is a heap node, owned by the garbage collector like a
// PyTorch tensor. Heap nodes are ordered by a global creation counter, and Backward walks them in
// reverse creation order after the tape's own nodes (a tape node may consume a heap node, never
// the reverse). This keeps micrograd-style code over parameters, and parameter-only terms such as
// weight penalties inside a taped training step, working without a tape, and it is safe for
// concurrent use. Heap nodes are slower than tape nodes (one allocation each) and are not
// affected by Tape.NoGrad.

var heapSeq atomic.Uint64

// Const returns a heap constant with a copy of data; see Tape.Const.
func Const(data []float64, shape ...int) Var { return (*Tape)(nil).Const(data, shape...) }

// Scalar returns a float64 heap scalar constant.
func Scalar(x float64) Var { return (*Tape)(nil).Scalar(x) }

// Full returns a heap constant filled with x.
func Full(dt DType, x float64, shape ...int) Var { return (*Tape)(nil).Full(dt, x, shape...) }

// seqHeap is a max-heap of heap nodes by creation order, for container/heap.
type seqHeap []*node

func (h seqHeap) Len() int           { return len(h) }
func (h seqHeap) Less(i, j int) bool { return h[i].seq > h[j].seq }
func (h seqHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *seqHeap) Push(n any)        { *h = append(*h, n.(*node)) }

func (h *seqHeap) Pop() any {
	s := *h
	n := s[len(s)-1]
	*h = s[:len(s)-1]
	return n
}
