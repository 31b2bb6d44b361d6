package autograd

import (
	"errors"
	"slices"
	"sync"
)

// Forward mode. A recorded graph is swept from its inputs to its outputs, each operation's
// tangent computed from its inputs' tangents by its Op's JVP rule. The sweep follows the graph
// behind the outputs (through Var inputs, as Backward does), not the tape's order, so it covers
// heap values (operations on parameters alone) and visits only the part of a tape that leads from
// the inputs to the outputs. Tangent rules are written with operations, so the tangents are
// themselves recorded values: under CreateGraph they can be differentiated in reverse mode, and a
// graph that contains a recorded backward pass (Grad with CreateGraph) can be swept forward,
// which is forward-over-reverse.

// ErrNoJVP reports an operation without a forward-mode rule (Op.JVP) on the path from the
// inputs to the outputs of a forward-mode derivative.
var ErrNoJVP = errors.New("autograd: no forward-mode rule")

// fwdPlan is the forward sweep of one graph: the operations on a path from an input to an
// output, in an order where every operation comes after its inputs. Nodes are numbered locally
// (ids from 1, the inputs first), so that a sweep needs no map.
type fwdPlan struct {
	op     string
	nodes  []*node // by id − 1
	dep    []bool  // by id − 1: the node is on a path from an input
	order  []int32 // ids of the operations to run, inputs before their consumers
	args   []int32 // ids of each operation's inputs, concatenated in order
	outIDs []int32
	tan    []Var // sweep scratch: the tangents by id − 1
	buf    []Var // sweep scratch: one operation's input tangents
	stack  []frame
	// Planning scratch: the ids of the nodes of the outputs' tape t by position (zero between
	// plans, so that planning costs the size of the graph swept, not of the whole tape), and in a
	// map those of the others (heap values, parameters).
	t     *Tape
	ids   []int32
	other map[*node]int32
}

// frame is a node on the stack of newFwdPlan's depth-first walk, with the next input to visit.
type frame struct {
	n  *node
	id int32
	i  int
}

// plans keeps released plans, whose buffers the next plan reuses: a forward-mode call then
// allocates little more than its results, which keeps the garbage collector (and its write
// barriers on every node the sweep records) out of small graphs.
var plans sync.Pool

// release returns p to the pool; p must not be used afterwards.
func (p *fwdPlan) release() {
	clear(p.nodes)
	clear(p.tan)
	clear(p.buf[:cap(p.buf)])
	clearMap(p.other)
	p.t = nil
	plans.Put(p)
}

// id returns n's id, or 0 if it has none.
func (p *fwdPlan) id(n *node) int32 {
	if n.tape == p.t && p.t != nil {
		return p.ids[n.idx]
	}
	return p.other[n]
}

// add gives n the next id and returns it.
func (p *fwdPlan) add(n *node) int32 {
	p.nodes = append(p.nodes, n)
	p.dep = append(p.dep, false)
	id := int32(len(p.nodes))
	if n.tape == p.t && p.t != nil {
		p.ids[n.idx] = id
		return id
	}
	if p.other == nil {
		p.other = make(map[*node]int32)
	}
	p.other[n] = id
	return id
}

// dependsOn reports whether output i depends on an input.
func (p *fwdPlan) dependsOn(i int) bool { return p.dep[p.outIDs[i]-1] }

