// Command gates builds the logic gates AND, OR, NAND and NOR as single perceptrons
// y = H(w0 + w1 x1 + w2 x2), first with hand-set weights and then learned by the perceptron rule
// w ← w + η (t − y) x from random weights, and shows that the rule cannot learn XOR, which no
// line separates.
//
// Usage:
//
//	go run ./examples/gates [-seed N] [-epochs N]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

// inputs are the four cases of two binary inputs (x1, x2), in truth-table order.
var inputs = [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}

// gate is a two-input logic gate and the weights of a perceptron that computes it.
type gate struct {
	name       string
	w0, w1, w2 float64 // hand-set bias and weights; all zero for XOR, which has none
	fn         func(x1, x2 bool) bool
}

// gates are the four linearly separable gates of the course. AND fires only when both
// inputs are on (x1 + x2 > 1.5), OR when at least one is (x1 + x2 > 0.5); NAND and NOR negate
// every weight, which flips the side of the same lines.
var gates = []gate{
	{"AND", -1.5, 1, 1, func(a, b bool) bool { return a && b }},
	{"OR", -0.5, 1, 1, func(a, b bool) bool { return a || b }},
	{"NAND", 1.5, -1, -1, func(a, b bool) bool { return !(a && b) }},
	{"NOR", 0.5, -1, -1, func(a, b bool) bool { return !(a || b) }},
}

// xor is exclusive or: on when the inputs differ.
var xor = gate{name: "XOR", fn: func(a, b bool) bool { return a != b }}

