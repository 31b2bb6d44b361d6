package autograd

import (
	"fmt"
	"io"
	"math/bits"
	"os"
)

// slabSize is the number of nodes allocated at once when a tape grows.
const slabSize = 256

// DefaultGrowthWarning is the number of nodes past which a tape that has not been reset warns,
// once, on standard error: a training loop that forgets Tape.Reset grows its tape by one step's
// graph at every step. A single graph of this size (about a million operations) is rare; a tape
// that legitimately records more can raise or turn off the threshold with SetGrowthWarning.
const DefaultGrowthWarning = 1 << 20

// warnOutput is where growth warnings go; tests replace it.
var warnOutput io.Writer = os.Stderr

// Tape records operations in the order they run. A Tape is not safe for concurrent use; give
// each goroutine its own. Parameters may be shared read-only between tapes.
//
// A nil *Tape stands for the heap (see heap.go), and every method is defined on it: the
// constructors (Const, Wrap, Variable, Scalar, Zeros, Full, ...) make heap values, Len is 0, Reset
// and SetGrowthWarning do nothing, Recording is true, and NoGrad and SetAnomalyDetection(true)
// panic with ErrValue, heap values being always recorded and no tape's.
type Tape struct {
	gen   uint64  // 64 bits: at a reset per nanosecond it would take 584 years to wrap
	nodes []*node // every node ever allocated, in allocation order; the first used are live
	used  int

	attrPool  []*attrs // attributes handed to nodes, reused like the nodes
	attrsUsed int
	f64       arena[float64]
	f32       arena[float32]
	bufs      []slotBuffer // buffers of node slots, by index (see storage.go)
	noGrad    int

	anomaly    bool
	rule       *node     // the node whose derivative rule is running, for anomaly reports
	passSite   []uintptr // under anomaly detection, the call stack of the running backward pass
	pass       pass      // backward scratch, reused across calls
	inPass     bool      // a backward pass is running (it must not be re-entered from a rule)
	collecting bool      // the running pass is Backward's: its large results get slot buffers

	warnAt int  // growth-warning threshold in nodes: 0 means DefaultGrowthWarning, < 0 off
	warned bool // the growth warning has been written
}

// NewTape returns an empty tape.
func NewTape() *Tape { return &Tape{gen: 1} }

// Len returns the number of nodes allocated on t since the last reset; 0 for a nil *Tape (the
// tape of parameters and heap values, see Const).
func (t *Tape) Len() int {
	if t == nil {
		return 0
	}
	return t.used
}

// SetGrowthWarning sets the number of nodes past which t, when not reset, warns once on
// standard error that it keeps growing (DefaultGrowthWarning unless set); nodes ≤ 0 turns the
// warning off. The tape checks when it allocates a new block of 256 nodes, so the warning comes
// within 256 nodes past the threshold. On a nil *Tape it does nothing: heap values are not
// recorded on a tape that could grow.
func (t *Tape) SetGrowthWarning(nodes int) {
	if t == nil {
		return
	}
	if nodes <= 0 {
		nodes = -1
	}
	t.warnAt = nodes
}

// grow allocates a block of nodes, and warns the first time the tape grows past its threshold.
// It runs once per slabSize nodes and only when the tape outgrows every earlier step (Reset keeps
// the nodes), so the check costs nothing per node. It also starts a zero Tape's generations at 1
// (a zero Tape rather than one from NewTape has none, and no nodes).
func (t *Tape) grow() {
	if t.gen == 0 {
		t.gen = 1
	}
	slab := make([]node, slabSize)
	for i := range slab {
		t.nodes = append(t.nodes, &slab[i])
	}
	limit := t.warnAt
	if limit == 0 {
		limit = DefaultGrowthWarning
	}
	if limit > 0 && t.used >= limit && !t.warned {
		t.warned = true
		fmt.Fprintf(warnOutput, "autograd: warning: a tape has recorded %d nodes since its last Reset; "+
			"a training loop must call Tape.Reset after each step, or the tape grows without bound "+
			"(Tape.SetGrowthWarning raises or turns off this warning)\n", t.used)
	}
}

