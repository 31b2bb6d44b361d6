package main

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// derivs returns the activation's values and autograd derivatives on the notes' grid.
func derivs(t *testing.T, f func(ag.Var) ag.Var) (xs, fx, dfx []float64) {
	t.Helper()
	xs = grid()
	fx, dfx, err := values(f, xs)
	if err != nil {
		t.Fatal(err)
	}
	return xs, fx, dfx
}

func TestSigmoidDerivative(t *testing.T) {
	xs, _, d := derivs(t, ops.Sigmoid)
	for i, x := range xs {
		if !(d[i] > 0 && d[i] <= 0.25) {
			t.Errorf("σ'(%g): got %g, want in (0, ¼]", x, d[i])
		}
	}
	if i, m := argmax(d); xs[i] != 0 || m != 0.25 {
		t.Errorf("max σ': got %g at x = %g, want ¼ at 0", m, xs[i])
	}
}

func TestTanh(t *testing.T) {
	xs, fx, d := derivs(t, ops.Tanh)
	for i, x := range xs {
		if !(d[i] > 0 && d[i] <= 1) {
			t.Errorf("tanh'(%g): got %g, want in (0, 1]", x, d[i])
		}
	}
	if i, m := argmax(d); xs[i] != 0 || m != 1 {
		t.Errorf("max tanh': got %g at x = %g, want 1 at 0", m, xs[i])
	}
	// tanh and σ are each within an ulp or two of exact, and |values| ≤ 1: 1e-15 absolute
	// leaves room for the doubling and subtraction.
	if got := maxTanhIdentityErr(xs, fx); got > 1e-15 {
		t.Errorf("max |tanh(x) − (2σ(2x) − 1)|: got %g, want ≤ 1e-15", got)
	}
}

func TestReLUDerivative(t *testing.T) {
	xs, _, d := derivs(t, ops.ReLU)
	for i, x := range xs {
		var want float64
		switch {
		case x > 0:
			want = 1
		case x < 0:
			want = 0
		default:
			continue // the kink: any value in [0, 1] is a subgradient
		}
		if d[i] != want {
			t.Errorf("ReLU'(%g): got %g, want %g", x, d[i], want)
		}
	}
}

func TestSoftmax(t *testing.T) {
	cases := []struct {
		name string
		z    []float64
		cols int
	}{
		{"small", []float64{1, 2, 3, 4}, 4},
		{"spread", []float64{-1, 0, 1, 10, -50, 50}, 3},
		{"large", []float64{1000, 1001, 1002, 1003, -1000, 1000}, 2},
		{"equal", []float64{7, 7, 7}, 3},
	}
	for _, c := range cases {
		s := softmax(c.z, len(c.z)/c.cols, c.cols)
		for r := 0; r < len(s); r += c.cols {
			row := s[r : r+c.cols]
			// A sum of cols values in [0, 1], each within an ulp: 1e-15 is several roundings.
			if got := sum(row); math.Abs(got-1) > 1e-15 {
				t.Errorf("%s row %d: got sum %.17g, want 1", c.name, r/c.cols, got)
			}
			for j, p := range row {
				if !(p >= 0 && p <= 1) {
					t.Errorf("%s row %d column %d: got %g, want in [0, 1]", c.name, r/c.cols, j, p)
				}
			}
		}
	}
}

func TestSoftmaxJacobian(t *testing.T) {
	z := []float64{1, 2, 3, -1}
	J, err := softmaxJacobian(z)
	if err != nil {
		t.Fatal(err)
	}
	s := softmax(z, 1, len(z))
	for i := range J {
		for j := range J[i] {
			want := -s[i] * s[j]
			if i == j {
				want += s[i]
			}
			// Products and differences of values below 1: a few roundings.
			if math.Abs(J[i][j]-want) > 1e-15 {
				t.Errorf("J[%d][%d]: got %g, want s_i(δ_ij − s_j) = %g", i, j, J[i][j], want)
			}
		}
	}
}

func TestRunWritesPNGs(t *testing.T) {
	dir := t.TempDir()
	if err := run(io.Discard, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sigmoid.png", "activations.png", "derivatives.png"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: got %v, want a non-empty file", name, err)
		}
	}
}
