// Command xor solves the XOR problem, which no single perceptron can (see examples/gates), in
// the three ways of the course:
//
//  1. a hand-wired two-layer network of hard-threshold perceptrons, hidden NAND and OR feeding
//     an AND, since X xor Y = (X + Y)(XY)';
//  2. a 2-4-1 sigmoid MLP trained by gradient descent on the squared error, its gradients
//     computed by the autograd engine;
//  3. a kernel perceptron: the perceptron rule on the higher-order feature x1·x2, and in dual
//     form with the polynomial kernel (1 + x·z)².
//
// It prints each network's truth table and its decision regions over [−0.5, 1.5]².
//
// Usage:
//
//	go run ./examples/xor [-seed N] [-lr η] [-hidden N]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// inputs are the four cases (x1, x2), in truth-table order, and targets are x1 xor x2.
var (
	inputs  = [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
	targets = []float64{0, 1, 1, 0}
)

// A classifier returns 0 or 1 for every row of X.
type classifier func(X [][]float64) []float64

func run(w io.Writer, cfg mlpConfig) error {
	fmt.Fprintln(w, "XOR: one perceptron draws one line, and no line separates the 1s from the 0s.")
	fmt.Fprintln(w, "Three ways out.")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "1. Two layers of hard-threshold perceptrons: hidden NAND and OR, output AND")
	fmt.Fprintln(w)
	net := handWired()
	writeIdentity(w, net)

	fmt.Fprintln(w)
	fmt.Fprintf(w, "2. A 2-%d-1 sigmoid MLP trained by gradient descent on E = ½ Σ (y − t)² (seed %d, η = %g)\n", cfg.hidden, cfg.seed, cfg.lr)
	fmt.Fprintln(w)
	m, err := trainMLP(cfg, func(epoch int, se float64) {
		fmt.Fprintf(w, "    epoch %5d   E = %.6f\n", epoch, se)
	})
	if err != nil {
		return err
	}
	if m.epochs == cfg.maxEpochs && !m.solved() {
		fmt.Fprintf(w, "    not solved in %d epochs: E = %.6f, %d of 4 right\n", m.epochs, m.se, m.correct())
	} else {
		fmt.Fprintf(w, "    solved after %d epochs: E = %.6f < %g, accuracy %d/4\n", m.epochs, m.se, seTarget, m.correct())
	}
	fmt.Fprintln(w)
	writeTruthTable(w, "y = σ(net)", m.probabilities, m.classify)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "3. Kernel perceptrons: the perceptron rule after a non-linear map of the inputs")
	fmt.Fprintln(w)
	kp, err := trainFeaturePerceptron(cfg.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "    features (x1, x2, x1·x2): learned in %d epochs, boundary %s = 0\n", kp.epochs, kp.boundary())
	dual := trainDual(inputs, targets, 100)
	fmt.Fprintf(w, "    dual form, K(x, z) = (1 + x·z)²: learned in %d epochs, mistakes per case α = %v\n", dual.epochs, dual.alpha)
	fmt.Fprintln(w)
	writeTruthTable(w, "H(w·φ(x))", nil, kp.classify)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Decision regions over [−0.5, 1.5]² (# = 1, · = 0; digits mark the four cases, X a wrong one)")
	fmt.Fprintln(w)
	writeRegions(w,
		[]string{"hand-wired NAND/OR → AND", fmt.Sprintf("2-%d-1 sigmoid MLP", cfg.hidden), "features (x1, x2, x1·x2)", "dual kernel (1 + x·z)²"},
		[]classifier{net.classify, m.classify, kp.classify, dual.classify})
	return nil
}

func main() {
	cfg := defaultMLP
	flag.Uint64Var(&cfg.seed, "seed", cfg.seed, "seed of the MLP's and the perceptron's initial weights")
	flag.Float64Var(&cfg.lr, "lr", cfg.lr, "learning rate of gradient descent")
	flag.IntVar(&cfg.hidden, "hidden", cfg.hidden, "hidden units of the MLP")
	flag.IntVar(&cfg.maxEpochs, "epochs", cfg.maxEpochs, "most epochs of gradient descent")
	flag.Parse()
	if err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "xor:", err)
		os.Exit(1)
	}
}
