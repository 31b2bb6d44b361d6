package main

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// lambda is the L2 penalty. Versicolor and virginica overlap, so the unpenalised optimum is
// finite too; the penalty makes L strongly convex, with a unique minimum.
const lambda = 0.01

// problem is a logistic regression: rows examples of features X (with a leading column of
// ones for the bias) and targets t in {0, 1}.
type problem struct {
	rows, cols int
	X          []float64 // (rows, cols)
	t          []float64 // (rows)
}

// irisProblem returns versicolor (0) against virginica (1) by petal length and width.
func irisProblem() (*problem, error) {
	d, err := datasets.Iris()
	if err != nil {
		return nil, err
	}
	p := &problem{cols: 3}
	for i := range d.Rows {
		if d.Y[i] == 0 {
			continue
		}
		r := d.Row(i)
		p.X = append(p.X, 1, r[2], r[3]) // bias, petal length, petal width
		p.t = append(p.t, float64(d.Y[i]-1))
		p.rows++
	}
	return p, nil
}

// loss records L(θ) = mean BCE(σ(X θ), t) + (λ/2)|θ|² on θ's tape.
func (p *problem) loss(theta ag.Var) ag.Var {
	tp := theta.Tape()
	z := ops.MatMul(tp.Const(p.X, p.rows, p.cols), ops.Reshape(theta, p.cols, 1))
	bce, err := losses.BCEWithLogits(z, tp.Const(p.t, p.rows, 1))
	if err != nil {
		panic(err) // the shapes are fixed here: an error is a bug
	}
	return ops.Add(bce, ops.MulScalar(ops.Sum(ops.Square(theta)), lambda/2))
}

// eval returns L and ∇L at theta, computed on tp, which it resets, and the recorded θ.
func (p *problem) eval(tp *ag.Tape, theta []float64) (loss float64, grad []float64, v ag.Var, err error) {
	tp.Reset()
	v = tp.Variable(theta)
	l := p.loss(v)
	g, err := ag.Grad([]ag.Var{l}, []ag.Var{v})
	if err != nil {
		return 0, nil, v, err
	}
	return l.Item(), g[0].Float64s(), v, nil
}

// hessian returns the Hessian of L at the recorded θ, from autograd.Hessian.
func (p *problem) hessian(v ag.Var) (*mat.SymDense, error) {
	h, err := ag.Hessian(p.loss, v)
	if err != nil {
		return nil, err
	}
	n := p.cols
	hs := h.Data64()
	sym := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, (hs[i*n+j]+hs[j*n+i])/2) // symmetric up to rounding
		}
	}
	return sym, nil
}

// solution is the result of a minimisation.
type solution struct {
	theta      []float64
	loss       float64
	iterations int     // steps taken
	step       float64 // gradient descent's η
	muEstimate float64 // gradient descent: the smallest curvature at the optimum
}

// progress is called with the iteration, θ, L and |∇L| at iterations worth showing.
type progress func(it int, theta []float64, loss, gnorm float64)

// newton runs θ ← θ − H⁻¹∇L from θ = 0 until |∇L| < tol, for at most maxIter steps. It reports
// every iteration.
func (p *problem) newton(tol float64, maxIter int, report progress) (solution, error) {
	tp := ag.NewTape()
	theta := make([]float64, p.cols)
	for it := 0; ; it++ {
		loss, g, v, err := p.eval(tp, theta)
		if err != nil {
			return solution{}, err
		}
		gn := norm(g)
		if report != nil {
			report(it, theta, loss, gn)
		}
		if gn < tol || it == maxIter {
			return solution{theta: theta, loss: loss, iterations: it}, nil
		}
		h, err := p.hessian(v)
		if err != nil {
			return solution{}, err
		}
		var chol mat.Cholesky
		if !chol.Factorize(h) {
			return solution{}, fmt.Errorf("newton: Hessian not positive definite at iteration %d", it)
		}
		var delta mat.VecDense
		if err := chol.SolveVecTo(&delta, mat.NewVecDense(p.cols, g)); err != nil {
			return solution{}, err
		}
		for i := range theta {
			theta[i] -= delta.AtVec(i)
		}
	}
}

// largestCurvature returns the largest eigenvalue of the Hessian at θ = 0, where every
// σ'(z) = σ(1 − σ) is at its maximum ¼: it bounds the Hessian everywhere, so 1 over it is a
// step that never overshoots.
func (p *problem) largestCurvature() (float64, error) {
	return p.curvature(make([]float64, p.cols), true)
}

// curvature returns the largest (or smallest) eigenvalue of the Hessian at theta.
func (p *problem) curvature(theta []float64, largest bool) (float64, error) {
	_, _, v, err := p.eval(ag.NewTape(), theta)
	if err != nil {
		return 0, err
	}
	h, err := p.hessian(v)
	if err != nil {
		return 0, err
	}
	var eig mat.EigenSym
	if !eig.Factorize(h, false) {
		return 0, fmt.Errorf("newton: eigenvalues did not converge")
	}
	ev := eig.Values(nil) // ascending
	if largest {
		return ev[len(ev)-1], nil
	}
	return ev[0], nil
}

// gradientDescent runs θ ← θ − η ∇L from θ = 0 with η = 1/largestCurvature until |∇L| < tol,
// for at most maxIter steps. It reports iterations 0, 1, 10, 100, ... and the last.
func (p *problem) gradientDescent(tol float64, maxIter int, report progress) (solution, error) {
	lmax, err := p.largestCurvature()
	if err != nil {
		return solution{}, err
	}
	eta := 1 / lmax
	tp := ag.NewTape()
	theta := make([]float64, p.cols)
	next := 0
	for it := 0; ; it++ {
		loss, g, _, err := p.eval(tp, theta)
		if err != nil {
			return solution{}, err
		}
		gn := norm(g)
		done := gn < tol || it == maxIter
		if report != nil && (it == next || done) {
			report(it, theta, loss, gn)
			next = max(1, 10*next)
		}
		if done {
			mu, err := p.curvature(theta, false)
			return solution{theta: theta, loss: loss, iterations: it, step: eta, muEstimate: mu}, err
		}
		for i := range theta {
			theta[i] -= eta * g[i]
		}
	}
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

func maxDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = max(m, abs(a[i]-b[i]))
	}
	return m
}

func abs(x float64) float64 { return math.Abs(x) }

func fmtVec(x []float64) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprintf("%9.5f", v)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
