// Command sensitivity computes how the solution of an ordinary differential equation depends on
// its parameters, the problem forward-mode differentiation is made for. The Lotka–Volterra
// predator–prey model is integrated by the classical Runge–Kutta method written with ops, and the
// Jacobian of the whole trajectory (two populations at 301 times: 602 outputs) with respect to
// the four rates is computed by autograd.JacFwd: one forward sweep per rate, four in all, where
// reverse mode needs one backward pass per output, 602. The rows of the final state are also
// computed by reverse mode (two passes) and compared.
//
// Usage:
//
//	go run ./examples/sensitivity [-png DIR]
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/examples/internal/figure"
	"github.com/gograd/gograd/ops"
)

// The problem: the classic rates, integrated to t = 15 in steps of 0.05, about one and a half
// cycles around the equilibrium (γ/δ, α/β) = (4, 2.75).
var (
	theta0       = []float64{1.1, 0.4, 0.1, 0.4}
	x0, y0       = 10.0, 5.0
	step         = 0.05
	steps        = 300
	reportTimes  = []float64{5, 10, 15}
	stateNames   = []string{"x (prey)", "y (predators)"}
	stateSymbols = []string{"x", "y"}
)

// result holds what run computes.
type result struct {
	traj    []float64 // (steps+1)×2, row-major
	jac     []float64 // (2·(steps+1))×4: ∂state/∂θ, rows as traj flattened
	maxDiff float64   // max |forward − reverse| over the final state's rows
	tFwd    time.Duration
	tRev    time.Duration // the two reverse passes of the final state's rows
}

// solve returns the trajectory for the rates theta on tp.
func solve(tp *ag.Tape, theta ag.Var) ag.Var {
	return rk4(lotkaVolterra, tp.Const([]float64{x0, y0}), theta, step, steps)
}

// compute integrates the model, differentiates the trajectory by forward mode, and its final
// state by reverse mode.
func compute() (*result, error) {
	tp := ag.NewTape()
	theta := tp.Variable(theta0)
	traj := solve(tp, theta)
	start := time.Now()
	jf, err := ag.JacFwd(func(th ag.Var) ag.Var { return solve(tp, th) }, theta)
	if err != nil {
		return nil, err
	}
	r := &result{traj: traj.Float64s(), jac: jf.Float64s(), tFwd: time.Since(start)}
	start = time.Now()
	final := ops.Slice(traj, 0, steps, steps+1)
	for k := range 2 {
		seed := tp.Const([]float64{float64(1 - k), float64(k)}, 1, 2)
		g, err := ag.Grad([]ag.Var{final}, []ag.Var{theta}, ag.Seed(seed))
		if err != nil {
			return nil, err
		}
		for j, v := range g[0].Float64s() {
			r.maxDiff = math.Max(r.maxDiff, math.Abs(v-r.sens(steps, k, j)))
		}
	}
	r.tRev = time.Since(start)
	return r, nil
}

// sens returns ∂(state k at step i)/∂θⱼ.
func (r *result) sens(i, k, j int) float64 { return r.jac[(2*i+k)*len(theta0)+j] }

func run(w io.Writer, pngDir string) (*result, error) {
	r, err := compute()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "Lotka–Volterra: ẋ = αx − βxy, ẏ = δxy − γy, (α, β, δ, γ) = %v, (x, y)(0) = (%g, %g),\n", theta0, x0, y0)
	fmt.Fprintf(w, "integrated by RK4 written with ops: %d steps of %g to t = %g.\n\n", steps, step, float64(steps)*step)
	fmt.Fprintf(w, "Sensitivities ∂state/∂rate at a few times (the Jacobian of the %d-output trajectory by JacFwd):\n", 2*(steps+1))
	fmt.Fprintf(w, "%6s %-14s %10s", "t", "state", "value")
	for _, n := range paramNames {
		fmt.Fprintf(w, " %11s", "∂/∂"+n)
	}
	fmt.Fprintln(w)
	for _, t := range reportTimes {
		i := int(math.Round(t / step))
		for k, name := range stateNames {
			fmt.Fprintf(w, "%6.2f %-14s %10.4f", t, name, r.traj[2*i+k])
			for j := range paramNames {
				fmt.Fprintf(w, " %11.4f", r.sens(i, k, j))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "forward mode: the whole Jacobian in %d sweeps, %v\n", len(theta0), r.tFwd.Round(time.Millisecond))
	fmt.Fprintf(w, "reverse mode: one pass per output, %d in all; the final state's 2 took %v\n", 2*(steps+1), r.tRev.Round(time.Millisecond))
	fmt.Fprintf(w, "the final state's rows agree: max |forward − reverse| = %.1e\n", r.maxDiff)
	if pngDir == "" {
		return r, nil
	}
	ts := make([]float64, steps+1)
	for i := range ts {
		ts[i] = float64(i) * step
	}
	var pops []figure.Line
	for k, name := range stateNames {
		ys := make([]float64, steps+1)
		for i := range ys {
			ys[i] = r.traj[2*i+k]
		}
		pops = append(pops, figure.Line{Name: name, X: ts, Y: ys})
	}
	path, err := figure.Save(pngDir, "populations.png", figure.Figure{Title: "Lotka–Volterra populations (RK4)", XLabel: "t", YLabel: "population", Lines: pops})
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "wrote", path)
	for k, sym := range stateSymbols {
		var lines []figure.Line
		for j, n := range paramNames {
			ys := make([]float64, steps+1)
			for i := range ys {
				ys[i] = r.sens(i, k, j)
			}
			lines = append(lines, figure.Line{Name: "∂" + sym + "/∂" + n, X: ts, Y: ys})
		}
		path, err := figure.Save(pngDir, "sensitivity_"+sym+".png", figure.Figure{
			Title: "Sensitivity of " + stateNames[k] + " to the rates (JacFwd)", XLabel: "t", YLabel: "∂" + sym + "/∂rate", Lines: lines})
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(w, "wrote", path)
	}
	return r, nil
}

func main() {
	pngDir := flag.String("png", "", "write populations.png, sensitivity_x.png and sensitivity_y.png into this directory")
	flag.Parse()
	if _, err := run(os.Stdout, *pngDir); err != nil {
		fmt.Fprintln(os.Stderr, "sensitivity:", err)
		os.Exit(1)
	}
}
