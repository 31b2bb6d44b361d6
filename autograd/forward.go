package autograd

import (
	"errors"
	"slices"
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
// output, in an order where every operation comes after its inputs.
type fwdPlan struct {
	op      string
	inputs  []Var
	outputs []Var
	order   []*node
	dep     map[*node]bool // nodes on a path from an input
}

// newFwdPlan orders the operations between inputs and outputs. It panics with an *Error naming
// op if an input or output is nil or stale, an input is listed twice, or an operation on the
// path has no JVP rule.
func newFwdPlan(op string, outputs, inputs []Var) *fwdPlan {
	p := &fwdPlan{op: op, inputs: inputs, outputs: outputs, dep: make(map[*node]bool)}
	isInput := make(map[*node]int, len(inputs))
	for i, in := range inputs {
		n := in.check(op)
		if j, ok := isInput[n]; ok {
			Panicf(op, ErrValue, "input %d is input %d again; pass each input once", i, j)
		}
		isInput[n] = i
		p.dep[n] = true
	}
	type frame struct {
		n *node
		i int
	}
	visited := make(map[*node]bool)
	var stack []frame
	for _, o := range outputs {
		n := o.check(op)
		if visited[n] {
			continue
		}
		visited[n] = true
		stack = append(stack[:0], frame{n: n})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if _, in := isInput[top.n]; !in && top.i < len(top.n.inputs) {
				c := top.n.inputs[top.i].n
				top.i++
				if !visited[c] {
					visited[c] = true
					stack = append(stack, frame{n: c})
				}
				continue
			}
			n := top.n
			stack = stack[:len(stack)-1]
			if _, in := isInput[n]; in || n.op == nil {
				continue
			}
			for _, in := range n.inputs {
				if p.dep[in.n] {
					p.dep[n] = true
					break
				}
			}
			if !p.dep[n] {
				continue
			}
			if n.op.JVP == nil {
				Panicf(op, ErrNoJVP, "operation %s (output %s %v, %d inputs) has no forward-mode rule (Op.JVP); give it one, or use reverse mode", n.op.Name, FormatShape(n.shape), n.dtype, len(n.inputs))
			}
			p.order = append(p.order, n)
		}
	}
	return p
}

// sweep returns the tangents of the outputs given one tangent per input, each already checked
// against its input. A zero tangent of an output that depends on an input is made a zero value
// on the output's tape; one that depends on no input is the zero Var.
func (p *fwdPlan) sweep(tangents []Var) []Var {
	tan := make(map[*node]Var, len(p.order)+len(p.inputs))
	for i, in := range p.inputs {
		tan[in.n] = tangents[i]
	}
	var buf []Var
	for _, n := range p.order {
		buf = buf[:0]
		nonzero := false
		for _, in := range n.inputs {
			t := tan[in.n]
			buf = append(buf, t)
			nonzero = nonzero || t.n != nil
		}
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
		tan[n] = t
	}
	outs := make([]Var, len(p.outputs))
	for i, o := range p.outputs {
		t := tan[o.n]
		if t.n == nil && p.dep[o.n] {
			t = o.n.tape.Zeros(o.n.dtype, o.n.shape...)
		}
		outs[i] = t
	}
	return outs
}

// checkTangents panics with an *Error naming op unless tangents match inputs one to one in shape
// and dtype.
func checkTangents(op string, inputs, tangents []Var) { checkVectors(op, "tangent", inputs, tangents) }

// checkVectors is checkTangents calling the tangents what.
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
	checkTangents(op, inputs, tangents)
	p := newFwdPlan(op, outputs, inputs)
	reached := false
	for _, out := range outputs {
		reached = reached || p.dep[out.n]
	}
	if !reached && !o.allowUnused {
		Panicf(op, ErrUnused, "no output (first: %s %v) depends on the inputs; pass AllowUnused to get zeros", FormatShape(outputs[0].n.shape), outputs[0].n.dtype)
	}
	var outs []Var
	if t := outputs[0].n.tape; t != nil && !o.create {
		t.NoGrad(func() { outs = p.sweep(tangents) })
	} else {
		outs = p.sweep(tangents)
	}
	for i, t := range outs {
		if t.n == nil {
			outs[i] = outputs[i].n.tape.Zeros(outputs[i].n.dtype, outputs[i].n.shape...)
		}
	}
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