// Reset releases every node and buffer of t for reuse. Vars created on t before the reset become
// stale: using one panics with ErrReleased. Each reset starts a new generation of a 64-bit
// counter, which does not wrap in practice (at one reset per nanosecond, in 584 years), so a
// stale Var is always detected. Parameters are unaffected. On a nil *Tape Reset does
// nothing: heap values belong to the garbage collector.
func (t *Tape) Reset() {
	if t == nil {
		return
	}
	for _, n := range t.nodes[:t.used] {
		n.gen = 0 // released: every handle to it is now stale
	}
	t.gen++ // a 64-bit counter does not wrap in practice, so a stale Var is never taken for live
	t.used = 0
	t.attrsUsed = 0
	t.f64.reset()
	t.f32.reset()
	t.pass.release()
}

// NoGrad runs fn without recording on t: operations whose operands are on t compute values but
// record no node that gradients can flow through. NoGrad panics with ErrValue on a nil *Tape:
// operations on parameters and heap values alone are always recorded (use Detach instead).
func (t *Tape) NoGrad(fn func()) {
	if t == nil {
		Panicf("autograd.Tape.NoGrad", ErrValue, "nil *Tape: operations on parameters and heap values alone are always recorded; use Detach, or a tape from NewTape")
	}
	t.noGrad++
	defer t.endNoGrad()
	fn()
}

func (t *Tape) endNoGrad() { t.noGrad-- }

// noGradUnless runs fn under t.NoGrad, or as it is when record is set or t is nil (the heap,
// always recorded).
func noGradUnless(record bool, t *Tape, fn func()) {
	if record || t == nil {
		fn()
		return
	}
	t.NoGrad(fn)
}

// endPass ends a backward pass on t: no rule runs, and the pass stops collecting and, if it
// turned recording off (noGrad), turns it back on.
func (t *Tape) endPass(noGrad bool) {
	if noGrad {
		t.noGrad--
	}
	t.rule = nil
	t.inPass, t.collecting = false, false
}

// Recording reports whether operations on t are being recorded (false inside NoGrad); always
// true for a nil *Tape, whose heap values are always recorded.
func (t *Tape) Recording() bool { return t == nil || t.noGrad == 0 }

// detecting reports whether anomaly detection is on for t; never for a nil *Tape.
func (t *Tape) detecting() bool { return t != nil && t.anomaly }

// SetAnomalyDetection turns anomaly detection on or off; see package documentation of Backward.
// On a nil *Tape, turning it off does nothing and turning it on panics with ErrValue: anomaly
// detection is a tape's.
func (t *Tape) SetAnomalyDetection(on bool) {
	if t == nil {
		if on {
			Panicf("autograd.Tape.SetAnomalyDetection", ErrValue, "nil *Tape: anomaly detection needs a tape from NewTape")
		}
		return
	}
	t.anomaly = on
}

// AnomalyDetection reports whether anomaly detection is on for t; false for a nil *Tape.
// Operations that fuse several steps for speed use it to run their steps one by one under
// detection, so that a report names the step that produced a NaN or Inf (see ops.SumSquaredDiff).
func (t *Tape) AnomalyDetection() bool { return t.detecting() }

// handle returns the Var for n.
func (n *node) handle() Var { return Var{n: n, gen: n.gen} }

// Const returns a constant (a leaf that needs no gradient) on t with a copy of data and the given
// shape; no shape means a vector of len(data). On a nil *Tape, Const and the other constructors
// make heap values, like the results of operations on parameters alone. Const panics if the shape
// does not match len(data).
func (t *Tape) Const(data []float64, shape ...int) Var {
	return t.leaf("autograd.Tape.Const", Float64, data, nil, shape, false, false)
}

// Const32 is Const for float32 data.
func (t *Tape) Const32(data []float32, shape ...int) Var {
	return t.leaf("autograd.Tape.Const32", Float32, nil, data, shape, false, false)
}

// Wrap returns a constant on t that shares data instead of copying it, like torch.from_numpy:
// the caller must not change data while the step that uses it is alive. Wrap panics if the
// shape does not match len(data).
func (t *Tape) Wrap(data []float64, shape ...int) Var {
	return t.leaf("autograd.Tape.Wrap", Float64, data, nil, shape, false, true)
}

// Wrap32 is Wrap for float32 data.
func (t *Tape) Wrap32(data []float32, shape ...int) Var {
	return t.leaf("autograd.Tape.Wrap32", Float32, nil, data, shape, false, true)
}

// Variable returns a leaf on t that needs a gradient, with a copy of data; see Const. After
// Backward its gradient is v.Grad(), valid until the tape is reset.
func (t *Tape) Variable(data []float64, shape ...int) Var {
	return t.leaf("autograd.Tape.Variable", Float64, data, nil, shape, true, false)
}

