package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestDecaySensitivityClosedForm checks rk4 and JacFwd on y' = −ky, whose solution y0·e^(−kt)
// has the sensitivity ∂y/∂k = −t·y0·e^(−kt).
func TestDecaySensitivityClosedForm(t *testing.T) {
	const k, y0, h, n = 0.7, 3.0, 0.05, 200
	decay := func(s, theta ag.Var) ag.Var { return ops.Neg(ops.Mul(theta, s)) }
	tp := ag.NewTape()
	jac, err := ag.JacFwd(func(th ag.Var) ag.Var { return rk4(decay, tp.Const([]float64{y0}), th, h, n) }, tp.Const([]float64{k}))
	if err != nil {
		t.Fatal(err)
	}
	for i, got := range jac.Float64s() {
		tt := float64(i) * h
		want := -tt * y0 * math.Exp(-k*tt)
		// RK4's global error is O(h⁴): with kh = 0.035 the solution and its sensitivity are
		// within about 1e-8 relative of the exact ones.
		if math.Abs(got-want) > 1e-7*(1+math.Abs(want)) {
			t.Errorf("∂y/∂k at t = %g: %.12g, want %.12g", tt, got, want)
		}
	}
}

// TestSensitivityFiniteDifferences checks the Jacobian of the Lotka–Volterra trajectory against
// central differences of the solver in each rate.
func TestSensitivityFiniteDifferences(t *testing.T) {
	r, err := compute()
	if err != nil {
		t.Fatal(err)
	}
	const eps = 1e-6
	for j := range theta0 {
		at := func(d float64) []float64 {
			th := append([]float64(nil), theta0...)
			th[j] += d
			tp := ag.NewTape()
			return solve(tp, tp.Const(th)).Float64s()
		}
		plus, minus := at(eps), at(-eps)
		for row := range plus {
			numeric := (plus[row] - minus[row]) / (2 * eps)
			got := r.jac[row*len(theta0)+j]
			// Central differences err by O(eps²·|∂³x/∂θ³|) + O(1e-16·|x|/eps): about 1e-8 for
			// populations near 10 and sensitivities up to 200.
			if math.Abs(got-numeric) > 1e-6*(1+math.Abs(numeric)) {
				t.Fatalf("∂(output %d)/∂%s: JacFwd %.10g, central difference %.10g", row, paramNames[j], got, numeric)
			}
		}
	}
	if r.maxDiff > 1e-10 {
		t.Errorf("final state: forward and reverse differ by %g, want agreement to rounding", r.maxDiff)
	}
}

// TestRunWritesFigures runs the program with -png and checks its report and files.
func TestRunWritesFigures(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if _, err := run(&out, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"602-output trajectory", "4 sweeps", "602 in all", "the final state's rows agree"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	for _, name := range []string{"populations.png", "sensitivity_x.png", "sensitivity_y.png"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
