package main

import (
	"io"
	"testing"
)

func TestNewtonAgainstGradientDescent(t *testing.T) {
	const tol = 1e-8
	p, err := irisProblem()
	if err != nil {
		t.Fatal(err)
	}
	nt, err := p.newton(tol, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	gd, err := p.gradientDescent(tol, 100_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Newton %d iterations, gradient descent %d", nt.iterations, gd.iterations)
	if nt.iterations > 10 {
		t.Errorf("Newton: got %d iterations, want ≤ 10", nt.iterations)
	}
	if gd.iterations < 100*nt.iterations {
		t.Errorf("gradient descent: got %d iterations, want ≥ 100× Newton's %d", gd.iterations, nt.iterations)
	}
	// L is μ-strongly convex, so |θ − θ*| ≤ |∇L(θ)|/μ < tol/μ for each solution; twice that
	// bounds their distance.
	if d, bound := maxDiff(nt.theta, gd.theta), 2*tol/gd.muEstimate; d > bound {
		t.Errorf("optima differ by %g, want ≤ %g", d, bound)
	}
	if d := abs(nt.loss - gd.loss); d > 1e-12 {
		t.Errorf("losses differ by %g, want ≤ 1e-12", d)
	}
}

func TestHessianPositiveDefinite(t *testing.T) {
	p, err := irisProblem()
	if err != nil {
		t.Fatal(err)
	}
	// With the penalty every eigenvalue is at least λ.
	for _, theta := range [][]float64{{0, 0, 0}, {-3.6, 0, 2.4}, {10, -5, 5}} {
		mu, err := p.curvature(theta, false)
		if err != nil {
			t.Fatal(err)
		}
		if mu < lambda*(1-1e-9) {
			t.Errorf("θ = %v: got smallest curvature %g, want ≥ λ = %g", theta, mu, lambda)
		}
	}
}

func TestRun(t *testing.T) {
	// A loose tolerance keeps gradient descent short; the comparison is in the test above.
	if err := run(io.Discard, 1e-3); err != nil {
		t.Fatal(err)
	}
}
