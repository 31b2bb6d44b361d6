package autograd

import (
	"runtime"
	"slices"
	"unsafe"

	"github.com/gograd/gograd/internal/parallel"
)

// Option configures Backward, Grad, HVP and Hessian.
type Option func(*options)

type options struct {
	create      bool
	allowUnused bool
	seeds       []Var
	trace       *Trace
}

// CreateGraph records the backward pass on the tape, so the gradients Grad returns are Vars that
// can be differentiated again. Backward ignores it.
func CreateGraph() Option { return func(o *options) { o.create = true } }

// AllowUnused makes Grad return zeros, instead of an ErrUnused error, for inputs the outputs do
// not depend on.
func AllowUnused() Option { return func(o *options) { o.allowUnused = true } }

// Seed gives the upstream gradients of the outputs, one per output, each shaped like its output.
// Without Seed, every output must have one element and is seeded with 1.
func Seed(seeds ...Var) Option { return func(o *options) { o.seeds = seeds } }

// WithTrace records, for every rule the backward pass applies, the upstream gradient, the local
// gradient and their product into tr.
func WithTrace(tr *Trace) Option { return func(o *options) { o.trace = tr } }

// Backward computes the gradient of loss with respect to every leaf it depends on and adds it to
// the leaf's gradient (Var.Grad), as PyTorch does: gradients accumulate across calls until
// ZeroGrad. A loss with one element is seeded with 1; any other needs Seed. Backward returns an
// error if loss is nil or stale, does not require a gradient, or a seed is missing or ill-shaped.
func Backward(loss Var, opts ...Option) (err error) {
	o := applyOptions(opts)
	o.create = false
	defer recoverError(&err)
	n := loss.check("autograd.Backward")
	if n.param {
		return nil // a parameter: nothing to propagate through
	}
	outs := [1]Var{loss}
	run("autograd.Backward", n.tape, outs[:], nil, &o, true)
	return nil
}

// Grad returns the gradients of the outputs with respect to inputs, without touching the leaves'
// collected gradients. Outputs are seeded with 1 unless Seed is given. With CreateGraph the
// backward pass is recorded and the gradients can be differentiated again; otherwise they are
// constants valid until the tape is reset. Grad returns an error naming the fault if an output or
// input is nil or stale, outputs span tapes, a seed is bad, or an input is unused (see
// AllowUnused).
func Grad(outputs, inputs []Var, opts ...Option) (grads []Var, err error) {
	o := applyOptions(opts)
	err = Maybe(func() {
		const op = "autograd.Grad"
		if len(outputs) == 0 {
			Panicf(op, ErrValue, "no outputs")
		}
		for _, in := range inputs {
			in.check(op)
		}
		t := tapeOf(op, outputs)
		p := run(op, t, outputs, inputs, &o, false)
		grads = make([]Var, len(inputs))
		for i, in := range inputs {
			g := p.slotOf(t, in.n).g
			if g.n == nil {
				if !o.allowUnused {
					Panicf(op, ErrUnused, "input %d (shape %s) is not used to compute the outputs; pass AllowUnused to get zeros", i, FormatShape(in.n.shape))
				}
				g = t.Zeros(in.n.dtype, in.n.shape...)
			}
			grads[i] = g
		}
	})
	return grads, err
}

// applyOptions collects opts. It copies out of a heap value so that a call without options does
// not allocate.
func applyOptions(opts []Option) options {
	if len(opts) == 0 {
		return options{}
	}
	o := new(options)
	for _, f := range opts {
		f(o)
	}
	return *o
}

// slot is the gradient collected so far for one node during a backward pass.
type slot struct {
	g     Var
	owned bool // g was allocated by accumulate and may be updated in place
}

// pass is the scratch state of one backward pass; a tape keeps its pass to reuse the memory.
type pass struct {
	slots     []slot          // tape nodes, by index
	reach     []bool          // tape nodes that lead to a wrt input, by index
	leaves    keyIndex[*node] // parameters and heap nodes, numbered
	leafSlots []slot          // by leaf number
	wrt       map[*node]bool  // wrt inputs off the tape
	heapReach map[*node]bool  // memo of heap nodes that lead to a wrt input
	prune     bool
	pending   seqHeap                  // heap nodes holding a gradient, latest first
	borrowed  keyIndex[unsafe.Pointer] // gradient storage lent to a parameter
}

func (p *pass) release() {
	clear(p.leafSlots)
	p.leafSlots = p.leafSlots[:0]
	p.leaves.reset()
	clearMap(p.wrt)
	clearMap(p.heapReach)
	p.borrowed.reset()
	p.pending = p.pending[:0]
}