// Variable32 is Variable for float32 data.
func (t *Tape) Variable32(data []float32, shape ...int) Var {
	return t.leaf("autograd.Tape.Variable32", Float32, nil, data, shape, true, false)
}

// Scalar returns a float64 scalar constant on t.
func (t *Tape) Scalar(x float64) Var {
	n := t.newNode(Float64, nil)
	n.f64[0] = x
	return n.handle()
}

// ScalarVariable returns a float64 scalar leaf on t that needs a gradient.
func (t *Tape) ScalarVariable(x float64) Var {
	v := t.Scalar(x)
	v.n.requiresGrad, v.n.leaf = true, true
	return v
}

// leaf returns a leaf holding d64 or d32, shared or copied, that needs a gradient if grad is set.
func (t *Tape) leaf(op string, dt DType, d64 []float64, d32 []float32, shape []int, grad, share bool) Var {
	var vec [1]int
	shape = fillShape(op, shape, len(d64)+len(d32), &vec)
	var n *node
	if share {
		n = t.newNodeSharing(dt, shape, d64, d32)
	} else {
		n = t.newNode(dt, shape)
		copy(n.f64, d64)
		copy(n.f32, d32)
	}
	n.requiresGrad, n.leaf = grad, grad
	return n.handle()
}

// Zeros returns a constant of zeros on t.
func (t *Tape) Zeros(dt DType, shape ...int) Var {
	checkDType("autograd.Tape.Zeros", dt)
	checkShape("autograd.Tape.Zeros", shape)
	n := t.newNode(dt, shape)
	clear(n.f64)
	clear(n.f32)
	return n.handle()
}

// Full returns a constant filled with x on t.
func (t *Tape) Full(dt DType, x float64, shape ...int) Var {
	checkDType("autograd.Tape.Full", dt)
	checkShape("autograd.Tape.Full", shape)
	n := t.newNode(dt, shape)
	for i := range n.f64 {
		n.f64[i] = x
	}
	for i := range n.f32 {
		n.f32[i] = float32(x)
	}
	return n.handle()
}

// fillShape returns the shape that size values fill: shape itself, checked, or a vector when it
// is nil. It panics naming op if the counts differ.
func fillShape(op string, shape []int, size int, vec *[1]int) []int {
	if shape == nil {
		vec[0] = size
		return vec[:]
	}
	if n := checkShape(op, shape); n != size {
		Panicf(op, ErrShape, "%d values do not fill shape %s (%d elements)", size, FormatShape(shape), n)
	}
	return shape
}

// MaxElements is the largest number of elements a Var may have (2⁴⁰, 8 TiB of float64). Every
// function that makes a value checks the product of its dimensions against it, so that a product
// that overflows int, or a size no machine can hold, is reported as ErrShape naming the function
// instead of failing later inside a kernel or killing the process.
const MaxElements = 1 << 40

// checkShape returns the number of elements of shape. It panics with ErrShape naming op if a
// dimension is negative or the product exceeds MaxElements (an overflowing product included).
func checkShape(op string, shape []int) int {
	n := shapeSize(shape)
	if n < 0 {
		badShape(op, shape)
	}
	return n
}

// shapeSize returns the number of elements of shape, or -1 if a dimension is negative or the
// product exceeds MaxElements. It is small enough to inline: NewResult calls it for every result.
func shapeSize(shape []int) int {
	s := uint64(1)
	for _, d := range shape {
		hi, lo := bits.Mul64(s, uint64(d))
		if d < 0 || hi != 0 || lo > MaxElements {
			return -1
		}
		s = lo
	}
	return int(s)
}

// badShape panics for a shape that checkShape rejects.
//
//go:noinline
func badShape(op string, shape []int) {
	for _, d := range shape {
		if d < 0 {
			Panicf(op, ErrShape, "negative dimension in shape %s", FormatShape(shape))
		}
	}
	Panicf(op, ErrShape, "shape %s has more than MaxElements (2^40) elements", FormatShape(shape))
}

// checkDType panics with ErrDType naming op unless dt is Float64 or Float32.
func checkDType(op string, dt DType) {
	if dt-Float64 > Float32-Float64 { // dt < Float64 wraps around
		badDType(op, dt)
	}
}

//go:noinline
func badDType(op string, dt DType) {
	Panicf(op, ErrDType, "invalid dtype %d; want autograd.Float64 or autograd.Float32", dt)
}
