package autograd

import (
	"fmt"
	"strings"
)

// Trace is an opt-in record of a backward pass (see WithTrace). Each step is one application of
// a derivative rule: the course's "total gradient = upstream gradient × local gradient", made
// visible. A Trace holds copies of values, never the tape.
type Trace struct {
	Steps []TraceStep
}

// TraceStep records the rule of one node for one of its inputs.
type TraceStep struct {
	Op       string    // the operation, e.g. "Mul"
	Node     int       // the node's position on the tape
	Input    int       // which operand
	Shape    []int     // the operand's shape
	Upstream []float64 // the gradient arriving at the node's output
	Local    []float64 // the rule applied to an upstream gradient of ones: ∂out/∂in summed over outputs
	Product  []float64 // the gradient passed to the operand (upstream × local for elementwise ops)
}

// record appends the step for input i of n, given upstream g and result gi.
func (tr *Trace) record(t *Tape, n *node, i int, g, gi Var) {
	step := TraceStep{
		Op: n.op.Name, Node: int(n.idx), Input: i,
		Shape:    append([]int(nil), n.inputs[i].n.shape...),
		Upstream: g.Float64s(),
		Product:  gi.Float64s(),
	}
	t.NoGrad(func() {
		ones := t.Full(g.n.dtype, 1, g.n.shape...)
		if local := n.op.vjp(ones, n.handle(), i); local.n != nil {
			step.Local = local.Float64s()
		}
	})
	tr.Steps = append(tr.Steps, step)
}

// String formats the trace as a table, one line per step, values shown up to 4 per cell.
func (tr *Trace) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-5s %-12s %-5s %-22s %-22s %-22s\n", "node", "op", "input", "upstream", "local", "upstream×local")
	for _, s := range tr.Steps {
		fmt.Fprintf(&b, "%-5d %-12s %-5d %-22s %-22s %-22s\n", s.Node, s.Op, s.Input, short(s.Upstream), short(s.Local), short(s.Product))
	}
	return b.String()
}

func short(xs []float64) string {
	if xs == nil {
		return "-"
	}
	parts := make([]string, 0, 5)
	for i, x := range xs {
		if i == 4 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%.4g", x))
	}
	return strings.Join(parts, " ")
}