// clearMap empties m; an empty map is left alone, which is cheaper than clearing it.
func clearMap[K comparable, V any](m map[K]V) {
	if len(m) > 0 {
		clear(m)
	}
}

// slotOf returns the slot of n: a tape node's by index, others' from the leaf table. A heap node
// that receives its first gradient is queued for the heap walk.
func (p *pass) slotOf(t *Tape, n *node) *slot {
	if n.tape == t && t != nil {
		if int(n.idx) < len(p.slots) {
			return &p.slots[n.idx]
		}
		return &slot{}
	}
	i, ok := p.leaves.find(n)
	if !ok {
		i = p.leaves.add(n)
		p.leafSlots = append(p.leafSlots, slot{})
		if n.op != nil && n.tape == nil {
			p.pending.push(n)
		}
	}
	return &p.leafSlots[i]
}

// run performs one backward pass from outs, which are on tape t or on the heap (t nil): first the
// tape's nodes in reverse order, then the heap nodes they reach in reverse creation order. With
// wrt set, only paths that reach wrt are followed. When collect is set, leaves add their gradient
// to their collected gradient.
func run(op string, t *Tape, outs, wrt []Var, o *options, collect bool) *pass {
	var p *pass
	if t != nil {
		if t.inPass {
			Panicf(op, ErrValue, "a backward pass is already running on this tape: a derivative rule cannot start another one (Backward or Grad) on the tape it runs on")
		}
		t.inPass = true
		defer t.endPass()
		p = &t.pass
	} else {
		p = new(pass)
	}
	p.release()
	if t != nil {
		t.rule = nil
		defer t.clearRule()
		if t.anomaly {
			t.nPass = runtime.Callers(2, t.passSite[:])
		}
	}
	if p.wrt == nil {
		p.wrt = make(map[*node]bool)
		p.heapReach = make(map[*node]bool)
	}
	hi := -1
	for _, v := range outs {
		n := v.check(op)
		if t != nil && n.tape == t && int(n.idx) > hi {
			hi = int(n.idx)
		}
	}
	if cap(p.slots) < hi+1 {
		p.slots = make([]slot, hi+1, 2*(hi+1))
	}
	p.slots = p.slots[:hi+1]
	clear(p.slots)

	if !o.create && t != nil {
		t.noGrad++
		defer t.endNoGrad()
	}
	p.prune = wrt != nil
	if p.prune {
		p.markReach(t, wrt, hi)
	}
	seed(op, t, p, outs, o)
	for i := hi; i >= 0; i-- {
		s := &p.slots[i]
		if s.g.n == nil {
			continue
		}
		n := t.nodes[i]
		if n.leaf {
			if collect {
				collectGrad(p, n, s.g)
			}
			continue
		}
		if n.op != nil && n.requiresGrad {
			applyRules(op, t, p, n, s.g, o)
		}
	}
	for len(p.pending) > 0 {
		n := p.pending.pop()
		if n.requiresGrad {
			i, _ := p.leaves.find(n)
			applyRules(op, t, p, n, p.leafSlots[i].g, o)
		}
	}
	if collect {
		for i, n := range p.leaves.keys {
			if g := p.leafSlots[i].g; g.n != nil && n.leaf {
				collectGrad(p, n, g)
			}
		}
	}
	return p
}

// seed puts the outputs' seeds into their slots.
func seed(op string, t *Tape, p *pass, outs []Var, o *options) {
	if o.seeds != nil && len(o.seeds) != len(outs) {
		Panicf(op, ErrSeed, "%d seeds for %d outputs", len(o.seeds), len(outs))
	}
	for i, v := range outs {
		n := v.n
		if !n.requiresGrad {
			Panicf(op, ErrValue, "output %d (shape %s, op %s) does not require a gradient: no parameter or Variable leads to it", i, FormatShape(n.shape), n.opName())
		}
		if t != nil && t.anomaly {
			checkOutput(n)
		}
		var s Var
		if o.seeds != nil {
			s = o.seeds[i]
			sn := s.check(op)
			if sn.dtype != n.dtype || !slices.Equal(sn.shape, n.shape) {
				Panicf(op, ErrSeed, "seed %d is %s %v, output is %s %v", i, FormatShape(sn.shape), sn.dtype, FormatShape(n.shape), n.dtype)
			}
			// The seed is the caller's value: no parameter may borrow its storage as its
			// gradient (clipping would scale the seed, writing the seed would change the grad).
			if key := storageKey(sn); key != nil {
				if _, taken := p.borrowed.find(key); !taken {
					p.borrowed.add(key)
				}
			}
		} else {
			if n.numel() != 1 {
				Panicf(op, ErrSeed, "output %d has shape %s; a non-scalar output needs an explicit seed (autograd.Seed)", i, FormatShape(n.shape))
			}
			s = t.Full(n.dtype, 1, n.shape...)
		}
		accumulate(t, p.slotOf(t, n), s, o.create)
	}
}

