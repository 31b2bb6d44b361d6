package main

import (
	"fmt"
	"io"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

// wiredNet is the hand-wired two-layer network of hard-threshold perceptrons: hidden units
// h1 = NAND(x1, x2) and h2 = OR(x1, x2), output AND(h1, h2).
type wiredNet struct {
	net *layers.Sequential // Linear(2, 2), Step, Linear(2, 1), Step
}

// handWired returns the network with the weights of examples/gates: NAND fires when
// 1.5 − x1 − x2 > 0, OR when x1 + x2 − 0.5 > 0, AND when h1 + h2 − 1.5 > 0.
func handWired() wiredNet {
	hidden := layers.NewLinear(2, 2)
	copy(hidden.Weight.Data64(), []float64{ // (in, out): column 0 is NAND, column 1 is OR
		-1, 1,
		-1, 1,
	})
	copy(hidden.Bias.Data64(), []float64{1.5, -0.5})
	out := layers.NewLinear(2, 1)
	copy(out.Weight.Data64(), []float64{1, 1})
	copy(out.Bias.Data64(), []float64{-1.5})
	return wiredNet{layers.NewSequential(hidden, layers.Step{}, out, layers.Step{})}
}

// hidden returns the hidden layer's outputs (NAND, OR) for every row of X.
func (n wiredNet) hidden(X [][]float64) []float64 {
	return forward(layers.NewSequential(n.net.Layers[:2]...), X)
}

// classify returns the network's output for every row of X.
func (n wiredNet) classify(X [][]float64) []float64 { return forward(n.net, X) }

// forward returns the flattened output of m on the rows of X, computed without recording.
func forward(m layers.Module, X [][]float64) []float64 {
	tp := ag.NewTape()
	var y []float64
	tp.NoGrad(func() { y = m.Forward(batch(tp, X)).Float64s() })
	return y
}

// batch returns the rows of X as a constant matrix on tp.
func batch(tp *ag.Tape, X [][]float64) ag.Var {
	flat := make([]float64, 0, len(X)*len(X[0]))
	for _, x := range X {
		flat = append(flat, x...)
	}
	return tp.Const(flat, len(X), len(X[0]))
}

// identity holds, for one case (X, Y), both sides of the course's identities
// X xor Y = XY' + X'Y = (X + Y)(XY)' = (X + Y)(X' + Y'), with + for OR, juxtaposition for AND
// and ' for NOT.
type identity struct {
	xor     bool // XY' + X'Y, the definition
	orNand  bool // (X + Y)(XY)'
	orNotOr bool // (X + Y)(X' + Y')
}

func identities(x, y bool) identity {
	return identity{
		xor:     (x && !y) || (!x && y),
		orNand:  (x || y) && !(x && y),
		orNotOr: (x || y) && (!x || !y),
	}
}

// writeIdentity prints the network's truth table next to both sides of the identity.
func writeIdentity(w io.Writer, n wiredNet) {
	h := n.hidden(inputs)
	y := n.classify(inputs)
	cols := []string{"X", "Y", "h1 = NAND = (XY)'", "h2 = OR = X + Y", "y = AND(h1, h2)", "XY' + X'Y", "(X + Y)(XY)'", "(X + Y)(X' + Y')"}
	sep := map[int]bool{2: true, 4: true, 5: true} // a bar before these columns
	row := func(cells []string) {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range cells {
			if sep[i] {
				b.WriteString(" |")
			}
			fmt.Fprintf(&b, "  %s", center(c, len([]rune(cols[i]))))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	row(cols)
	all := true
	for i, x := range inputs {
		id := identities(x[0] == 1, x[1] == 1)
		row([]string{fmt.Sprint(x[0]), fmt.Sprint(x[1]), fmt.Sprint(h[2*i]), fmt.Sprint(h[2*i+1]), fmt.Sprint(y[i]),
			fmt.Sprint(b2i(id.xor)), fmt.Sprint(b2i(id.orNand)), fmt.Sprint(b2i(id.orNotOr))})
		all = all && y[i] == float64(b2i(id.xor)) && id.xor == id.orNand && id.xor == id.orNotOr
	}
	if all {
		fmt.Fprintln(w, "    The network's y equals XY' + X'Y = (X + Y)(XY)' = (X + Y)(X' + Y') in all four cases. Q.E.D.")
	} else {
		fmt.Fprintln(w, "    The columns differ: the identity or the network is wrong.")
	}
}

// center pads s with spaces on both sides to n runes.
func center(s string, n int) string {
	pad := n - len([]rune(s))
	if pad <= 0 {
		return s
	}
	return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
