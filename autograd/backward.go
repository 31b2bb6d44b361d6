package autograd

import (
	"container/heap"
	"slices"
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
	run("autograd.Backward", passTape(n.tape), outs[:], nil, &o, true)
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
		t := passTape(tapeOf(op, outputs))
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
	owned bool // g is a sum the pass made, or a rule's new result, which it may update in place (addToSlot)
}

// pass is the scratch state of one backward pass; a tape keeps its pass to reuse the memory.
type pass struct {
	slots     []slot          // tape nodes, by index
	reach     []bool          // tape nodes that lead to a wrt input, by index
	leaves    keyIndex[*node] // parameters and heap nodes, numbered
	leafSlots []slot          // by leaf number
	reachOff  map[*node]bool  // nodes off the tape that lead to a wrt input (or are one)
	prune     bool
	pending   seqHeap // heap nodes holding a gradient, latest first
	start     int     // the tape's length when the pass began: later nodes are the pass's
	taken     []*node // results whose storage a parameter took (see Tape.takeBuffer)

	// inPlace is set when the pass neither records (CreateGraph), traces nor checks what the
	// rules return: it then adds into gradients in place, keeps a rule's new result as a sum it
	// owns, and applies scalar nodes' rules as numbers (Op.ScalarGrads).
	inPlace bool
}

func (p *pass) release() {
	clear(p.leafSlots)
	p.leafSlots = p.leafSlots[:0]
	p.leaves.reset()
	clearMap(p.reachOff)
	p.pending = p.pending[:0]
	clear(p.taken)
	p.taken = p.taken[:0]
}

// zeroed returns s resized to n zero values, in new memory with room to grow if s is too small.
func zeroed[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, 2*n)
	}
	s = s[:n]
	clear(s)
	return s
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
	if n.tape == t {
		if int(n.idx) < len(p.slots) {
			return &p.slots[n.idx]
		}
		return &slot{}
	}
	if i, ok := p.leaves.find(n); ok {
		return &p.leafSlots[i]
	}
	return p.newLeafSlot(n)
}

// newLeafSlot registers n, a node off the pass's tape that has no slot yet, and returns its new
// slot, queueing a heap node for the heap walk.
func (p *pass) newLeafSlot(n *node) *slot {
	p.leaves.add(n)
	p.leafSlots = append(p.leafSlots, slot{})
	if n.op != nil && n.tape == nil {
		heap.Push(&p.pending, n)
	}
	return &p.leafSlots[len(p.leafSlots)-1]
}

// heldSlot returns the slot of n if the pass has one for it, or nil: slotOf without its side
// effects, for looking at a gradient before knowing there is one to add.
func (p *pass) heldSlot(t *Tape, n *node) *slot {
	if n.tape == t {
		if int(n.idx) < len(p.slots) {
			return &p.slots[n.idx]
		}
		return nil
	}
	if i, ok := p.leaves.find(n); ok {
		return &p.leafSlots[i]
	}
	return nil
}

// passTape returns the tape a backward pass from outputs on t records on: t itself, or for
// outputs on the heap a new tape, which holds the pass's gradients as long as they are used.
func passTape(t *Tape) *Tape {
	if t == nil {
		return NewTape()
	}
	return t
}