// markReach marks the tape nodes up to hi from which a wrt input can be reached.
func (p *pass) markReach(t *Tape, wrt []Var, hi int) {
	if cap(p.reach) < hi+1 {
		p.reach = make([]bool, hi+1, 2*(hi+1))
	}
	p.reach = p.reach[:hi+1]
	clear(p.reach)
	for _, v := range wrt {
		if t != nil && v.n.tape == t {
			if int(v.n.idx) <= hi {
				p.reach[v.n.idx] = true
			}
		} else {
			p.wrt[v.n] = true
		}
	}
	for i := 0; i <= hi; i++ {
		if p.reach[i] {
			continue
		}
		for _, in := range t.nodes[i].inputs {
			if p.reaches(t, in.n) {
				p.reach[i] = true
				break
			}
		}
	}
}

// reaches reports whether a wrt input can be reached from n.
func (p *pass) reaches(t *Tape, n *node) bool {
	if t != nil && n.tape == t {
		return int(n.idx) < len(p.reach) && p.reach[n.idx]
	}
	if p.wrt[n] || n.op == nil {
		return p.wrt[n]
	}
	if r, ok := p.heapReach[n]; ok {
		return r
	}
	// Iterative post-order over the heap nodes below n: no recursion.
	stack := []*node{n}
	for len(stack) > 0 {
		m := stack[len(stack)-1]
		if _, done := p.heapReach[m]; done {
			stack = stack[:len(stack)-1]
			continue
		}
		ready, r := true, p.wrt[m]
		for _, in := range m.inputs {
			c := in.n
			switch v, ok := p.heapReach[c]; {
			case p.wrt[c]:
				r = true
			case c.op == nil:
			case ok:
				r = r || v
			default:
				ready = false
				stack = append(stack, c)
			}
		}
		if ready {
			p.heapReach[m] = r
			stack = stack[:len(stack)-1]
		}
	}
	return p.heapReach[n]
}

// applyRules propagates g, the gradient of node n, to n's inputs.
func applyRules(op string, t *Tape, p *pass, n *node, g Var, o *options) {
	y := n.handle()
	if t != nil {
		t.rule = n
	}
	for i, in := range n.inputs {
		in := in.n
		if !in.requiresGrad || !n.op.flows(i) || (p.prune && !p.reaches(t, in)) {
			continue
		}
		var gi Var
		if n.op.Variadic != nil {
			gi = n.op.Variadic(g, y, i)
		} else {
			gi = n.op.Grads[i](g, y)
		}
		if gi.n == nil {
			continue
		}
		gn := gi.check(op)
		if gn.dtype != in.dtype || !slices.Equal(gn.shape, in.shape) {
			Panicf(op, ErrRule, "rule of %s for input %d returned %s %v, want %s %v", n.op.Name, i, FormatShape(gn.shape), gn.dtype, FormatShape(in.shape), in.dtype)
		}
		if t != nil && t.anomaly {
			checkGrad(n, i, gi)
		}
		if o.trace != nil {
			o.trace.record(t, n, i, g, gi)
		}
		accumulate(t, p.slotOf(t, in), gi, o.create)
	}
}

// accumOp is the primitive that sums gradient contributions under CreateGraph. It lives here,
// not in package ops, so that the core can accumulate without importing the op library.
var accumOp = &Op{
	Name: "accumulate",
	Grads: []func(g, y Var) Var{
		func(g, y Var) Var { return g }, // d(a+b)/da = 1
		func(g, y Var) Var { return g }, // d(a+b)/db = 1
	},
}

// accumulate adds g to the slot; new nodes go on t (the heap if nil).
func accumulate(t *Tape, s *slot, g Var, create bool) {
	switch {
	case s.g.n == nil:
		s.g, s.owned = g, false
	case create:
		out := NewResult(accumOp, g.n.dtype, g.n.shape, s.g, g)
		addInto(out.n, s.g.n, g.n)
		s.g, s.owned = out, false
	case s.owned:
		addInto(s.g.n, s.g.n, g.n)
	default:
		n := t.newNode(g.n.dtype, g.n.shape)
		addInto(n, s.g.n, g.n)
		s.g, s.owned = n.handle(), true
	}
}