// newFwdPlan orders the operations between inputs and outputs. It panics with an *Error naming
// op if an input or output is nil or stale and, when the plan is for a sweep, if an input is
// listed twice or an operation on the path has no JVP rule. A plan not for a sweep only tells
// which nodes depend on the inputs (dep), as Grad's pruning needs (backward.go); its walk also
// goes below the inputs, since an input may depend on another.
func newFwdPlan(op string, outputs, inputs []Var, forSweep bool) *fwdPlan {
	p, _ := plans.Get().(*fwdPlan)
	if p == nil {
		p = new(fwdPlan)
	}
	p.op = op
	p.nodes, p.dep, p.order, p.args, p.outIDs = p.nodes[:0], p.dep[:0], p.order[:0], p.args[:0], p.outIDs[:0]
	p.t = tapeOf(op, outputs)
	if p.t != nil {
		if len(p.ids) < p.t.used {
			p.ids = make([]int32, p.t.used+p.t.used/4)
		}
		defer func() {
			for _, n := range p.nodes {
				if n.tape == p.t {
					p.ids[n.idx] = 0
				}
			}
		}()
	}
	for i, in := range inputs {
		n := in.check(op)
		if j := p.id(n); j != 0 {
			if forSweep {
				Panicf(op, ErrValue, "input %d is input %d again; pass each input once", i, j-1)
			}
			continue
		}
		p.dep[p.add(n)-1] = true
	}
	nin := int32(len(p.nodes))
	stack := p.stack[:0]
	defer func() { clear(stack[:cap(stack)]); p.stack = stack[:0] }()
	for id := int32(1); id <= nin && !forSweep; id++ { // below an input may be another one
		stack = append(stack, frame{n: p.nodes[id-1], id: id})
	}
	for _, o := range outputs {
		n := o.check(op)
		id := p.id(n)
		if id == 0 {
			id = p.add(n)
			stack = append(stack, frame{n: n, id: id})
		}
		p.outIDs = append(p.outIDs, id)
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if (top.id > nin || !forSweep) && top.i < len(top.n.inputs) {
				c := top.n.inputs[top.i].n
				top.i++
				if p.id(c) == 0 {
					stack = append(stack, frame{n: c, id: p.add(c)})
				}
				continue
			}
			n, id := top.n, top.id
			stack = stack[:len(stack)-1]
			if id <= nin || n.op == nil {
				continue
			}
			start := len(p.args)
			for _, in := range n.inputs {
				a := p.id(in.n)
				p.args = append(p.args, a)
				p.dep[id-1] = p.dep[id-1] || p.dep[a-1]
			}
			if !p.dep[id-1] {
				p.args = p.args[:start]
				continue
			}
			if forSweep && n.op.JVP == nil {
				Panicf(op, ErrNoJVP, "operation %s (output %s %v, %d inputs) has no forward-mode rule (Op.JVP); give it one, or use reverse mode", n.op.Name, FormatShape(n.shape), n.dtype, len(n.inputs))
			}
			p.order = append(p.order, id)
		}
	}
	return p
}

// sweep returns the tangents of the outputs given one tangent per input, each already checked
// against its input. A zero tangent is made a zero value on the output's tape.
func (p *fwdPlan) sweep(tangents []Var) []Var {
	p.tan = zeroed(p.tan, len(p.nodes))
	tan := p.tan
	copy(tan, tangents)
	buf := p.buf[:0]
	defer func() { p.buf = buf }()
	args := p.args
	for _, id := range p.order {
		n := p.nodes[id-1]
		k := len(n.inputs)
		buf = buf[:0]
		nonzero := false
		for _, a := range args[:k] {
			t := tan[a-1]
			buf = append(buf, t)
			nonzero = nonzero || t.n != nil
		}
		args = args[k:]
		if !nonzero {
			continue
		}
		t := n.op.JVP(n.handle(), buf)
		if t.n == nil {
			continue
		}
		tn := t.check(p.op)
		if tn.dtype != n.dtype || !slices.Equal(tn.shape, n.shape) {
			Panicf(p.op, ErrRule, "forward-mode rule of %s returned %s %v, want the output's %s %v", n.op.Name, FormatShape(tn.shape), tn.dtype, FormatShape(n.shape), n.dtype)
		}
		tan[id-1] = t
	}
	outs := make([]Var, len(p.outIDs))
	for i, id := range p.outIDs {
		outs[i] = tan[id-1]
		if o := p.nodes[id-1]; outs[i].n == nil {
			outs[i] = o.tape.Zeros(o.dtype, o.shape...)
		}
	}
	return outs
}

