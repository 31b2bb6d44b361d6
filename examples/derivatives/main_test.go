package main

import (
	"io"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// closedFormTol bounds the relative difference between the closed forms and autograd. Both
// multiply the same few float64 factors, possibly in another order, so they agree to a few
// roundings (~1e-15); inputs and weights in U(−1, 1) and targets in {0, 1} keep y − t, 1 − y and
// 1 − a_j away from cancellation.
const closedFormTol = 1e-12

func TestClosedForms(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		m, err := compare(rand.New(rand.NewPCG(seed, 0)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			got  float64
		}{
			{"one layer dE/dw", m.oneW},
			{"two layers dE/dv", m.twoV},
			{"two layers dE/dw", m.twoW},
		}
		for _, c := range cases {
			if c.got > closedFormTol {
				t.Errorf("seed %d, %s: got relative difference %g, want ≤ %g", seed, c.name, c.got, closedFormTol)
			}
		}
	}
}

func TestClosedFormsDiffer(t *testing.T) {
	// The comparison must be able to fail: a wrong target changes every gradient.
	rng := rand.New(rand.NewPCG(1, 0))
	p := drawOneLayer(rng, nOne)
	g, err := p.autograd(ag.NewTape())
	if err != nil {
		t.Fatal(err)
	}
	p.t = 1 - p.t
	if got := maxRelErr(g, p.closedForm()); got < 0.1 {
		t.Errorf("got relative difference %g against the closed form of another target, want ≥ 0.1", got)
	}
}

func TestTaylorSecondOrderCloser(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 0))
	for draw := range 50 {
		q := drawTwoLayer(rng, nIn, nHidden)
		unit := direction(rng, nIn*nHidden+nHidden, 1)
		for _, size := range []float64{0.1, 0.01} {
			s, err := q.taylor(scaled(unit, size))
			if err != nil {
				t.Fatal(err)
			}
			e1, e2 := math.Abs(s.actual-s.first), math.Abs(s.actual-s.second)
			if !(e2 < e1) {
				t.Errorf("draw %d, |d| = %g: got second-order error %g, first-order %g; want the second smaller", draw, size, e2, e1)
			}
		}
	}
}

func TestTaylorOrders(t *testing.T) {
	// Shrinking d by 10 shrinks the first-order error ~100× and the second-order ~1000×; allow
	// a factor of 2 for the higher-order terms at |d| = 0.1.
	rng := rand.New(rand.NewPCG(3, 0))
	q := drawTwoLayer(rng, nIn, nHidden)
	unit := direction(rng, nIn*nHidden+nHidden, 1)
	big, err := q.taylor(scaled(unit, 0.1))
	if err != nil {
		t.Fatal(err)
	}
	small, err := q.taylor(scaled(unit, 0.01))
	if err != nil {
		t.Fatal(err)
	}
	r1 := math.Abs(big.actual-big.first) / math.Abs(small.actual-small.first)
	r2 := math.Abs(big.actual-big.second) / math.Abs(small.actual-small.second)
	if r1 < 50 || r1 > 200 {
		t.Errorf("first-order error ratio: got %g, want ≈ 100", r1)
	}
	if r2 < 500 || r2 > 2000 {
		t.Errorf("second-order error ratio: got %g, want ≈ 1000", r2)
	}
}

func TestHVPMatchesHessian(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 0))
	for draw := range 10 {
		q := drawTwoLayer(rng, nIn, nHidden)
		d := direction(rng, nIn*nHidden+nHidden, 1)
		hvp, hess, err := q.quadForms(d)
		if err != nil {
			t.Fatal(err)
		}
		// Both sum the same second derivatives, in different orders: agreement to ~1e-15
		// absolute at this scale (|dᵀHd| ~ 1e-2).
		if math.Abs(hvp-hess) > 1e-13 {
			t.Errorf("draw %d: got dᵀHd %g from HVP, %g from Hessian", draw, hvp, hess)
		}
	}
}

func TestTrace(t *testing.T) {
	tr, err := traceOneLayer()
	if err != nil {
		t.Fatal(err)
	}
	var sigmoid, matmul *ag.TraceStep
	for i, s := range tr.Steps {
		switch s.Op {
		case "ops.Sigmoid":
			sigmoid = &tr.Steps[i]
		case "ops.MatMul":
			matmul = &tr.Steps[i]
		}
		// Elementwise steps of one element: the product is upstream × local exactly.
		if len(s.Upstream) == 1 && len(s.Local) == 1 && len(s.Product) == 1 {
			if got, want := s.Product[0], s.Upstream[0]*s.Local[0]; got != want {
				t.Errorf("node %d %s: got product %g, want upstream × local = %g", s.Node, s.Op, got, want)
			}
		}
	}
	if sigmoid == nil || matmul == nil {
		t.Fatalf("got trace\n%v\nwant Sigmoid and MatMul steps", tr)
	}
	// y = ½, t = 1: upstream y − t, local y(1 − y), product (y − t) y (1 − y); exact in binary.
	cases := []struct {
		name      string
		got, want []float64
	}{
		{"sigmoid upstream", sigmoid.Upstream, []float64{-0.5}},
		{"sigmoid local", sigmoid.Local, []float64{0.25}},
		{"sigmoid product", sigmoid.Product, []float64{-0.125}},
		{"matmul product", matmul.Product, traceExample.closedForm()},
	}
	for _, c := range cases {
		if len(c.got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
			continue
		}
		for i := range c.want {
			if c.got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
				break
			}
		}
	}
}

func TestRun(t *testing.T) {
	if err := run(io.Discard, 1, 10); err != nil {
		t.Fatal(err)
	}
}
