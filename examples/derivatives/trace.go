package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	ag "github.com/gograd/gograd/autograd"
)

// traceExample is a single sigmoid unit with round numbers: a = (1, 2), w = (0.5, −0.25), so
// h = 0, y = ½, and t = 1. Then ∂E/∂y = y − t = −½, the sigmoid's local gradient is
// y (1 − y) = ¼, ∂E/∂h = −⅛, and ∂E/∂w = −⅛ a = (−0.125, −0.25).
var traceExample = oneLayer{a: []float64{1, 2}, w: []float64{0.5, -0.25}, t: 1}

// traceOneLayer runs the backward pass of traceExample with autograd.WithTrace.
func traceOneLayer() (*ag.Trace, error) {
	tr := new(ag.Trace)
	if _, err := traceExample.autograd(ag.NewTape(), ag.WithTrace(tr)); err != nil {
		return nil, err
	}
	return tr, nil
}

// writeTrace prints the network and its trace, last node first as the backward pass visits
// them.
func writeTrace(w io.Writer, tr *ag.Trace) {
	p := traceExample
	fmt.Fprintf(w, "   a = %v, w = %v, t = %g: h = a·w = %g, y = σ(h) = %g, E = ½ (y − t)² = %g\n",
		p.a, p.w, p.t, dot(p.a, p.w), p.forward(), 0.5*(p.forward()-p.t)*(p.forward()-p.t))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   node\top\tinput\tupstream\tlocal\tupstream × local")
	for _, s := range tr.Steps {
		fmt.Fprintf(tw, "   %d\t%s\t%d\t%s\t%s\t%s\n", s.Node, s.Op, s.Input, values(s.Upstream), values(s.Local), values(s.Product))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "   Read from the top: the loss passes ∂E/∂y = y − t down; the sigmoid multiplies it by its local")
	fmt.Fprintln(w, "   gradient y (1 − y), giving ∂E/∂h = (y − t) y (1 − y); the product a·w multiplies that by a_j,")
	fmt.Fprintf(w, "   giving ∂E/∂w_j = (y − t) y (1 − y) a_j = %v, as the closed form says.\n", p.closedForm())
}

// values formats a few numbers compactly.
func values(xs []float64) string {
	if xs == nil {
		return "-"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.4g", x)
	}
	return strings.Join(parts, " ")
}

// writeColumns prints a table with the given header; fill calls row once per line.
func writeColumns(w io.Writer, header []string, fill func(row func(...any))) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t\n", strings.Join(header, "\t"))
	fill(func(cells ...any) {
		for _, c := range cells {
			switch c := c.(type) {
			case float64:
				fmt.Fprintf(tw, "%.6g\t", c)
			default:
				fmt.Fprintf(tw, "%v\t", c)
			}
		}
		fmt.Fprintln(tw)
	})
	tw.Flush()
}