// run performs one backward pass from outs, which are on tape t or on the heap: first the tape's
// nodes in reverse order, then the heap nodes they reach in reverse creation order. With wrt set,
// only paths that reach wrt are followed. When collect is set, leaves add their gradient to their
// collected gradient (AccumulateGrad), or keep the one summed in it (intoParamGrad).
func run(op string, t *Tape, outs, wrt []Var, o *options, collect bool) *pass {
	if t.inPass {
		Panicf(op, ErrValue, "a backward pass is already running on this tape: a derivative rule cannot start another one (Backward or Grad) on the tape it runs on")
	}
	t.inPass = true
	if !o.create {
		t.noGrad++
	}
	defer t.endPass(!o.create) // one deferred call: a small step's Backward runs often
	p := &t.pass
	p.release()
	p.start = t.used
	t.collecting = collect && !o.create
	t.rule = nil
	if t.anomaly {
		t.passSite = callers(3, t.passSite)
	}
	if p.reachOff == nil {
		p.reachOff = make(map[*node]bool)
	}
	hi := -1
	for _, v := range outs {
		n := v.check(op)
		if n.tape == t && int(n.idx) > hi {
			hi = int(n.idx)
		}
	}
	p.slots = zeroed(p.slots, hi+1)

	p.prune = wrt != nil
	if p.prune {
		p.markReach(op, t, outs, wrt, hi)
	}
	p.inPlace = !o.create && o.trace == nil && !t.anomaly
	seed(op, t, p, outs, o)
	for i := hi; i >= 0; i-- {
		s := &p.slots[i]
		if s.g.n == nil {
			continue
		}
		switch n := t.nodes[i]; {
		case n.leaf && collect:
			n.mutAttrs().lg.add(n, s.g.n, true)
		case !n.requiresGrad || n.op == nil: // a leaf's
		case !p.inPlace || !scalarRules(t, p, n, s.g.n):
			applyRules(op, t, p, n, s.g, o)
		}
	}
	for len(p.pending) > 0 {
		n := heap.Pop(&p.pending).(*node)
		switch g := p.slotOf(t, n).g; {
		case !n.requiresGrad:
		case !p.inPlace || !scalarRules(t, p, n, g.n):
			applyRules(op, t, p, n, g, o)
		}
	}
	if collect {
		for i, n := range p.leaves.keys {
			if g := p.leafSlots[i].g; g.n != nil && n.leaf {
				// A gradient summed in the leaf's buffer (intoParamGrad) is in place already. Only
				// then does a slot hold the buffer while the leaf has no gradient: a gradient it
				// has (Grad's Var, say, given as a seed) may reach the slot and is added as any.
				if lg := &n.mutAttrs().lg; g.n == lg.buf && lg.state != gradOwned {
					lg.state = gradOwned
				} else {
					lg.add(n, g.n, true)
				}
			}
		}
		for _, g := range p.taken { // the parameters own these values now
			g.gen, g.f64, g.f32 = 0, nil, nil
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
		if t.anomaly {
			checkOutput(n)
		}
		var s Var
		if o.seeds != nil {
			s = o.seeds[i]
			sn := s.check(op)
			if sn.dtype != n.dtype || !slices.Equal(sn.shape, n.shape) {
				Panicf(op, ErrSeed, "seed %d is %s %v, output is %s %v", i, FormatShape(sn.shape), sn.dtype, FormatShape(n.shape), n.dtype)
			}
		} else {
			if n.numel() != 1 {
				Panicf(op, ErrSeed, "output %d has shape %s; a non-scalar output needs an explicit seed (autograd.Seed)", i, FormatShape(n.shape))
			}
			sn := t.newNodeSized(n.dtype, n.shape, 1) // Full's 1, for a shape checked already
			if sn.dtype == Float32 {
				sn.f32[0] = 1
			} else {
				sn.f64[0] = 1
			}
			s = sn.handle()
		}
		how := plainSum
		if o.create {
			how = recordSum
		}
		accumulate(t, p.slotOf(t, n), s, how)
	}
}

// markReach marks the tape nodes up to hi, and the nodes off the tape, from which a wrt input can
// be reached, as found by the walk that plans a forward sweep from wrt to outs (forward.go).
func (p *pass) markReach(op string, t *Tape, outs, wrt []Var, hi int) {
	p.reach = zeroed(p.reach, hi+1)
	fp := newFwdPlan(op, outs, wrt, false)
	defer fp.release()
	for k, n := range fp.nodes {
		switch {
		case !fp.dep[k]:
		case n.tape != t:
			p.reachOff[n] = true
		case int(n.idx) <= hi:
			p.reach[n.idx] = true
		}
	}
}

// reaches reports whether a wrt input can be reached from n.
func (p *pass) reaches(t *Tape, n *node) bool {
	if n.tape == t {
		return int(n.idx) < len(p.reach) && p.reach[n.idx]
	}
	return p.reachOff[n]
}

// applyRules propagates g, the gradient of node n, to n's inputs.
func applyRules(op string, t *Tape, p *pass, n *node, g Var, o *options) {
	y := n.handle()
	t.rule = n
	inPlace := p.inPlace
	for i, in := range n.inputs {
		in := in.n
		if !in.requiresGrad || !n.op.flows(i) || (p.prune && !p.reaches(t, in)) {
			continue
		}
		if i < len(n.op.GradsInto) && n.op.GradsInto[i] != nil && inPlace {
			// A sum the pass owns: the rule may add its product into it (Op.GradsInto). The
			// lookup registers nothing: the rule below may yet return no gradient. A small
			// parameter's first gradient of the pass goes straight into its gradient buffer.
			if s := p.heldSlot(t, in); s != nil {
				if s.ownsSum() && n.op.GradsInto[i](s.g, g, y) {
					continue
				}
			} else if t.collecting && p.intoParamGrad(in, n.op.GradsInto[i], g, y) {
				continue
			}
		}
		var gi Var // Op.vjp, written out: a call per rule shows on scalar graphs
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
			badRule(op, n, i, gn)
		}
		if t.anomaly {
			checkGrad(n, i, gi)
		}
		if o.trace != nil {
			o.trace.record(t, n, i, g, gi)
		}
		// accumulate, written out: a scalar graph's rules come here once per node. A gradient
		// in a slot buffer (Backward's results from minOwnBuffer elements) that no slot holds
		// yet is a new result of the pass, which the slot may own; addToSlot sorts them out.
		if s := p.slotOf(t, in); s.g.n == nil && gn.marks&(ownsBuf|held) == 0 {
			s.g, s.owned = gi, false
		} else {
			how := plainSum
			switch {
			case o.create:
				how = recordSum
			case inPlace && gn.marks&(ownsBuf|held) == ownsBuf && gn.tape == t && int(gn.idx) >= p.start:
				how = freshSum
			}
			addToSlot(t, s, gi, how)
		}
	}
}

