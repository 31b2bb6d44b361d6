// Command vanishing measures the gradient that reaches each layer of a deep network: 10 hidden
// layers of width 32 with sigmoid, tanh or ReLU, at their standard initialisations (Xavier for
// sigmoid and tanh, He for ReLU), on random inputs and targets. Backpropagation multiplies the
// gradient by every layer's activation derivative on the way down; σ' ≤ ¼ makes it vanish with
// sigmoid, while ReLU' = 1 on active units keeps it.
//
// Usage:
//
//	go run ./examples/vanishing [-seed N] [-png DIR]
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"text/tabwriter"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/examples/internal/figure"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
)

// Shape of the experiment.
const (
	depth = 10 // hidden layers
	width = 32 // units per hidden layer, and input features
	batch = 64 // random examples
)

// setup is an activation with its standard initialisation.
type setup struct {
	name string
	act  layers.Module
	init layers.Initializer
	note string
}

var setups = []setup{
	{"sigmoid", layers.Sigmoid{}, layers.GlorotUniform, "Xavier"},
	{"tanh", layers.Tanh{}, layers.GlorotUniform, "Xavier"},
	{"ReLU", layers.ReLU{}, layers.HeNormal, "He"},
}

// gradNorms returns the Frobenius norm of ∂E/∂W for the weight W of every dense layer, from the
// first (input to hidden 1) to the output layer, for a network of s on random data drawn with
// seed, E being the mean squared error against random targets.
func gradNorms(s setup, seed uint64) ([]float64, error) {
	sizes := []int{width}
	for range depth {
		sizes = append(sizes, width)
	}
	sizes = append(sizes, 1)
	m := layers.NewMLP(sizes, s.act, layers.LinearHead, layers.WithInit(s.init), layers.WithSeed(seed))

	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, batch*width)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	t := make([]float64, batch)
	for i := range t {
		t[i] = rng.NormFloat64()
	}
	tp := ag.NewTape()
	e, err := losses.MSE(m.Forward(tp.Const(x, batch, width)), tp.Const(t, batch, 1))
	if err != nil {
		return nil, err
	}
	var weights []ag.Var
	for _, l := range m.Net.Layers {
		if lin, ok := l.(*layers.Linear); ok {
			weights = append(weights, lin.Weight)
		}
	}
	g, err := ag.Grad([]ag.Var{e}, weights)
	if err != nil {
		return nil, err
	}
	norms := make([]float64, len(g))
	for i, gi := range g {
		s := 0.0
		for _, v := range gi.Float64s() {
			s += v * v
		}
		norms[i] = math.Sqrt(s)
	}
	return norms, nil
}

func run(w io.Writer, seed uint64, pngDir string) error {
	fmt.Fprintf(w, "Gradient norm |∂E/∂W| reaching each layer's weights: %d hidden layers of %d units,\n", depth, width)
	fmt.Fprintf(w, "a linear output, E the mean squared error on %d random examples (seed %d)\n\n", batch, seed)
	norms := make([][]float64, len(setups))
	for k, s := range setups {
		var err error
		if norms[k], err = gradNorms(s, seed); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "layer\t")
	for _, s := range setups {
		fmt.Fprintf(tw, "%s (%s)\t", s.name, s.note)
	}
	fmt.Fprintln(tw)
	for i := range norms[0] {
		name := fmt.Sprint(i + 1)
		if i == len(norms[0])-1 {
			name = "output"
		}
		fmt.Fprintf(tw, "%s\t", name)
		for k := range setups {
			fmt.Fprintf(tw, "%.3e\t", norms[k][i])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "first / last\t")
	for k := range setups {
		fmt.Fprintf(tw, "%.2g\t", ratio(norms[k]))
	}
	fmt.Fprintln(tw)
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "With sigmoid the first layer receives %.3g times less gradient than the output layer: every layer\n", 1/ratio(norms[0]))
	fmt.Fprintln(w, "multiplies it by σ' ≤ ¼, so the early layers barely learn. tanh' ≤ 1 loses less, and ReLU with")
	fmt.Fprintln(w, "He initialisation passes the gradient through its active units unchanged.")

	if pngDir == "" {
		return nil
	}
	var lines []figure.Line
	for k, s := range setups {
		xs := make([]float64, len(norms[k]))
		for i := range xs {
			xs[i] = float64(i + 1)
		}
		lines = append(lines, figure.Line{Name: s.name, X: xs, Y: norms[k]})
	}
	path, err := figure.Save(pngDir, "vanishing.png", figure.Figure{
		Title:  fmt.Sprintf("Gradient norm per layer (%d hidden layers of %d)", depth, width),
		XLabel: "layer (1 = first, last = output)", YLabel: "|dE/dW|", LogY: true, LegendBottomRight: true, Lines: lines,
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "wrote", path)
	return nil
}

// ratio returns the first layer's gradient norm over the last (output) layer's.
func ratio(norms []float64) float64 { return norms[0] / norms[len(norms)-1] }

func main() {
	seed := flag.Uint64("seed", 1, "seed of the weights and data")
	pngDir := flag.String("png", "", "write vanishing.png into this directory")
	flag.Parse()
	if err := run(os.Stdout, *seed, *pngDir); err != nil {
		fmt.Fprintln(os.Stderr, "vanishing:", err)
		os.Exit(1)
	}
}
