package autograd

import (
	"fmt"
	"io"
	"strings"
)

// WriteDOT writes the graph that produced outputs in Graphviz DOT format: one box per node with
// its operation (or leaf kind), shape and dtype, and an edge from every operand to its result.
// Parameters are drawn as ellipses, constants as plain text. Nodes that no gradient reaches are
// grey. WriteDOT keeps no reference to the tape after it returns.
func WriteDOT(w io.Writer, outputs ...Var) error {
	if err := Maybe(func() {
		for _, v := range outputs {
			v.check("autograd.WriteDOT")
		}
	}); err != nil {
		return err
	}
	ids := map[*node]int{}
	var order []*node
	stack := make([]*node, 0, len(outputs))
	for _, v := range outputs {
		stack = append(stack, v.n)
	}
	for len(stack) > 0 { // iterative depth-first walk: no recursion
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := ids[n]; ok {
			continue
		}
		ids[n] = len(ids)
		order = append(order, n)
		for _, in := range n.inputs {
			stack = append(stack, in.n)
		}
	}
	var b strings.Builder // written to w at once
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("digraph autograd {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	for _, n := range order {
		label, shape := n.opName(), "box"
		switch {
		case n.param:
			label, shape = "param", "ellipse"
		case n.leaf:
			label, shape = "variable", "ellipse"
		case n.op == nil:
			label, shape = "const", "plaintext"
		}
		color := "black"
		if !n.requiresGrad {
			color = "grey"
		}
		p("  n%d [label=\"%s\\n%s %v\", shape=%s, color=%s, fontcolor=%s];\n", ids[n], label, FormatShape(n.shape), n.dtype, shape, color, color)
	}
	for _, n := range order {
		for i, in := range n.inputs {
			p("  n%d -> n%d [label=\"%d\"];\n", ids[in.n], ids[n], i)
		}
	}
	p("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
