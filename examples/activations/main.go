// Command activations tabulates the course's activation functions, sigmoid, tanh, ReLU and
// softmax, with their derivatives computed by the autograd engine: the gradient of Σ_i f(x_i)
// with respect to x is f'(x) elementwise. With -png it also plots them, and sigmoid on
// [−5, 5) as in the notes.
//
// Usage:
//
//	go run ./examples/activations [-png DIR]
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/examples/internal/figure"
	"github.com/gograd/gograd/ops"
)

// activation is an elementwise activation function.
type activation struct {
	name string
	f    func(ag.Var) ag.Var
}

var activations = []activation{
	{"sigmoid", ops.Sigmoid},
	{"tanh", ops.Tanh},
	{"ReLU", ops.ReLU},
}

// grid returns the notes' np.arange(-5, 5, 0.1): −5, −4.9, ..., 4.9, computed as i/10 so that
// the integers, 0 among them, are exact.
func grid() []float64 {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i-50) / 10
	}
	return xs
}

// values returns f(x) and f'(x) for every x, the derivative being the gradient of Σ_i f(x_i)
// computed by autograd.Grad: each f(x_i) depends on x_i only.
func values(f func(ag.Var) ag.Var, xs []float64) (fx, dfx []float64, err error) {
	tp := ag.NewTape()
	x := tp.Variable(xs)
	y := f(x)
	g, err := ag.Grad([]ag.Var{ops.Sum(y)}, []ag.Var{x})
	if err != nil {
		return nil, nil, err
	}
	return y.Float64s(), g[0].Float64s(), nil
}

// softmax returns the softmax of each row of the (rows, cols) matrix z.
func softmax(z []float64, rows, cols int) []float64 {
	tp := ag.NewTape()
	return ops.Softmax(tp.Const(z, rows, cols), 1).Float64s()
}

// softmaxJacobian returns J_ij = ∂s_i/∂z_j of s = softmax(z) for a vector z, one backward pass
// per row i seeded with the i-th unit vector.
func softmaxJacobian(z []float64) ([][]float64, error) {
	tp := ag.NewTape()
	x := tp.Variable(z)
	s := ops.Softmax(x, 0)
	n := len(z)
	J := make([][]float64, n)
	for i := range J {
		e := make([]float64, n)
		e[i] = 1
		g, err := ag.Grad([]ag.Var{s}, []ag.Var{x}, ag.Seed(tp.Const(e)))
		if err != nil {
			return nil, err
		}
		J[i] = g[0].Float64s()
	}
	return J, nil
}

