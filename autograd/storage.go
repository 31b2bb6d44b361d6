package autograd

import "unsafe"

// Storage policy: where a node's value lives. There are three places.
//
//   - The tape's arenas (arena.go): every value computed on a tape, recycled wholesale by
//     Tape.Reset. A steady training loop allocates nothing there.
//   - Buffers of the tape's node slots: a tensor of at least minOwnBuffer elements computed by the
//     backward pass of Backward (not Grad) gets a buffer that belongs to the slot of its node and
//     is kept across Reset. Such a value may become a parameter's gradient without a copy: the
//     parameter takes the buffer and gives the slot its old gradient buffer in exchange
//     (takeBuffer), so the slot reuses that one at the next step. Each buffer has one owner at a
//     time, a slot or a parameter.
//   - The Go heap: parameters, their gradients, and the values of operations on parameters and
//     heap values alone (heap.go). A nil *Tape stands for the heap here and only here: the
//     constructors of a nil *Tape make heap values.

// minOwnBuffer is the smallest number of elements for which a result of Backward's pass gets a
// buffer of its own instead of arena storage: below it, copying a gradient costs less than
// keeping a buffer per slot.
const minOwnBuffer = 256

// slotBuffer is the storage kept by one node slot of a tape; see takeBuffer.
type slotBuffer struct {
	f64 []float64
	f32 []float32
}

// newNode returns a cleared node on t with the given dtype and shape, and storage for its value.
// The storage is not zeroed. A nil t makes a heap node (see heap.go).
func (t *Tape) newNode(dt DType, shape []int) *node {
	return t.newNodeSized(dt, shape, numel(shape))
}

// newNodeSized is newNode for a shape of size elements, already counted.
func (t *Tape) newNodeSized(dt DType, shape []int, size int) *node {
	// The common cases in one function, without the calls of the general one below: a scalar,
	// or a tensor in the arena, on a tape with a node to spare. Neither newNodeNoStorage nor
	// arena.alloc inlines, and their calls made a tenth of a small tensor's node
	// (bench/instructions.sh, BenchmarkXORStep).
	if t != nil && !(t.collecting && size >= minOwnBuffer) {
		if n := t.next(dt); n != nil {
			if len(shape) == 0 {
				n.setScalarStorage()
				return n
			}
			n.setShape(shape)
			var ok bool
			if dt == Float32 {
				n.f32, ok = t.f32.take(size)
			} else {
				n.f64, ok = t.f64.take(size)
			}
			if !ok { // a new chunk (a failed take leaves both nil): not worth inlining
				t.arenaStorage(n, size)
			}
			return n
		}
	}
	n := t.newNodeNoStorage(dt, shape)
	switch {
	case len(shape) == 0:
		n.setScalarStorage()
	case t == nil && dt == Float32:
		n.f32 = make([]float32, size)
	case t == nil:
		n.f64 = make([]float64, size)
	case t.collecting && size >= minOwnBuffer:
		t.slotStorage(n, size)
	default:
		t.arenaStorage(n, size)
	}
	return n
}

// arenaStorage gives n size elements of t's arena for its dtype.
func (t *Tape) arenaStorage(n *node, size int) {
	if n.dtype == Float32 {
		n.f32 = t.f32.alloc(size)
	} else {
		n.f64 = t.f64.alloc(size)
	}
}

// slotStorage gives n the buffer of its slot, growing it if it holds fewer than size elements.
func (t *Tape) slotStorage(n *node, size int) {
	for len(t.bufs) <= int(n.idx) {
		t.bufs = append(t.bufs, slotBuffer{})
	}
	if b := &t.bufs[n.idx]; n.dtype == Float32 {
		n.f32 = grown(&b.f32, size)
	} else {
		n.f64 = grown(&b.f64, size)
	}
	n.marks |= ownsBuf
}

// grown returns the first size elements of *buf, replacing it first if it holds fewer.
func grown[T float32 | float64](buf *[]T, size int) []T {
	if cap(*buf) < size {
		*buf = make([]T, size)
	}
	return (*buf)[:size:size]
}

// takeBuffer moves the storage of g, a result of the running backward pass or a view of one (as
// Reshape's rule returns), into dst, a parameter's gradient buffer of g's shape, and gives the
// result's slot dst's old storage (if any) to reuse at the next step. It reports false, doing
// nothing, unless the storage is a slot's buffer, whole, made by the running pass (so no one
// outside the pass holds it) and not already taken. g keeps reading the taken values until the
// pass ends (another leaf may collect the same g), and is released then.
func (t *Tape) takeBuffer(g, dst *node) bool {
	src := g
	if g.marks&ownsBuf == 0 && g.op != nil && len(g.inputs) == 1 {
		src = g.inputs[0].n
	}
	if t == nil || src.tape != t || src.marks&ownsBuf == 0 || int(src.idx) < t.pass.start ||
		len(src.f64) != len(g.f64) || len(src.f32) != len(g.f32) ||
		unsafe.SliceData(src.f64) != unsafe.SliceData(g.f64) || unsafe.SliceData(src.f32) != unsafe.SliceData(g.f32) {
		return false
	}
	b := &t.bufs[src.idx]
	if g.dtype == Float32 {
		b.f32, dst.f32 = dst.f32, g.f32
	} else {
		b.f64, dst.f64 = dst.f64, g.f64
	}
	src.marks &^= ownsBuf
	t.pass.taken = append(t.pass.taken, g, src)
	return true
}

// newNodeSharing returns a node on t with the given dtype and shape whose value is f64 or f32
// itself, or for a scalar a copy of it in the node's inline storage.
func (t *Tape) newNodeSharing(dt DType, shape []int, f64 []float64, f32 []float32) *node {
	n := t.newNodeNoStorage(dt, shape)
	if len(shape) == 0 {
		n.setScalarStorage()
		copy(n.f64, f64)
		copy(n.f32, f32)
	} else {
		n.f64, n.f32 = f64, f32
	}
	return n
}

// newNodeNoStorage returns a cleared node on t with the given dtype and shape and no storage.
func (t *Tape) newNodeNoStorage(dt DType, shape []int) *node {
	if t == nil { // a heap node, never recycled (heap.go)
		n := new(node)
		n.dtype, n.seq = dt, heapSeq.Add(1)
		n.setShape(shape)
		return n
	}
	n := t.next(dt)
	if n == nil {
		t.grow()
		n = t.next(dt)
	}
	n.setShape(shape)
	return n
}

// next returns the next node of t, which must not be nil, cleared, with dtype dt, rank 0 and no
// storage, or nil if t has no node left (grow makes more). It is small enough to inline into
// ScalarResult, where scalar graphs make most of their nodes: BenchmarkScalarChain took 12% less
// time than through newNode's three calls.
func (t *Tape) next(dt DType) *node {
	if t.used == len(t.nodes) {
		return nil
	}
	n := t.nodes[t.used]
	// Field by field: the inline buffers need no clearing, and a composite literal would be
	// built on the stack and copied. A tape node's seq is always 0: only heap nodes number it.
	n.tape, n.gen, n.idx = t, t.gen, int32(t.used)
	n.dtype, n.requiresGrad, n.param, n.leaf, n.marks = dt, false, false, false, 0
	n.f64, n.f32 = nil, nil
	n.op, n.inputs, n.attr = nil, nil, nil
	n.shape = n.shapeBuf[:0]
	t.used++
	return n
}
