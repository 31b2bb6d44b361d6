package autograd_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestHVPs checks the Hessian-vector product of functions of two inputs against closed forms.
// All values are small integers: every product and sum is exact.
func TestHVPs(t *testing.T) {
	x0, y0 := []float64{1, -2}, []float64{3, 1}
	vx, vy := []float64{2, 1}, []float64{-1, 3}
	cases := []struct {
		name         string
		f            func(xs ...ag.Var) ag.Var
		wantX, wantY []float64
	}{
		{
			// f = Σ x²y + y³: H_xx = diag(2y), H_xy = diag(2x), H_yy = diag(6y), so
			// (Hv)_x = 2y·vx + 2x·vy and (Hv)_y = 2x·vx + 6y·vy.
			"x²y+y³",
			func(xs ...ag.Var) ag.Var {
				x, y := xs[0], xs[1]
				return ops.Sum(ops.Add(ops.Mul(ops.Square(x), y), ops.PowConst(y, 3)))
			},
			[]float64{2*3*2 + 2*1*-1, 2*1*1 + 2*-2*3}, // (10, −10)
			[]float64{2*1*2 + 6*3*-1, 2*-2*1 + 6*1*3}, // (−14, 14)
		},
		{
			// f = Σ x² + Σ y is linear in y: (Hv)_x = 2vx, (Hv)_y = 0.
			"x²+y",
			func(xs ...ag.Var) ag.Var { return ops.Add(ops.Sum(ops.Square(xs[0])), ops.Sum(xs[1])) },
			[]float64{4, 2}, []float64{0, 0},
		},
		{
			// f = Σ x + Σ y is linear in both: H = 0.
			"x+y",
			func(xs ...ag.Var) ag.Var { return ops.Add(ops.Sum(xs[0]), ops.Sum(xs[1])) },
			[]float64{0, 0}, []float64{0, 0},
		},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		xs := []ag.Var{tp.Variable(x0), tp.Variable(y0)}
		hv, err := ag.HVPs(c.f, xs, []ag.Var{tp.Const(vx), tp.Const(vy)})
		if err != nil {
			t.Errorf("%s: HVPs: %v", c.name, err)
			continue
		}
		if diff := cmp.Diff([][]float64{c.wantX, c.wantY}, [][]float64{hv[0].Float64s(), hv[1].Float64s()}); diff != "" {
			t.Errorf("%s: H v (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestHVPsMatchesHVP checks that with one input HVPs is HVP.
func TestHVPsMatchesHVP(t *testing.T) {
	f := func(x ag.Var) ag.Var { return ops.Sum(ops.Mul(ops.Tanh(x), ops.Square(x))) }
	tp := ag.NewTape()
	x, v := tp.Variable([]float64{0.3, -1.2, 2}), tp.Const([]float64{1, 0.5, -2})
	one, err := ag.HVP(f, x, v)
	if err != nil {
		t.Fatal(err)
	}
	many, err := ag.HVPs(func(xs ...ag.Var) ag.Var { return f(xs[0]) }, []ag.Var{x}, []ag.Var{v})
	if err != nil {
		t.Fatal(err)
	}
	// The same operations in the same order: bit-identical.
	if diff := cmp.Diff(one.Float64s(), many[0].Float64s()); diff != "" {
		t.Errorf("HVPs with one input differs from HVP (-HVP +HVPs):\n%s", diff)
	}
}

// TestHVPsErrors checks the errors of HVPs.
func TestHVPsErrors(t *testing.T) {
	tp := ag.NewTape()
	x, y := tp.Variable([]float64{1, 2}), tp.Variable([]float64{3})
	f := func(xs ...ag.Var) ag.Var { return ops.Sum(ops.Mul(ops.Square(xs[0]), xs[1])) }
	cases := []struct {
		name string
		xs   []ag.Var
		vs   []ag.Var
		want error
	}{
		{"one vector for two inputs", []ag.Var{x, y}, []ag.Var{tp.Const([]float64{1, 1})}, ag.ErrValue},
		{"vector of the wrong shape", []ag.Var{x, y}, []ag.Var{tp.Const([]float64{1, 1}), tp.Const([]float64{1, 1})}, ag.ErrShape},
		{"input listed twice", []ag.Var{x, x}, []ag.Var{tp.Const([]float64{1, 1}), tp.Const([]float64{1, 1})}, ag.ErrValue},
	}
	for _, c := range cases {
		if _, err := ag.HVPs(f, c.xs, c.vs); !errors.Is(err, c.want) {
			t.Errorf("%s: got error %v, want %v", c.name, err, c.want)
		}
	}
}

// TestHessianOfLinear checks that the Hessian of a function linear in x is zero, by both modes:
// when ∇f is a constant (Σ x·c) and when it depends on another parameter but not on x (Σ x·w).
func TestHessianOfLinear(t *testing.T) {
	w := ag.NewParam([]float64{1, -2, 3})
	for _, c := range []struct {
		name string
		f    func(x ag.Var) ag.Var
	}{
		{"Σ x·c", func(x ag.Var) ag.Var { return ops.Sum(ops.Mul(x, ag.Const([]float64{4, 5, 6}))) }},
		{"Σ x·w", func(x ag.Var) ag.Var { return ops.Sum(ops.Mul(x, w)) }},
	} {
		for _, m := range []struct {
			name    string
			hessian func(f func(x ag.Var) ag.Var, x ag.Var) (ag.Var, error)
		}{{"Hessian", ag.Hessian}, {"HessianRev", ag.HessianRev}} {
			x := ag.NewParam([]float64{0.5, 1, 2})
			h, err := m.hessian(c.f, x)
			if err != nil {
				t.Fatalf("%s of %s: %v", m.name, c.name, err)
			}
			if diff := cmp.Diff(make([]float64, 9), h.Data64()); diff != "" {
				t.Errorf("%s of %s (-want +got):\n%s", m.name, c.name, diff)
			}
		}
	}
}