func run(w io.Writer, pngDir string) error {
	xs := grid()
	fx := make([][]float64, len(activations))
	dfx := make([][]float64, len(activations))
	for k, a := range activations {
		var err error
		if fx[k], dfx[k], err = values(a.f, xs); err != nil {
			return err
		}
	}

	fmt.Fprintln(w, "Activation functions and their derivatives by autograd (∇ of Σ f(x) = f'(x) elementwise)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "x\tσ(x)\tσ'(x)\ttanh(x)\ttanh'(x)\tReLU(x)\tReLU'(x)\t")
	for i, x := range xs {
		if i%5 != 0 {
			continue
		}
		fmt.Fprintf(tw, "%.1f\t", x)
		for k := range activations {
			fmt.Fprintf(tw, "%.6f\t%.6f\t", fx[k][i], dfx[k][i])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	fmt.Fprintln(w)
	dsig, tanh, dtanh := dfx[0], fx[1], dfx[1]
	i, m := argmax(dsig)
	fmt.Fprintf(w, "sigmoid: values in (0, 1); 0 < σ' = σ(1 − σ) ≤ ¼, largest %g at x = %g. Through n sigmoid layers\n", m, xs[i])
	fmt.Fprintf(w, "         the σ' factors alone shrink a gradient by at least 4ⁿ: the vanishing gradient (see examples/vanishing).\n")
	i, m = argmax(dtanh)
	fmt.Fprintf(w, "tanh:    values in (−1, 1), zero-centred; 0 < tanh' = 1 − tanh² ≤ 1, largest %g at x = %g,\n", m, xs[i])
	fmt.Fprintf(w, "         and tanh(x) = 2σ(2x) − 1: the largest difference over the grid is %.1e.\n", maxTanhIdentityErr(xs, tanh))
	fmt.Fprintln(w, "ReLU:    max(0, x); ReLU' = 1 for x > 0 (no vanishing) and 0 for x < 0 (a dead unit passes nothing back).")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "softmax: one probability per class; each row sums to 1 and lies in [0, 1]")
	fmt.Fprintln(w)
	z := []float64{1, 2, 3, 4, -1, 0, 1, 10, 1000, 1001, 1002, 1003}
	s := softmax(z, 3, 4)
	for r := range 3 {
		fmt.Fprintf(w, "    %-31s = %s   sum %.15g\n", fmt.Sprintf("softmax%v", z[4*r:4*r+4]), fmtRow(s[4*r:4*r+4]), sum(s[4*r:4*r+4]))
	}
	fmt.Fprintln(w, "    (the last row shifts the first by 999: softmax only sees differences, and does not overflow)")
	fmt.Fprintln(w)
	v := []float64{1, 2, 3}
	J, err := softmaxJacobian(v)
	if err != nil {
		return err
	}
	sv := softmax(v, 1, 3)
	fmt.Fprintf(w, "    Jacobian ∂s_i/∂z_j of s = softmax%v = %s by autograd, one backward pass per row;\n", v, fmtRow(sv))
	fmt.Fprintln(w, "    it equals diag(s) − s sᵀ. Its columns sum to 0 (the sum is always 1), so the recipe ∇ Σ f")
	fmt.Fprintln(w, "    gives zeros for softmax: it is not elementwise.")
	for i := range J {
		fmt.Fprintf(w, "        %s\n", fmtRow(J[i]))
	}

	if pngDir == "" {
		return nil
	}
	fmt.Fprintln(w)
	return plots(w, pngDir, xs, fx, dfx)
}

// plots writes the figures into dir and prints their paths.
func plots(w io.Writer, dir string, xs []float64, fx, dfx [][]float64) error {
	var fs, ds []figure.Line
	for k, a := range activations {
		fs = append(fs, figure.Line{Name: a.name, X: xs, Y: fx[k]})
		ds = append(ds, figure.Line{Name: a.name + "'", X: xs, Y: dfx[k]})
	}
	figs := []struct {
		name string
		f    figure.Figure
	}{
		{"sigmoid.png", figure.Figure{Title: "sigmoid(x) = 1 / (1 + exp(-x)) on [-5, 5)", XLabel: "x", YLabel: "y",
			YMin: -0.1, YMax: 1.1, Lines: fs[:1]}},
		{"activations.png", figure.Figure{Title: "Activations", XLabel: "x", YLabel: "f(x)", YMin: -1.1, YMax: 2, Lines: fs}},
		{"derivatives.png", figure.Figure{Title: "Derivatives by autograd", XLabel: "x", YLabel: "f'(x)", YMin: -0.1, YMax: 1.1, Lines: ds}},
	}
	for _, f := range figs {
		path, err := figure.Save(dir, f.name, f.f)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "wrote", path)
	}
	return nil
}

// argmax returns the index and value of the largest element.
func argmax(xs []float64) (int, float64) {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best, xs[best]
}

// maxTanhIdentityErr returns max |tanh(x) − (2σ(2x) − 1)| over xs, with tanh from the engine
// and σ(2x) from the engine too.
func maxTanhIdentityErr(xs, tanh []float64) float64 {
	two := make([]float64, len(xs))
	for i, x := range xs {
		two[i] = 2 * x
	}
	tp := ag.NewTape()
	s := ops.Sigmoid(tp.Const(two)).Float64s()
	m := 0.0
	for i := range xs {
		m = max(m, math.Abs(tanh[i]-(2*s[i]-1)))
	}
	return m
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func fmtRow(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%7.4f", x)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func main() {
	pngDir := flag.String("png", "", "write sigmoid.png, activations.png and derivatives.png into this directory")
	flag.Parse()
	if err := run(os.Stdout, *pngDir); err != nil {
		fmt.Fprintln(os.Stderr, "activations:", err)
		os.Exit(1)
	}
}