// badRule panics for the rule of n for input i, which returned gn, not shaped like the input.
func badRule(op string, n *node, i int, gn *node) {
	in := n.inputs[i].n
	Panicf(op, ErrRule, "rule of %s for input %d returned %s %v, want %s %v", n.op.Name, i, FormatShape(gn.shape), gn.dtype, FormatShape(in.shape), in.dtype)
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

// accumulate adds g, an output's seed, to the slot; new nodes go on t. applyRules has its own
// copy of the first test, for speed.
func accumulate(t *Tape, s *slot, g Var, how sumMode) {
	if s.g.n == nil && g.n.marks&(ownsBuf|held) == 0 {
		s.g, s.owned = g, false
		return
	}
	addToSlot(t, s, g, how)
}

// sumMode says how a slot may sum a gradient.
type sumMode uint8

const (
	plainSum  sumMode = iota // in a new buffer, or in place into one the slot owns
	freshSum                 // as plainSum, and g is a rule's new result, which the slot may own
	recordSum                // on the tape, as a differentiable operation (CreateGraph)
)

// addToSlot adds g to the slot: the slow cases of accumulate. Where the slot's gradient is a
// buffer it owns, g is added into it in place. A result of the running pass in a buffer of its
// own (freshSum: Backward's results of minOwnBuffer elements or more) that no slot holds yet is
// a rule's new result, which nothing else reads (see Op.Grads), and as a slot's first gradient
// the slot takes it as the sum it owns: from the input's second gradient on the pass adds in
// place, and a rule's GradsInto adds into the sum, instead of the second gradient making a new
// sum. Any other first gradient may be another slot's too (Add's rule passes g on to both
// inputs), and only a new sum replaces it; so does a later gradient, even a new result, which
// the node's rule for another input might still return. Every gradient in a slot buffer that a
// slot takes, and every sum the pass makes, is marked held; held again by a second slot
// (passed on, or returned by a rule for two inputs), it is marked shared, and no slot adds into
// it.
func addToSlot(t *Tape, s *slot, g Var, how sumMode) {
	fresh := how == freshSum
	switch {
	case s.g.n == nil:
		if g.n.marks&held != 0 {
			g.n.marks |= shared
		}
		if g.n.marks&ownsBuf != 0 {
			g.n.marks |= held
		}
		s.g, s.owned = g, fresh
	case how == recordSum:
		out := NewResult(accumOp, g.n.dtype, g.n.shape, s.g, g)
		addInto(out.n, s.g.n, g.n)
		s.g, s.owned = out, false
	case s.ownsSum():
		addInto(s.g.n, s.g.n, g.n)
	default:
		n := t.newNode(g.n.dtype, g.n.shape)
		addInto(n, s.g.n, g.n)
		n.marks |= held
		s.g, s.owned = n.handle(), true
	}
}

// ownsSum reports whether the slot's gradient is a buffer the pass may add into in place: a sum
// it made or a rule's new result, held by this slot alone.
func (s *slot) ownsSum() bool { return s.owned && s.g.n.marks&shared == 0 }
