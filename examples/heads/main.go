// Command heads trains one network for each output head of the course:
//
//   - regression: one linear output node, mean squared error (a noisy sine);
//   - binary classification: one sigmoid output node, binary cross-entropy (two iris species);
//   - multi-class classification: one softmax output node per class, cross-entropy (the 8×8
//     handwritten digits, and the three iris species).
//
// It prints the loss of every few epochs, with the training helper's progress bar on a
// terminal, and each task's final score.
//
// Usage:
//
//	go run ./examples/heads [-seed N]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/gograd/gograd/train"
)

// task is one of the trainings.
type task struct {
	title  string
	run    func(options) (result, error)
	score  string // what result.score is
	epochs int    // to choose which epochs to print
}

var tasks = []task{
	{"Regression: 1-32-1 tanh MLP, linear output, MSE, on t = sin x + N(0, 0.1²), 200 points", regression, "MSE against sin x on a grid", 150},
	{"Binary: 4-8-1 tanh MLP, sigmoid output, BCE, iris versicolor vs virginica, 70 train / 30 test", binary, "test accuracy", 100},
	{"Multi-class: 64-32-10 ReLU MLP, softmax output, cross-entropy, digits 1347 train / 450 test", digits, "test accuracy", 20},
	{"Multi-class: 4-16-3 ReLU MLP, softmax output, cross-entropy, iris 120 train / 30 test", iris, "test accuracy", 60},
}

func run(w io.Writer, seed uint64, progress io.Writer, clearLine string) error {
	for i, t := range tasks {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%d. %s\n", i+1, t.title)
		every := max(1, t.epochs/10)
		o := options{seed: seed, progress: progress, onEpoch: func(s train.EpochStats) error {
			if s.Epoch == 1 || s.Epoch%every == 0 || s.Epoch == t.epochs {
				fmt.Fprintf(w, "%s   epoch %3d  loss %.4f", clearLine, s.Epoch, s.Loss)
				if s.Accuracy == s.Accuracy { // not NaN: the task has labels
					fmt.Fprintf(w, "  train accuracy %.4f", s.Accuracy)
				}
				fmt.Fprintln(w)
			}
			return nil
		}}
		r, err := t.run(o)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s   %s: %.4f\n", clearLine, t.score, r.score)
	}
	return nil
}

func main() {
	seed := flag.Uint64("seed", 1, "seed of the weights, shuffles and generated data")
	flag.Parse()
	// On a terminal the training helper draws a progress bar on standard error; each line
	// printed on the same terminal first erases it.
	clearLine := ""
	if term.IsTerminal(int(os.Stderr.Fd())) && term.IsTerminal(int(os.Stdout.Fd())) {
		clearLine = "\r\033[K"
	}
	if err := run(os.Stdout, *seed, nil, clearLine); err != nil {
		fmt.Fprintln(os.Stderr, "heads:", err)
		os.Exit(1)
	}
}
