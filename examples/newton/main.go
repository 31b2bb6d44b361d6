// Command newton minimises the loss of a small logistic regression two ways: gradient descent,
// which uses the first-order Taylor term (the gradient), and Newton's method, which also uses
// the second-order term (the exact Hessian, from autograd.Hessian) and jumps to the minimum of
// the local quadratic model. The data are iris versicolor against virginica by petal length
// and width in centimetres, with a small L2 penalty so that the optimum is unique and finite.
//
// Usage:
//
//	go run ./examples/newton [-tol ε]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func run(w io.Writer, tol float64) error {
	p, err := irisProblem()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Logistic regression on %d iris flowers (versicolor 0, virginica 1) from petal length and width:\n", p.rows)
	fmt.Fprintf(w, "L(θ) = mean BCE(σ(b + w1 x1 + w2 x2), t) + (%g/2) |θ|², minimised from θ = 0 until |∇L| < %g\n\n", lambda, tol)

	nt, err := p.newton(tol, 100, func(it int, theta []float64, loss, gnorm float64) {
		fmt.Fprintf(w, "   Newton %3d   L = %.12f   |∇L| = %.3e   θ = %s\n", it, loss, gnorm, fmtVec(theta))
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	gd, err := p.gradientDescent(tol, 1_000_000, func(it int, theta []float64, loss, gnorm float64) {
		fmt.Fprintf(w, "   GD %7d   L = %.12f   |∇L| = %.3e   θ = %s\n", it, loss, gnorm, fmtVec(theta))
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Newton's method: %d iterations (each solves H Δ = ∇L with the %d×%d Hessian by autograd)\n", nt.iterations, len(nt.theta), len(nt.theta))
	fmt.Fprintf(w, "gradient descent: %d iterations (step η = 1/%.4g, the largest curvature of L)\n", gd.iterations, 1/gd.step)
	fmt.Fprintf(w, "same optimum: the two θ differ by %.1e, their losses by %.1e\n", maxDiff(nt.theta, gd.theta), abs(nt.loss-gd.loss))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Near the optimum Newton's error squares at every step (quadratic convergence), while gradient")
	fmt.Fprintf(w, "descent shrinks it by a constant factor, 1 − μ/L ≈ %.4f here: the ratio of the smallest to the\n", 1-gd.step*gd.muEstimate)
	fmt.Fprintln(w, "largest curvature is small because petal length and width are large, correlated and uncentred.")
	return nil
}

func main() {
	tol := flag.Float64("tol", 1e-8, "stop when the gradient norm is below this")
	flag.Parse()
	if err := run(os.Stdout, *tol); err != nil {
		fmt.Fprintln(os.Stderr, "newton:", err)
		os.Exit(1)
	}
}