// collectGrad adds g to the collected gradient of leaf n.
//
// A parameter whose gradient is zero (never collected, or lazily zeroed) borrows g's storage
// instead of copying it: Var.Grad returns a view of it, which no one writes after the pass. The
// storage belongs to g's tape, so Tape.Reset copies it into the parameter's own buffer unless
// ZeroGrad ended the borrow first, as a training loop does (Backward, Step, ZeroGrad, Reset):
// then no gradient is ever copied. A borrow keeps only the borrowed values alive, not the tape.
func collectGrad(p *pass, n *node, g Var) {
	a := n.mutAttrs()
	if a.borrowing {
		materialize(n) // a second Backward before ZeroGrad: accumulate in the own buffer
	}
	if n.param && (!a.grad.live() || a.zeroed) && p.borrow(g.n) {
		lend(n, g.n)
		return
	}
	ensureGradBuffer(n)
	if a.zeroed { // ZeroGrad left the buffer as it was: overwrite instead of adding
		copyInto(a.grad.n, g.n)
		a.zeroed = false
		return
	}
	addInto(a.grad.n, a.grad.n, g.n)
}

// borrow reports whether a parameter may borrow g's storage, and marks it borrowed. g must be a
// tensor computed by an operation (a scalar's value lives inside its node, and a leaf's data is
// someone's own), and no other parameter of this pass may have borrowed the same storage: both
// would then share it, and clipping scales gradients in place.
func (p *pass) borrow(g *node) bool {
	if g.op == nil || g.param || g.leaf || len(g.shape) == 0 {
		return false
	}
	key := storageKey(g)
	if _, taken := p.borrowed.find(key); key == nil || taken {
		return false
	}
	p.borrowed.add(key)
	return true
}

// storageKey identifies the storage of n's value.
func storageKey(n *node) unsafe.Pointer {
	if n.dtype == Float32 {
		return unsafe.Pointer(unsafe.SliceData(n.f32))
	}
	return unsafe.Pointer(unsafe.SliceData(n.f64))
}

// lend makes parameter n's gradient a view of g's storage.
func lend(n, g *node) {
	a := n.attr
	if a.lent == nil {
		a.lent = newHeapNode()
		a.lent.dtype = n.dtype
		a.lent.setShape(n.shape)
	}
	a.lent.f64, a.lent.f32 = g.f64, g.f32
	a.borrowing = true
	if t := g.tape; t != nil {
		a.owner = uintptr(unsafe.Pointer(t))
		t.borrowers = append(t.borrowers, n)
	} else {
		a.owner = 0
	}
}

// unlend ends parameter n's borrow; Vars returned by Grad during it become stale.
func unlend(n *node) {
	a := n.attr
	a.lent.f64, a.lent.f32 = nil, nil
	a.lent.gen++
	a.borrowing = false
}

// materialize copies parameter n's borrowed gradient into its own buffer and ends the borrow.
func materialize(n *node) {
	a := n.attr
	ensureGradBuffer(n)
	copyInto(a.grad.n, a.lent)
	a.zeroed = false
	unlend(n)
}

// ensureGradBuffer gives leaf n its own gradient buffer, zeroed, if it has none.
func ensureGradBuffer(n *node) {
	a := n.mutAttrs()
	if a.grad.live() {
		return
	}
	var c *node
	if n.tape == nil {
		c = newHeapNode()
		c.dtype = n.dtype
		c.setShape(n.shape)
		if n.dtype == Float32 {
			c.f32 = make([]float32, n.numel())
		} else {
			c.f64 = make([]float64, n.numel())
		}
	} else {
		c = n.tape.newNode(n.dtype, n.shape)
		clear(c.f64)
		clear(c.f32)
	}
	a.grad = c.handle()
	a.zeroed = false
}

// copyInto sets dst = src; both have the same shape and dtype.
func copyInto(dst, src *node) {
	switch {
	case !parallel.Worth(len(dst.f32)+len(dst.f64), parallel.Grain):
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
	switch {
	case !parallel.Worth(len(dst.f32)+len(dst.f64), parallel.Grain):
		addSlices(dst.f64, a.f64, b.f64)
		addSlices(dst.f32, a.f32, b.f32)
	case dst.dtype == Float32:
		runSliceTask(&sliceTasks32, dst.f32, a.f32, b.f32) // addtask.go
	default:
		runSliceTask(&sliceTasks64, dst.f64, a.f64, b.f64)
	}
}

func addSlices[T float32 | float64](d, x, y []T) {
	x, y = x[:len(d)], y[:len(d)]
	for i := range d {
		d[i] = x[i] + y[i]
	}
}
