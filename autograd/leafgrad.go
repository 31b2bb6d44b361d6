package autograd

import (
	"slices"

	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// A leaf's gradient has one owner, the leaf, and one rule: AccumulateGrad (leafGrad.add).
// Backward, train.ParallelGrad and users' own data-parallel schemes all go through it, except
// that Backward sums a small parameter's gradient of a pass straight in the parameter's buffer
// when the parameter has none yet (intoParamGrad), where the rule would have copied it.

// gradState is what a leaf's gradient buffer holds.
type gradState uint8

const (
	gradNone   gradState = iota // no gradient: Grad returns the zero Var
	gradOwned                   // the buffer holds the gradient
	gradZeroed                  // ZeroGrad ran: the buffer is kept for reuse, its values are stale
)

// leafGrad is a leaf's gradient. buf is a node of its own (a heap node for a parameter, a node
// on the leaf's tape for a Tape.Variable) whose storage only the leaf's gradient rule writes
// (add, or a backward pass summing a small parameter's gradient in it: intoParamGrad); it is nil
// until the first gradient arrives. Every change of state or storage moves buf to a new
// generation, so a Var that Grad returned earlier becomes stale instead of showing other values.
type leafGrad struct {
	buf   *node
	state gradState
}

// grad returns the gradient, or the zero Var. It never writes.
func (lg *leafGrad) grad() Var {
	if lg.state != gradOwned {
		return Var{}
	}
	return lg.buf.handle()
}

// zero forgets the gradient. A parameter keeps its buffer; a Tape.Variable's buffer, a node of
// its tape, is released (a tape node's generation must not run ahead of its tape's), and the
// next gradient takes a new one.
func (lg *leafGrad) zero() {
	switch {
	case lg.state != gradOwned:
	case lg.buf.tape != nil:
		lg.buf.gen = 0
		lg.buf, lg.state = nil, gradNone
	default:
		lg.buf.gen++
		lg.state = gradZeroed
	}
}

// add adds g to the gradient of leaf n. With steal set, g is a result of the running backward
// pass that no one else holds: if the leaf has no gradient yet, it takes g's storage instead of
// copying it, and hands its old buffer to g's tape for reuse (see Tape.takeBuffer).
func (lg *leafGrad) add(n, g *node, steal bool) {
	if lg.state == gradOwned {
		addInto(lg.buf, lg.buf, g)
		return
	}
	if lg.buf == nil { // a Tape.Variable's gradient lives on its tape, a parameter's on the heap
		lg.buf = n.tape.newNode(n.dtype, n.shape)
	} else {
		lg.buf.gen++ // a heap node: Vars from before ZeroGrad stay stale
	}
	lg.state = gradOwned
	// Only a slot buffer can be taken, and slots have buffers from minOwnBuffer elements: a
	// smaller gradient is copied without asking (a Tape.Variable's, or a parameter's whose
	// rules have no GradsInto).
	if steal && n.tape == nil && len(g.f64)+len(g.f32) >= minOwnBuffer && g.tape.takeBuffer(g, lg.buf) {
		return
	}
	copyInto(lg.buf, g)
}

// intoParamGrad hands a rule's GradsInto, into, the gradient buffer of parameter n, zeroed, for
// the first gradient Backward's pass finds for n, when n has no gradient (none since ZeroGrad)
// and fewer than minOwnBuffer elements; and if into adds its product there, makes the buffer n's
// slot, a sum the pass owns, and reports true. The pass then sums n's gradient where Grad finds
// it, instead of in a new result copied there at the end (a 2-4-1 network's step,
// BenchmarkXORStep, made one result less per parameter). No Var reads the buffer meanwhile: Grad
// returns the zero Var until the pass ends, and Vars from before ZeroGrad are stale. Larger
// gradients are results in buffers of their own, which the parameter takes without a copy, and
// a gradient already there is added to after the pass's sum, as PyTorch adds.
func (p *pass) intoParamGrad(n *node, into func(dst, g, y Var) bool, g, y Var) bool {
	if !n.param || n.numel() >= minOwnBuffer {
		return false
	}
	lg := &n.mutAttrs().lg
	if lg.state == gradOwned {
		return false
	}
	if lg.buf == nil {
		lg.buf = n.tape.newNode(n.dtype, n.shape) // a parameter's is on the heap
	} else {
		lg.buf.gen++ // Vars from before ZeroGrad stay stale
	}
	clear(lg.buf.f64)
	clear(lg.buf.f32)
	dst := lg.buf.handle()
	if !into(dst, g, y) {
		return false
	}
	s := p.newLeafSlot(n) // the caller found none
	s.g, s.owned = dst, true
	return true
}

// Grad returns the gradient collected by Backward (or AccumulateGrad) for a leaf (a parameter or
// a Tape.Variable), or the zero Var if none has been collected since the last ZeroGrad. A
// parameter's gradient stays valid until the next ZeroGrad; a Tape.Variable's until its tape is
// reset. Grad panics if v is not a leaf.
func (v Var) Grad() Var {
	n := v.check("autograd.Var.Grad")
	if !n.leaf {
		Panicf("autograd.Var.Grad", ErrValue, "Var is an intermediate result (op %s); only leaves collect gradients: use autograd.Grad", n.opName())
	}
	return n.attrs().lg.grad()
}

// ZeroGrad clears the gradients of the given leaves: Grad returns the zero Var until the next
// Backward, and Vars that Grad returned before are stale. The leaves keep their buffers, which
// the next Backward overwrites (or hands to the backward pass in exchange for the new gradient's
// storage), so ZeroGrad costs nothing per element and a training loop allocates nothing; it may
// be called at any point of a step. ZeroGrad panics if a Var is nil or stale.
func ZeroGrad(params ...Var) {
	for _, p := range params {
		n := p.check("autograd.ZeroGrad")
		if n.attr != nil {
			n.attr.lg.zero()
		}
	}
}

// AccumulateGrad adds g to the gradient of leaf p, as Backward does for every leaf it reaches:
// the sum of all the gradients accumulated since the last ZeroGrad is p.Grad(). p keeps its own
// copy, so g may be changed or released afterwards. Data-parallel schemes call it to add each
// worker's gradient (see train.ParallelGrad). AccumulateGrad panics with an *Error if p or g is
// nil or stale, p is not a leaf that needs a gradient, or g's shape or dtype differs from p's.
func AccumulateGrad(p, g Var) {
	const op = "autograd.AccumulateGrad"
	n, gn := p.check(op), g.check(op)
	if !n.leaf {
		Panicf(op, ErrValue, "Var is not a leaf that needs a gradient (op %s); only parameters and Tape.Variables collect gradients", n.opName())
	}
	if gn.dtype != n.dtype || !slices.Equal(gn.shape, n.shape) {
		Panicf(op, ErrShape, "gradient is %s %v, leaf is %s %v", FormatShape(gn.shape), gn.dtype, FormatShape(n.shape), n.dtype)
	}
	n.mutAttrs().lg.add(n, gn, false)
}

// copyInto sets dst = src; both have the same shape and dtype.
func copyInto(dst, src *node) {
	switch n := len(dst.f32) + len(dst.f64); {
	case n < shortSum: // a loop, inlined, instead of memmove's calls (see addInto)
		copyLoop(dst.f64, src.f64)
		copyLoop(dst.f32, src.f32)
	case !parallel.Worth(n, parallel.Grain):
		copy(dst.f64, src.f64)
		copy(dst.f32, src.f32)
	case dst.dtype == Float32:
		runSliceTask(&sliceTasks32, dst.f32, src.f32, nil) // addtask.go
	default:
		runSliceTask(&sliceTasks64, dst.f64, src.f64, nil)
	}
}

// addInto sets dst = a + b elementwise; all three have the same shape and dtype.
func addInto(dst, a, b *node) {
	switch n := len(dst.f32) + len(dst.f64); {
	case n < shortSum:
		addLoop(dst.f64, a.f64, b.f64)
		addLoop(dst.f32, a.f32, b.f32)
	case !parallel.Worth(n, parallel.Grain):
		addSlices(dst.f64, a.f64, b.f64)
		addSlices(dst.f32, a.f32, b.f32)
	case dst.dtype == Float32:
		runSliceTask(&sliceTasks32, dst.f32, a.f32, b.f32) // addtask.go
	default:
		runSliceTask(&sliceTasks64, dst.f64, a.f64, b.f64)
	}
}

// shortSum is the length below which addInto adds in a plain loop, inlined: through vmath's
// dispatch a scalar chain's thousand one-element sums cost it a quarter more time
// (BenchmarkScalarChain 58 → 72 µs).
const shortSum = 16

// addLoop sets d = x + y in a plain loop.
func addLoop[T float32 | float64](d, x, y []T) {
	x, y = x[:len(d)], y[:len(d)]
	for i := range d {
		d[i] = x[i] + y[i]
	}
}

// copyLoop sets d = x elementwise.
func copyLoop[T float32 | float64](d, x []T) {
	x = x[:len(d)]
	for i := range d {
		d[i] = x[i]
	}
}

// addSlices sets d = x + y with the SIMD kernels of vmath, which round each sum as Go does: an
// LSTM step accumulates its weights' gradients at each of its 64 steps, 1.5 MB each time,
// and the plain loop took a sixth of the step (issue 12).
func addSlices[T float32 | float64](d, x, y []T) {
	switch d := any(d).(type) {
	case []float32:
		vmath.AddVV32(d, any(x).([]float32), any(y).([]float32))
	case []float64:
		vmath.AddVV64(d, any(x).([]float64), any(y).([]float64))
	}
}
