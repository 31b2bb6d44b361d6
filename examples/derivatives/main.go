// Command derivatives puts the course's closed-form gradients next to the ones the autograd
// engine computes, for random weights and inputs:
//
//   - one sigmoid unit y = σ(h), h = Σ_i a_i w_i, E = ½ (y − t)²:
//     ∂E/∂w_j = (y − t) y (1 − y) a_j;
//   - two layers, hidden a_j = σ(g_j), g_j = Σ_i x_i v_ij:
//     ∂E/∂v_ij = (y − t) y (1 − y) w_j a_j (1 − a_j) x_i and ∂E/∂w_j = (y − t) y (1 − y) a_j.
//
// It then shows the Taylor view behind gradient descent, the change of E along a small step
// against its first- and second-order (Hessian) predictions, and a trace of one backward pass
// in which every node's gradient is its upstream gradient times its local gradient.
//
// Usage:
//
//	go run ./examples/derivatives [-seed N] [-draws N]
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	ag "github.com/gograd/gograd/autograd"
)

// Sizes of the random networks.
const (
	nOne    = 5 // inputs of the one-layer network
	nIn     = 3 // inputs of the two-layer network
	nHidden = 4 // its hidden units
)

// worst holds the largest relative differences between closed form and autograd over many
// draws.
type worst struct {
	oneW, twoV, twoW float64
}

// compare draws n random networks of each kind and returns the largest relative differences.
func compare(rng *rand.Rand, n int) (worst, error) {
	var m worst
	tp := ag.NewTape()
	for range n {
		tp.Reset()
		p := drawOneLayer(rng, nOne)
		g, err := p.autograd(tp)
		if err != nil {
			return m, err
		}
		m.oneW = max(m.oneW, maxRelErr(g, p.closedForm()))

		q := drawTwoLayer(rng, nIn, nHidden)
		dv, dw, err := q.autograd(tp)
		if err != nil {
			return m, err
		}
		cv, cw := q.closedForm()
		m.twoV = max(m.twoV, maxRelErr(dv, cv))
		m.twoW = max(m.twoW, maxRelErr(dw, cw))
	}
	return m, nil
}

func run(w io.Writer, seed uint64, draws int) error {
	rng := rand.New(rand.NewPCG(seed, 0))

	fmt.Fprintln(w, "1. One layer: y = σ(h), h = Σ_i a_i w_i, E = ½ (y − t)²")
	fmt.Fprintln(w, "   closed form ∂E/∂w_j = (y − t) y (1 − y) a_j")
	fmt.Fprintln(w)
	p := drawOneLayer(rng, nOne)
	g, err := p.autograd(ag.NewTape())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   t = %g, y = %.6f\n", p.t, p.forward())
	writeColumns(w, []string{"j", "a_j", "w_j", "closed form", "autograd", "rel. diff"}, func(row func(...any)) {
		c := p.closedForm()
		for j := range c {
			row(j, p.a[j], p.w[j], c[j], g[j], relErr(g[j], c[j]))
		}
	})

	fmt.Fprintln(w)
	fmt.Fprintf(w, "2. Two layers (%d inputs, %d hidden): a_j = σ(g_j), g_j = Σ_i x_i v_ij, y = σ(Σ_j w_j a_j)\n", nIn, nHidden)
	fmt.Fprintln(w, "   closed form ∂E/∂v_ij = (y − t) y (1 − y) w_j a_j (1 − a_j) x_i, ∂E/∂w_j = (y − t) y (1 − y) a_j")
	fmt.Fprintln(w)
	q := drawTwoLayer(rng, nIn, nHidden)
	dv, dw, err := q.autograd(ag.NewTape())
	if err != nil {
		return err
	}
	cv, cw := q.closedForm()
	_, y := q.forward()
	fmt.Fprintf(w, "   t = %g, y = %.6f\n", q.t, y)
	writeColumns(w, []string{"weight", "closed form", "autograd", "rel. diff"}, func(row func(...any)) {
		for i := range nIn {
			for j := range nHidden {
				k := i*nHidden + j
				row(fmt.Sprintf("v_%d%d", i, j), cv[k], dv[k], relErr(dv[k], cv[k]))
			}
		}
		for j := range nHidden {
			row(fmt.Sprintf("w_%d", j), cw[j], dw[j], relErr(dw[j], cw[j]))
		}
	})

	fmt.Fprintln(w)
	m, err := compare(rng, draws)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Over %d random draws of each network, the largest relative differences are\n", draws)
	fmt.Fprintf(w, "   one layer ∂E/∂w %.1e, two layers ∂E/∂v %.1e and ∂E/∂w %.1e", m.oneW, m.twoV, m.twoW)
	if m == (worst{}) {
		fmt.Fprintln(w, ": equal to the last bit.")
	} else {
		fmt.Fprintln(w, ": a few roundings.")
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "3. Taylor's view of gradient descent, for the two-layer network and steps d along a random direction")
	fmt.Fprintln(w, "   E(θ + d) − E(θ) ≈ ∇E·d (first order) ≈ ∇E·d + ½ dᵀHd (second order, H the Hessian via autograd.HVP)")
	fmt.Fprintln(w)
	unit := direction(rng, nIn*nHidden+nHidden, 1)
	writeColumns(w, []string{"|d|", "true change", "1st order", "its error", "2nd order", "its error"}, func(row func(...any)) {
		for _, size := range []float64{1, 1e-1, 1e-2, 1e-3} {
			s, e := q.taylor(scaled(unit, size))
			if e != nil {
				err = e
				return
			}
			row(size, s.actual, s.first, s.actual-s.first, s.second, s.actual-s.second)
		}
	})
	if err != nil {
		return err
	}
	hvp, hess, err := q.quadForms(unit)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "   The first-order error shrinks like |d|² (100× per row), the second-order one like |d|³ (1000×).")
	fmt.Fprintf(w, "   dᵀHd for the unit d: %.12f from autograd.HVP, %.12f from the full autograd.Hessian (%d×%d).\n",
		hvp, hess, nIn*nHidden+nHidden, nIn*nHidden+nHidden)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "4. One backward pass, traced: total gradient = upstream gradient × local gradient")
	fmt.Fprintln(w)
	tr, err := traceOneLayer()
	if err != nil {
		return err
	}
	writeTrace(w, tr)
	return nil
}

func main() {
	seed := flag.Uint64("seed", 1, "seed of the random weights, inputs and steps")
	draws := flag.Int("draws", 1000, "random networks compared")
	flag.Parse()
	if err := run(os.Stdout, *seed, *draws); err != nil {
		fmt.Fprintln(os.Stderr, "derivatives:", err)
		os.Exit(1)
	}
}
