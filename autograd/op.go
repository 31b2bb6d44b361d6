// The extension API: what packages that define operations use (see "Writing operations" in
// the package documentation). Everyday code needs none of it.

package autograd

// Op describes a primitive operation to the tape. Package ops defines one Op per primitive in its
// table of derivative rules; other packages may define their own.
type Op struct {
	// Name names the operation in errors, traces and graphs, e.g. "Mul".
	Name string
	// Grads holds one vector-Jacobian product per input. Given the upstream gradient g (shaped
	// like the output) and the output y, whose Inputs, Ints, FloatAttr and Aux give the operands and
	// attributes, a rule returns the gradient with respect to its input, shaped like that input.
	// A nil rule marks an input that gradients do not flow through; a rule may return the zero
	// Var for an all-zero gradient. Rules should be written with differentiable operations, so
	// that Grad with CreateGraph can differentiate them again. Backward may add the input's other
	// gradients into a new result a rule returns, in place (unless it traces or checks the pass),
	// so a rule returns either a result it made in this call or a value that is not new (g, y, an
	// input, or a view of one), never a result made by another call (for another input, or kept
	// from an earlier one) or a view of such, and keeps nothing it returns to read later.
	Grads []func(g, y Var) Var
	// Variadic, when set, is used instead of Grads for every input i of an operation with any
	// number of inputs, such as Concat.
	Variadic func(g, y Var, i int) Var
	// GradsInto optionally holds, per input, a rule that adds the vector-Jacobian product into
	// dst instead of returning it, and reports true; or reports false, having changed nothing,
	// and the pass then calls Grads[i] and adds its result. dst is the gradient the backward pass
	// has summed so far for that input from its other uses, shaped like the input, a buffer the
	// pass owns and nothing else reads. The pass calls it only for an input whose gradient it
	// already holds in such a buffer, or, in Backward, with the zeroed gradient buffer of a
	// parameter of fewer than 256 elements that has no gradient yet (none since ZeroGrad), for
	// its first gradient of the pass; and only when it does not record the backward pass
	// (CreateGraph), trace it (WithTrace) or check it for anomalies. It is for speed only: Grads
	// stays the rule, and GradsInto must add what Grads[i] returns, up to rounding (added to the
	// zeroed buffer, a −0 becomes +0). A weight used at every step of a sequence is the case:
	// adding each step's product into the sum spares a temporary the size of the weight, and a
	// pass over it, per step (ops.MatMul's rule for its second operand: BenchmarkLSTMStep 3%
	// faster, its peak memory 246 → 151 MB). A small layer's parameters are the other: with any
	// op's GradsInto (MatMul's, Slice's, Affine's, Add's, Mul's), their gradients are summed where Var.Grad
	// finds them, without a result copied there (ops.Affine's rules for its weight and bias:
	// BenchmarkXORStep 10% faster).
	GradsInto []func(dst, g, y Var) bool
	// ScalarGrads optionally gives the vector-Jacobian products of an operation of one or two
	// inputs as numbers, from the upstream gradient g, the output y and the operands a and b (0
	// for an operation of one input, whose gb is ignored), for a node whose output and inputs
	// are float64 scalars (rank 0) and whose gradient flows to every input. Backward and Grad
	// use it for such nodes instead of Grads, and add its numbers into the inputs' gradients,
	// when they neither record the backward pass (CreateGraph), trace it nor check it for
	// anomalies. It is for speed only: Grads stays the rule, and ScalarGrads must return what
	// Grads returns, bit for bit (a product that a sum or difference takes needs an explicit
	// float64 conversion, or Go may fuse the two on arm64). A scalar graph's backward pass then
	// makes no node per rule, nor calls a rule's operations (BenchmarkScalarChain: see
	// scalarrules.go).
	ScalarGrads func(g, y, a, b float64) (ga, gb float64)
	// JVP is the forward-mode rule, the Jacobian-vector product: given the output y and one
	// tangent per input, each shaped like its input (the zero Var for a zero tangent; at least
	// one is non-zero), it returns y's tangent, shaped like y, or the zero Var if it is zero.
	// Like Grads, it should be written with differentiable operations, so that forward mode
	// composes with reverse mode. An Op without one cannot be differentiated in forward mode
	// (see Tangents).
	JVP func(y Var, tangents []Var) Var
	// Multilinear marks an operation that is affine in each input while the others are held
	// fixed, as MatMul is in each operand: its Jacobian with respect to one input does not
	// depend on that input. HVP then skips computing the gradient of an input used only by such
	// operations with otherwise constant operands (see HVPs). Leaving it unset is always safe.
	Multilinear bool
}

// vjp applies the vector-Jacobian product of input i to g, the gradient of the output y.
func (op *Op) vjp(g, y Var, i int) Var {
	if op.Variadic != nil {
		return op.Variadic(g, y, i)
	}
	return op.Grads[i](g, y)
}

// flows reports whether a gradient can flow through input i.
func (op *Op) flows(i int) bool {
	return op.Variadic != nil || (i < len(op.Grads) && op.Grads[i] != nil)
}