// checkVectors panics with an *Error naming op unless tangents, called what in the message,
// match inputs one to one in shape and dtype.
func checkVectors(op, what string, inputs, tangents []Var) {
	if len(tangents) != len(inputs) {
		Panicf(op, ErrValue, "%d inputs and %d %ss; want one %s per input", len(inputs), len(tangents), what, what)
	}
	for i, t := range tangents {
		in := inputs[i].check(op)
		if t.n == nil {
			Panicf(op, ErrNilVar, "%s %d is the zero Var; want a value shaped like input %d %s", what, i, i, FormatShape(in.shape))
		}
		tn := t.check(op)
		if !slices.Equal(tn.shape, in.shape) {
			Panicf(op, ErrShape, "%s %d has shape %s; input %d has shape %s", what, i, FormatShape(tn.shape), i, FormatShape(in.shape))
		}
		if tn.dtype != in.dtype {
			Panicf(op, ErrDType, "%s %d is %v; input %d is %v", what, i, tn.dtype, i, in.dtype)
		}
	}
}

// tangentsOf is Tangents reporting errors as op.
func tangentsOf(op string, outputs, inputs, tangents []Var, o *options) []Var {
	if len(outputs) == 0 {
		Panicf(op, ErrValue, "no outputs")
	}
	checkVectors(op, "tangent", inputs, tangents)
	p := newFwdPlan(op, outputs, inputs, true)
	defer p.release()
	reached := false
	for i := range outputs {
		reached = reached || p.dependsOn(i)
	}
	if !reached && !o.allowUnused {
		Panicf(op, ErrUnused, "no output (first: %s %v) depends on the inputs; pass AllowUnused to get zeros", FormatShape(outputs[0].n.shape), outputs[0].n.dtype)
	}
	var outs []Var
	noGradUnless(o.create, outputs[0].n.tape, func() { outs = p.sweep(tangents) })
	return outs
}

// Tangents returns the tangents of outputs, the Jacobian-vector products Σⱼ ∂outputᵢ/∂inputⱼ ·
// tangentⱼ, for outputs already computed from inputs: the forward-mode counterpart of Grad. Each
// tangent must have its input's shape and dtype. The graph from the inputs to the outputs is
// swept once, at about the cost of computing the outputs again; values the outputs depend on
// other than through the inputs count as constants. With CreateGraph the tangents are recorded
// and can be differentiated again (in either mode); otherwise they are constants valid until
// the tape is reset. An output that does not depend on the inputs gets zeros.
//
// Tangents returns an error naming the fault if an output, input or tangent is nil or stale, a
// tangent's shape or dtype differs from its input's, an input is listed twice, an operation on
// the way has no forward-mode rule (ErrNoJVP), or no output depends on the inputs (ErrUnused,
// unless AllowUnused).
func Tangents(outputs, inputs, tangents []Var, opts ...Option) (outTangents []Var, err error) {
	o := applyOptions(opts)
	err = Maybe(func() { outTangents = tangentsOf("autograd.Tangents", outputs, inputs, tangents, &o) })
	return outTangents, err
}

// The forward-mode rule of the core's own primitive, the sum of gradient contributions that a
// recorded backward pass makes (accumOp, backward.go): y = a + b, ẏ = ȧ + ḃ.
func init() { accumOp.JVP = func(y Var, t []Var) Var { return addTangents(t[0], t[1]) } }

// addTangents returns a + b recorded as accumOp, or the non-zero one of them.
func addTangents(a, b Var) Var {
	if a.n == nil {
		return b
	}
	if b.n == nil {
		return a
	}
	out := NewResult(accumOp, a.n.dtype, a.n.shape, a, b)
	addInto(out.n, a.n, b.n)
	return out
}
