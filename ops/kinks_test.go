package ops_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestKinkGradients pins the documented derivatives at kinks and ties, where finite differences
// do not apply: max ties split evenly, Maximum and Minimum ties go to a, Clamp's bounds are
// inside the interval, ReLU and Abs have derivative 0 at 0. All values are exact.
func TestKinkGradients(t *testing.T) {
	cases := []struct {
		name  string
		f     func(a, b ag.Var) ag.Var
		a, b  []float64
		wantA []float64
		wantB []float64
	}{
		{"Max tie", func(a, b ag.Var) ag.Var { return ops.Max(a) }, []float64{1, 3, 3, 2}, []float64{0}, []float64{0, 0.5, 0.5, 0}, []float64{0}},
		{"MaxKeepDims three-way tie", func(a, b ag.Var) ag.Var { return ops.MaxKeepDims(a, 0) }, []float64{3, 3, 3}, []float64{0}, []float64{1. / 3, 1. / 3, 1. / 3}, []float64{0}},
		{"Min tie", func(a, b ag.Var) ag.Var { return ops.Min(a) }, []float64{-1, 3, -1, 2}, []float64{0}, []float64{0.5, 0, 0.5, 0}, []float64{0}},
		{"Maximum tie", func(a, b ag.Var) ag.Var { return ops.Maximum(a, b) }, []float64{1, 2, 3}, []float64{1, 5, 0}, []float64{1, 0, 1}, []float64{0, 1, 0}},
		{"Minimum tie", func(a, b ag.Var) ag.Var { return ops.Minimum(a, b) }, []float64{1, 2, 3}, []float64{1, 5, 0}, []float64{1, 1, 0}, []float64{0, 0, 1}},
		{"Clamp bounds", func(a, b ag.Var) ag.Var { return ops.Clamp(a, -1, 1) }, []float64{-1, 1, 2, -2, 0}, []float64{0}, []float64{1, 1, 0, 0, 1}, []float64{0}},
		{"ReLU at 0", func(a, b ag.Var) ag.Var { return ops.ReLU(a) }, []float64{0, -1, 1}, []float64{0}, []float64{0, 0, 1}, []float64{0}},
		{"Abs at 0", func(a, b ag.Var) ag.Var { return ops.Abs(a) }, []float64{0, -1, 1}, []float64{0}, []float64{0, -1, 1}, []float64{0}},
		{"LeakyReLU at 0", func(a, b ag.Var) ag.Var { return ops.LeakyReLU(a, 0.25) }, []float64{0, -1, 1}, []float64{0}, []float64{0.25, 0.25, 1}, []float64{0}},
	}
	for _, c := range cases {
		for _, dt := range dtypes {
			tp := ag.NewTape()
			a := variable(tp, dt, arr{s(len(c.a)), c.a})
			b := variable(tp, dt, arr{s(len(c.b)), c.b})
			gs, err := ag.Grad([]ag.Var{ops.Sum(c.f(a, b))}, []ag.Var{a, b}, ag.AllowUnused())
			if err != nil {
				t.Fatalf("%s %v: Grad: %v", c.name, dt, err)
			}
			if diff := cmp.Diff(c.wantA, gs[0].Float64s(), approx(dt)); diff != "" {
				t.Errorf("%s %v: ∂a at a=%v (-want +got):\n%s", c.name, dt, c.a, diff)
			}
			if diff := cmp.Diff(c.wantB, gs[1].Float64s(), approx(dt)); diff != "" {
				t.Errorf("%s %v: ∂b at b=%v (-want +got):\n%s", c.name, dt, c.b, diff)
			}
		}
	}
}