// NewResult allocates the output of op applied to inputs, with dtype dt and the given shape, on
// the inputs' tape (on the heap if no input is on a tape, see heap.go), and records it when the
// tape is recording and a gradient can flow to an input. The output's storage is not initialised:
// the caller computes the value into Data64 or Data32 before returning it.
//
// NewResult panics with an *Error naming op if an input is nil or stale, if inputs come from
// different tapes, if dt is not Float64 or Float32, or if a dimension of shape is negative or
// the shape has more than MaxElements elements; it panics naming autograd.NewResult if op is
// nil.
func NewResult(op *Op, dt DType, shape []int, inputs ...Var) Var {
	return NewResultOn(nil, op, dt, shape, inputs...)
}

// NewResultOn is NewResult recorded on t when no input is on a tape: an operation on parameters
// alone whose other operands are not Vars, such as an embedding lookup of a parameter table by
// integer positions, would otherwise put its result on the heap (one allocation per call, outside
// t's Reset and NoGrad). A nil t, or inputs on a tape, give NewResult's behaviour. NewResultOn
// panics as NewResult does, and with an *Error wrapping ErrTapes if an input is on a tape other
// than t.
func NewResultOn(t *Tape, op *Op, dt DType, shape []int, inputs ...Var) Var {
	if op == nil {
		nilOp("autograd.NewResult")
	}
	checkDType(op.Name, dt)
	size := shapeSize(shape)
	if size < 0 {
		badShape(op.Name, shape)
	}
	var in *Tape
	switch len(inputs) { // up to three operands, as nearly every op has, without tapeOf's call and loop
	case 1:
		in = inputs[0].check(op.Name).tape
	case 2:
		in = joinTape(inputs[0].check(op.Name).tape, inputs[1].check(op.Name), op.Name)
	case 3:
		in = joinTape(inputs[0].check(op.Name).tape, inputs[1].check(op.Name), op.Name)
		in = joinTape(in, inputs[2].check(op.Name), op.Name)
	default:
		in = tapeOf(op.Name, inputs)
	}
	if in != nil {
		if t != nil && t != in {
			Panicf(op.Name, ErrTapes, "operands are recorded on a tape other than the one given; compute them on one tape")
		}
		t = in
	}
	n := t.newNodeSized(dt, shape, size)
	n.op = op
	switch len(inputs) {
	// One assignment per operand: copy's typedslicecopy (the write barriers' bulk path) cost a
	// small tensor's node a quarter of NewResult's time (BenchmarkXORStep), and a loop more
	// instructions than these cases.
	case 1:
		n.inBuf[0] = inputs[0]
		n.inputs = n.inBuf[:1]
	case 2:
		n.inBuf[0], n.inBuf[1] = inputs[0], inputs[1]
		n.inputs = n.inBuf[:2]
	case 3:
		n.inBuf[0], n.inBuf[1], n.inBuf[2] = inputs[0], inputs[1], inputs[2]
		n.inputs = n.inBuf[:3]
	case 0:
		n.inputs = n.inBuf[:0]
	default:
		if cap(n.wide) < len(inputs) {
			n.wide = make([]Var, len(inputs))
		}
		clear(n.wide[len(inputs):cap(n.wide)]) // hold on to no earlier step's operands
		n.inputs = n.wide[:len(inputs)]
		copy(n.inputs, inputs)
	}
	if t.Recording() {
		for i, in := range inputs {
			if in.n.requiresGrad && op.flows(i) {
				n.requiresGrad = true
				break
			}
		}
	}
	if t.detecting() {
		t.checkInputs(n)
	}
	return n.handle()
}

//go:noinline
func nilOp(fn string) { Panicf(fn, ErrValue, "nil *Op") }

// ScalarResult is NewResult's fast path for the most common case of scalar graphs: two live
// float64 scalars on one tape (or on none). It computes the value with f and records the node,
// and reports false, doing nothing, in every other case, which the caller hands to NewResult.
// Micrograd-style code spends most of its time here, so it does one check per operand.
func ScalarResult(op *Op, a, b Var, f func(x, y float64) float64) (Var, bool) {
	na, nb := a.n, b.n
	if op == nil || na == nil || nb == nil || len(na.shape) != 0 || len(nb.shape) != 0 ||
		na.dtype != Float64 || nb.dtype != Float64 || !a.live() || !b.live() {
		return Var{}, false
	}
	t := na.tape
	if t == nil {
		t = nb.tape
	} else if nb.tape != nil && nb.tape != t {
		return Var{}, false
	}
	if t.detecting() {
		return Var{}, false
	}
	var n *node
	if t != nil {
		n = t.next(Float64)
	}
	if n == nil { // a heap node, or the tape must grow
		n = t.newNodeNoStorage(Float64, nil)
	}
	n.f64 = n.scalar[:]
	n.f64[0] = f(na.f64[0], nb.f64[0])
	n.op = op
	n.inputs = n.inBuf[:2]
	n.inBuf[0], n.inBuf[1] = a, b
	n.requiresGrad = t.Recording() &&
		(na.requiresGrad && op.flows(0) || nb.requiresGrad && op.flows(1))
	return n.handle(), true
}

