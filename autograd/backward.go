package autograd

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
	var o options
	for _, f := range opts {
		f(&o)
	}
	o.create = false
	err = Maybe(func() {
		n := loss.check("autograd.Backward")
		t := n.tape
		if t == nil {
			return // a parameter: nothing to propagate through
		}
		outs := [1]Var{loss}
		t.run("autograd.Backward", outs[:], nil, &o, true)
	})
	return err
}

// Grad returns the gradients of the outputs with respect to inputs, without touching the leaves'
// collected gradients. Outputs are seeded with 1 unless Seed is given. With CreateGraph the
// backward pass is recorded and the gradients can be differentiated again; otherwise they are
// constants valid until the tape is reset. Grad returns an error naming the fault if an output or
// input is nil or stale, outputs span tapes, a seed is bad, or an input is unused (see
// AllowUnused).
func Grad(outputs, inputs []Var, opts ...Option) (grads []Var, err error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	err = Maybe(func() {
		const op = "autograd.Grad"
		if len(outputs) == 0 {
			Panicf(op, ErrValue, "no outputs")
		}
		for _, in := range inputs {
			in.check(op)
		}
		t := tapeOf(op, outputs)
		t.run(op, outputs, inputs, &o, false)
		grads = make([]Var, len(inputs))
		for i, in := range inputs {
			g := t.pass.slotOf(t, in.n).g
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

// slot is the gradient collected so far for one node during a backward pass.
type slot struct {
	g     Var
	owned bool // g was allocated by accumulate and may be updated in place
}

// pass is the scratch state of one backward pass; the tape keeps it to reuse its memory.
type pass struct {
	slots     []slot
	reach     []bool
	leafIdx   map[*node]int32
	leafSlots []slot
	leafNodes []*node
	wrt       map[*node]bool
	prune     bool
}

func (p *pass) release() {
	clear(p.slots)
	clear(p.leafSlots)
	clear(p.leafNodes)
	p.leafSlots, p.leafNodes = p.leafSlots[:0], p.leafNodes[:0]
	clear(p.leafIdx)
	clear(p.wrt)
}

// slotOf returns the slot of n: a tape node's by index, a parameter's from the leaf table.
func (p *pass) slotOf(t *Tape, n *node) *slot {
	if n.tape == t {
		if int(n.idx) < len(p.slots) {
			return &p.slots[n.idx]
		}
		return &slot{}
	}
	i, ok := p.leafIdx[n]
	if !ok {
		i = int32(len(p.leafSlots))
		p.leafIdx[n] = i
		p.leafSlots = append(p.leafSlots, slot{})
		p.leafNodes = append(p.leafNodes, n)
	}
	return &p.leafSlots[i]
}

// run performs one backward pass from outs. With wrt set, only paths that reach wrt are
// followed. When collect is set, leaves add their gradient to their collected gradient.
func (t *Tape) run(op string, outs, wrt []Var, o *options, collect bool) {
	p := &t.pass
	p.release()
	if p.leafIdx == nil {
		p.leafIdx = make(map[*node]int32)
		p.wrt = make(map[*node]bool)
	}
	hi := -1
	for _, v := range outs {
		n := v.check(op)
		if n.tape == t && int(n.idx) > hi {
			hi = int(n.idx)
		}
	}
	if cap(p.slots) < hi+1 {
		p.slots = make([]slot, hi+1, 2*(hi+1))
	}
	p.slots = p.slots[:hi+1]
	clear(p.slots)

	if !o.create {
		t.noGrad++
		defer func() { t.noGrad-- }()
	}
	t.seed(op, outs, o)
	p.prune = wrt != nil
	if p.prune {
		t.markReach(wrt, hi)
	}
	for i := hi; i >= 0; i-- {
		s := &p.slots[i]
		if s.g.n == nil {
			continue
		}
		n := t.nodes[i]
		if n.leaf {
			if collect {
				collectGrad(n, s.g)
			}
			continue
		}
		if n.op == nil || !n.requiresGrad {
			continue
		}
		t.applyRules(op, n, s.g, o)
	}
	if collect {
		for i, n := range p.leafNodes {
			if g := p.leafSlots[i].g; g.n != nil {
				collectGrad(n, g)
			}
		}
	}
}

// seed puts the outputs' seeds into their slots.
func (t *Tape) seed(op string, outs []Var, o *options) {
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
			if sn.dtype != n.dtype || !sameShape(sn.shape, n.shape) {
				Panicf(op, ErrSeed, "seed %d is %s %v, output is %s %v", i, FormatShape(sn.shape), sn.dtype, FormatShape(n.shape), n.dtype)
			}
		} else {
			if n.numel() != 1 {
				Panicf(op, ErrSeed, "output %d has shape %s; a non-scalar output needs an explicit seed (autograd.Seed)", i, FormatShape(n.shape))
			}
			s = t.Full(n.dtype, 1, n.shape...)
		}
		t.accumulate(t.pass.slotOf(t, n), s, o.create)
	}
}

// markReach marks the tape nodes up to hi from which a wrt input can be reached.
func (t *Tape) markReach(wrt []Var, hi int) {
	p := &t.pass
	if cap(p.reach) < hi+1 {
		p.reach = make([]bool, hi+1, 2*(hi+1))
	}
	p.reach = p.reach[:hi+1]
	clear(p.reach)
	for _, v := range wrt {
		if v.n.tape == t {
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

func (p *pass) reaches(t *Tape, n *node) bool {
	if n.tape == t {
		return int(n.idx) < len(p.reach) && p.reach[n.idx]
	}
	return p.wrt[n]
}

// applyRules propagates g, the gradient of node n, to n's inputs.
func (t *Tape) applyRules(op string, n *node, g Var, o *options) {
	y := n.handle()
	for i, in := range n.inputs {
		in := in.n
		if !in.requiresGrad || !n.op.flows(i) || (t.pass.prune && !t.pass.reaches(t, in)) {
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
		if gn.dtype != in.dtype || !sameShape(gn.shape, in.shape) {
			Panicf(op, ErrRule, "rule of %s for input %d returned %s %v, want %s %v", n.op.Name, i, FormatShape(gn.shape), gn.dtype, FormatShape(in.shape), in.dtype)
		}
		if t.anomaly {
			t.checkGrad(n, i, gi)
		}
		if o.trace != nil {
			o.trace.record(t, n, i, g, gi)
		}
		t.accumulate(t.pass.slotOf(t, in), gi, o.create)
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

// accumulate adds g to the slot.
func (t *Tape) accumulate(s *slot, g Var, create bool) {
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
func collectGrad(n *node, g Var) {
	if n.grad.n == nil || !n.grad.live() {
		var c *node
		if n.tape == nil {
			c = &node{dtype: n.dtype}
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
		n.grad = c.handle()
	}
	addInto(n.grad.n, n.grad.n, g.n)
}

// addInto sets dst = a + b elementwise; all three have the same shape and dtype.
func addInto(dst, a, b *node) {
	if dst.dtype == Float32 {
		d, x, y := dst.f32, a.f32, b.f32
		for i := range d {
			d[i] = x[i] + y[i]
		}
		return
	}
	d, x, y := dst.f64, a.f64, b.f64
	for i := range d {
		d[i] = x[i] + y[i]
	}
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