// targets returns the gate's truth table over inputs as 0s and 1s.
func targets(g gate) []float64 {
	t := make([]float64, len(inputs))
	for i, x := range inputs {
		t[i] = b2f(g.fn(x[0] == 1, x[1] == 1))
	}
	return t
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// handSet returns a perceptron with the gate's hand-set weights.
func handSet(g gate) *layers.Perceptron {
	p := layers.NewPerceptron(2)
	w := p.Weight.Data64()
	w[0], w[1] = g.w1, g.w2
	p.Bias.Data64()[0] = g.w0
	return p
}

// outputs returns the perceptron's outputs for every row of X, computed without recording.
func outputs(p *layers.Perceptron, X [][]float64) []float64 {
	flat := make([]float64, 0, 2*len(X))
	for _, x := range X {
		flat = append(flat, x...)
	}
	tp := ag.NewTape()
	var y []float64
	tp.NoGrad(func() { y = p.Forward(tp.Const(flat, len(X), 2)).Float64s() })
	return y
}

// correct returns how many outputs equal their targets.
func correct(y, t []float64) int {
	n := 0
	for i := range y {
		if y[i] == t[i] {
			n++
		}
	}
	return n
}

// learningRate is η of the perceptron rule. From zero weights any η > 0 makes the same
// mistakes (the weights scale with η); from random weights it sets how far one mistake moves
// the boundary.
const learningRate = 0.1

// learn trains a perceptron with weights and bias drawn from U(−1, 1) with the given seed on
// the targets T over inputs, by the perceptron rule, for at most maxEpochs epochs. It returns
// the perceptron, the epochs run and whether the last epoch made no mistake.
func learn(T []float64, seed uint64, maxEpochs int) (p *layers.Perceptron, epochs int, converged bool, err error) {
	p = layers.NewPerceptron(2,
		layers.WithInit(layers.Uniform(-1, 1)),
		layers.WithBiasInit(layers.Uniform(-1, 1)),
		layers.WithSeed(seed))
	epochs, converged, err = p.Fit(inputs, T, learningRate, maxEpochs)
	return p, epochs, converged, err
}

// boundary formats the decision boundary w0 + w1 x1 + w2 x2 = 0 as a line x2 = m x1 + c, and
// says on which side the perceptron outputs 1.
func boundary(w0, w1, w2 float64) string {
	switch {
	case w2 == 0 && w1 == 0:
		return "no boundary (constant output)"
	case w2 == 0:
		side := "right of"
		if w1 < 0 {
			side = "left of"
		}
		return fmt.Sprintf("x1 = %.3g (y = 1 %s it)", -w0/w1, side)
	}
	side := "above"
	if w2 < 0 {
		side = "below"
	}
	return fmt.Sprintf("x2 = %s (y = 1 %s it)", affine(-w1/w2, -w0/w2), side)
}

// affine formats m x1 + c compactly: "-x1 + 1.5", "0.5 x1 - 0.25".
func affine(m, c float64) string {
	var b strings.Builder
	switch m {
	case 0:
	case 1:
		b.WriteString("x1")
	case -1:
		b.WriteString("-x1")
	default:
		fmt.Fprintf(&b, "%.3g x1", m)
	}
	switch {
	case b.Len() == 0:
		fmt.Fprintf(&b, "%.3g", c)
	case c > 0:
		fmt.Fprintf(&b, " + %.3g", c)
	case c < 0:
		fmt.Fprintf(&b, " - %.3g", -c)
	}
	return b.String()
}

// truthTable writes the outputs of the perceptrons ps, one column per gate, with a ✓ for a
// column that matches its gate on every input.
func truthTable(w io.Writer, gs []gate, ps []*layers.Perceptron) {
	fmt.Fprintf(w, "    x1 x2 |")
	for _, g := range gs {
		fmt.Fprintf(w, " %5s", g.name)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "    ------+%s\n", strings.Repeat("-", 6*len(gs)))
	ys := make([][]float64, len(ps))
	for j, p := range ps {
		ys[j] = outputs(p, inputs)
	}
	for i, x := range inputs {
		fmt.Fprintf(w, "     %g  %g |", x[0], x[1])
		for j := range gs {
			fmt.Fprintf(w, " %5g", ys[j][i])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "    exact |")
	for j, g := range gs {
		mark := "✗"
		if correct(ys[j], targets(g)) == len(inputs) {
			mark = "✓"
		}
		fmt.Fprintf(w, " %5s", mark)
	}
	fmt.Fprintln(w)
}

func run(w io.Writer, seed uint64, maxEpochs int) error {
	fmt.Fprintln(w, "Logic gates as single perceptrons y = H(w0 + w1 x1 + w2 x2), H(s) = 1 if s > 0 else 0")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "1. Hand-set weights")
	var ps []*layers.Perceptron
	for _, g := range gates {
		p := handSet(g)
		ps = append(ps, p)
		w0, w1, w2 := p.Boundary()
		fmt.Fprintf(w, "    %-4s w0 = %4g, w1 = %2g, w2 = %2g   boundary %s\n", g.name, w0, w1, w2, boundary(w0, w1, w2))
	}
	fmt.Fprintln(w)
	truthTable(w, gates, ps)

	fmt.Fprintln(w)
	fmt.Fprintf(w, "2. Learned by the perceptron rule w ← w + η (t − y) x, η = %g, from U(−1, 1) weights (seed %d)\n", learningRate, seed)
	ps = ps[:0]
	for i, g := range gates {
		p, epochs, ok, err := learn(targets(g), seed+uint64(i), maxEpochs)
		if err != nil {
			return err
		}
		ps = append(ps, p)
		w0, w1, w2 := p.Boundary()
		status := fmt.Sprintf("learned in %d epochs", epochs)
		if !ok {
			status = fmt.Sprintf("NOT learned in %d epochs", epochs)
		}
		fmt.Fprintf(w, "    %-4s %-22s w0 = %6.3f, w1 = %6.3f, w2 = %6.3f   boundary %s\n", g.name, status, w0, w1, w2, boundary(w0, w1, w2))
	}
	fmt.Fprintln(w)
	truthTable(w, gates, ps)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "3. XOR with the same rule")
	p, epochs, ok, err := learn(targets(xor), seed, maxEpochs)
	if err != nil {
		return err
	}
	right := correct(outputs(p, inputs), targets(xor))
	if ok {
		fmt.Fprintf(w, "    XOR learned in %d epochs (unexpected: XOR is not linearly separable)\n", epochs)
	} else {
		fmt.Fprintf(w, "    XOR NOT learned: after %d epochs the perceptron still gets %d of 4 cases right.\n", epochs, right)
		fmt.Fprintln(w, "    No line separates {(0,1), (1,0)} from {(0,0), (1,1)}, so one perceptron gets at most 3 of 4;")
		fmt.Fprintln(w, "    the rule cycles forever. See examples/xor for the two ways out: more layers, or a kernel.")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "    The perceptron's outputs (XOR wants 0 1 1 0):")
	truthTable(w, []gate{xor}, []*layers.Perceptron{p})
	return nil
}

func main() {
	seed := flag.Uint64("seed", 1, "seed of the random initial weights")
	maxEpochs := flag.Int("epochs", 1000, "most epochs of the perceptron rule")
	flag.Parse()
	if err := run(os.Stdout, *seed, *maxEpochs); err != nil {
		fmt.Fprintln(os.Stderr, "gates:", err)
		os.Exit(1)
	}
}