// ScalarUnaryResult is ScalarResult for an operation of one operand: for a live float64 scalar
// a it computes the value with f and records the node, and in every other case reports false,
// doing nothing. It makes its node as ScalarResult does, written out in both: a helper of
// theirs is not inlined, and cost BenchmarkScalarChain 17 instructions a node (3.5%).
func ScalarUnaryResult(op *Op, a Var, f func(x float64) float64) (Var, bool) {
	na := a.n
	if op == nil || na == nil || len(na.shape) != 0 || na.dtype != Float64 || !a.live() {
		return Var{}, false
	}
	t := na.tape
	if t.detecting() {
		return Var{}, false
	}
	var n *node
	if t != nil {
		n = t.next(Float64)
	}
	if n == nil { // a heap node, or the tape must grow
		n = t.newNodeNoStorage(Float64, nil)
	}
	n.f64 = n.scalar[:]
	n.f64[0] = f(na.f64[0])
	n.op = op
	n.inputs = n.inBuf[:1]
	n.inBuf[0] = a
	n.requiresGrad = t.Recording() && na.requiresGrad && op.flows(0)
	return n.handle(), true
}

// tapeOf returns the tape shared by the inputs, or nil if none is on a tape, checking each one.
func tapeOf(op string, inputs []Var) *Tape {
	var t *Tape
	for _, in := range inputs {
		t = joinTape(t, in.check(op), op)
	}
	return t
}

// joinTape returns the tape of operands on t (nil: none on a tape yet) and n, checking that they
// share it.
func joinTape(t *Tape, n *node, op string) *Tape {
	if n.tape == nil || n.tape == t {
		return t
	}
	if t != nil {
		tapesDiffer(op)
	}
	return n.tape
}

// tapesDiffer panics for operands of op recorded on different tapes.
//
//go:noinline
func tapesDiffer(op string) {
	Panicf(op, ErrTapes, "operands are recorded on different tapes; compute them on one tape")
}

// SetInts stores integer attributes (axes, a shape, ...) on the output of an operation. Only the
// package that produced v should call it, right after NewResult.
func (v Var) SetInts(ints ...int) {
	a := v.check("autograd.Var.SetInts").mutAttrs()
	if len(ints) <= maxInline {
		a.ints = a.intsBuf[:len(ints)]
	} else {
		a.ints = make([]int, len(ints))
	}
	copy(a.ints, ints)
}

// SetFloat stores a float attribute on the output of an operation; see SetInts.
func (v Var) SetFloat(x float64) { v.check("autograd.Var.SetFloat").mutAttrs().float = x }

// SetAux stores an auxiliary attribute on the output of an operation; see SetInts.
func (v Var) SetAux(a any) { v.check("autograd.Var.SetAux").mutAttrs().aux = a }

// View returns a Var with a new shape that shares v's storage and records op with v as its only
// input. The shape must have v's number of elements; View panics otherwise. Package ops uses it
// for Reshape, which copies nothing.
func View(op *Op, v Var, shape []int) Var { return ViewOn(nil, op, v, shape) }

// ViewOn is View recorded on the tape on when v lives on no tape (a parameter), instead of on the
// heap: a step that reshapes a parameter for an operation with taped data, as a convolution
// reshapes its weight, then allocates nothing. A v on a tape is viewed on its own tape.
func ViewOn(on *Tape, op *Op, v Var, shape []int) Var {
	if op == nil {
		nilOp("autograd.View")
	}
	src := v.check(op.Name)
	if checkShape(op.Name, shape) != src.numel() {
		Panicf(op.Name, ErrShape, "cannot view %s (%d elements) as %s (%d elements)", FormatShape(src.shape), src.numel(), FormatShape(shape), numel(shape))
	}
	t := src.tape
	if t == nil {
		t = on
	}
	n := t.newNodeSharing(src.dtype, shape, src.f64, src.f32)
	n.op = op
	n.inputs = n.inBuf[:1]
	n.inputs[0] = v
	n.requiresGrad = t.Recording() && src.requiresGrad
	return n.handle()
}

// Detach returns a constant that shares v's value and through which no gradient flows.
func Detach(v Var) Var {
	src := v.check("autograd.Detach")
	return src.tape.newNodeSharing(src.dtype, src.shape, src.f64, src.f32).handle()
}

// Operand is a checked view of a Var's value, for packages that implement operations: one
// check instead of one per accessor. The slices alias the Var's storage.
type Operand struct {
	Shape []int
	DType DType
	F64   []float64
	F32   []float32
}

// Operand returns v's value as an Operand, panicking with an *Error naming op if v is nil or
// stale.
func (v Var) Operand(op string) Operand {
	n := v.check(op)
	return Operand{n.shape, n.dtype, n.f64, n.f32}
}
