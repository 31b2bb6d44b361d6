package ops

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// This file holds the harness of the gradient-check table; the cases live in one file per
// family (gradcheck_*_test.go). Every case is checked by autograd.CheckGrad at orders 1 and 2
// against central finite differences, and completeness_test.go checks that the cases exercise
// every primitive of the table of derivative rules.

// operand is the shape and value of one input of a gradient-check case.
type operand struct {
	shape []int
	data  []float64
}

// gradCase is one function checked by CheckGrad.
type gradCase struct {
	name string
	f    func(xs ...ag.Var) ag.Var
	in   []operand
	// noGrad marks functions through which no gradient flows (comparisons, Sign, Step): their
	// output must not require a gradient. For every other case it must.
	noGrad bool
	// opts are extra CheckGrad options; every use says why it is needed.
	opts []ag.CheckOption
}

// vars returns the case's inputs as Variables on t.
func (c gradCase) vars(t *ag.Tape) []ag.Var {
	xs := make([]ag.Var, len(c.in))
	for i, o := range c.in {
		xs[i] = t.Variable(o.data, append([]int{}, o.shape...)...) // non-nil: () is a scalar
	}
	return xs
}

// valueKind picks the values of a generated operand.
type valueKind int

const (
	// signed values have magnitudes in [0.3, 1.5] and both signs: away from the kinks at 0 of
	// Abs, ReLU, Step, Sign, LeakyReLU and from 0 as a divisor.
	signed valueKind = iota
	// positive values lie in [0.5, 2]: bases of Log, Sqrt, Pow and negative powers.
	positive
	// shifted values are signed values on a different grid, so that they never tie with
	// signed values (Maximum, Minimum, comparisons).
	shifted
)

// gen returns an operand of the given shape with distinct values of kind k, in an order drawn
// from seed. Distinct values keep maxima unique and comparisons away from ties.
func gen(k valueKind, seed uint64, shape ...int) operand {
	n := numel(shape)
	perm := rand.New(rand.NewPCG(seed, 99)).Perm(n)
	data := make([]float64, n)
	for i, p := range perm {
		u := (float64(p) + 0.5) / float64(n) // distinct, in (0, 1)
		switch k {
		case signed:
			data[i] = 0.3 + 1.2*u
			if p%2 == 1 {
				data[i] = -data[i]
			}
		case positive:
			data[i] = 0.5 + 1.5*u
		case shifted:
			data[i] = 0.37 + 1.1*u
			if (p+int(seed))%2 == 0 {
				data[i] = -data[i]
			}
		}
	}
	return operand{shape: shape, data: data}
}

// fixed returns an operand with the given values.
func fixed(shape []int, data ...float64) operand { return operand{shape: shape, data: data} }

// sh formats a shape for a case name.
func sh(s []int) string { return shapeStr(s) }

// Shapes used throughout the table.
var (
	unaryShapes  = [][]int{{}, {4}, {2, 3}, {2, 3, 4}}
	binaryShapes = [][2][]int{
		{{}, {}},
		{{3}, {3}},
		{{2, 3}, {3}},
		{{3}, {2, 3}},
		{{2, 1}, {1, 3}},
		{{2, 3, 4}, {3, 1}},
		{{}, {2, 3}},
		{{2, 3}, {}},
	}
)

// allGradCases returns the whole table.
func allGradCases() []gradCase {
	var cs []gradCase
	cs = append(cs, elementwiseCases()...)
	cs = append(cs, activationCases()...)
	cs = append(cs, selectCases()...)
	cs = append(cs, matmulCases()...)
	cs = append(cs, shapeCases()...)
	cs = append(cs, reduceCases()...)
	cs = append(cs, softmaxCases()...)
	cs = append(cs, standardizeCases()...)
	cs = append(cs, convCases()...)
	cs = append(cs, indexCases()...)
	cs = append(cs, matmulSumCases()...)
	cs = append(cs, maxPoolCases()...)
	cs = append(cs, lstmCases()...)
	cs = append(cs, softmaxCausalCases()...)
	cs = append(cs, lossCases()...)
	cs = append(cs, affineCases()...)
	return cs
}

func TestGradCheck(t *testing.T) {
	seen := make(map[string]bool)
	for _, c := range allGradCases() {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			tp := ag.NewTape()
			y := c.f(c.vars(tp)...)
			if got, want := y.RequiresGrad(), !c.noGrad; got != want {
				t.Errorf("%s: output RequiresGrad() = %v, want %v", c.name, got, want)
			}
			opts := append([]ag.CheckOption{ag.Order(2)}, c.opts...)
			if err := ag.CheckGrad(c.f, c.vars(tp), opts...); err != nil {
				t.Errorf("%s: CheckGrad(Order(2)) = %v, want nil", c.name, err)
			}
		})
	}
}

// TestGradCheckDetectsWrongRule makes sure the harness can fail: a function whose derivative
// rule is wrong must not pass CheckGrad.
func TestGradCheckDetectsWrongRule(t *testing.T) {
	wrong := &ag.Op{Name: "test.WrongSquare", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var { return Mul(g, in(y, 0)) }, // should be 2·a·g
	}}
	square := func(xs ...ag.Var) ag.Var {
		a := xs[0]
		out := ag.NewResult(wrong, ag.Float64, a.Shape(), a)
		for i, v := range a.Data64() {
			out.Data64()[i] = v * v
		}
		return out
	}
	tp := ag.NewTape()
	x := tp.Variable([]float64{0.5, -1.25}, 2)
	err := ag.CheckGrad(square, []ag.Var{x})
	if err == nil || !strings.Contains(err.Error(), "order 1") {
		t.Errorf("CheckGrad(wrong rule of a²) = %v, want an order 1 failure", err)
	}

	// A rule with the right value but a detached factor is right at order 1 and wrong at
	// order 2: its own derivative misses the 2·g term.
	detached := &ag.Op{Name: "test.DetachedSquare", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var { return Mul(g, MulScalar(ag.Detach(in(y, 0)), 2)) },
	}}
	square2 := func(xs ...ag.Var) ag.Var {
		a := xs[0]
		out := ag.NewResult(detached, ag.Float64, a.Shape(), a)
		for i, v := range a.Data64() {
			out.Data64()[i] = v * v
		}
		return out
	}
	if err := ag.CheckGrad(square2, []ag.Var{x}); err != nil {
		t.Errorf("CheckGrad(detached rule of a², order 1) = %v, want nil", err)
	}
	err = ag.CheckGrad(square2, []ag.Var{x}, ag.Order(2))
	if err == nil || !strings.Contains(err.Error(), "order 2") {
		t.Errorf("CheckGrad(detached rule of a², Order(2)) = %v, want an order 2 failure", err)
	}
}

// binaryCases returns one case per shape pair for a broadcasting binary function.
func binaryCases(name string, ka, kb valueKind, f func(a, b ag.Var) ag.Var, noGrad bool) []gradCase {
	var cs []gradCase
	for i, p := range binaryShapes {
		cs = append(cs, gradCase{
			name:   fmt.Sprintf("%s%s%s", name, sh(p[0]), sh(p[1])),
			f:      func(xs ...ag.Var) ag.Var { return f(xs[0], xs[1]) },
			in:     []operand{gen(ka, uint64(2*i+1), p[0]...), gen(kb, uint64(2*i+2), p[1]...)},
			noGrad: noGrad,
		})
	}
	return cs
}

// unaryCases returns one case per shape in unaryShapes for a unary function.
func unaryCases(name string, k valueKind, f func(a ag.Var) ag.Var, noGrad bool) []gradCase {
	var cs []gradCase
	for i, s := range unaryShapes {
		cs = append(cs, gradCase{
			name:   name + sh(s),
			f:      func(xs ...ag.Var) ag.Var { return f(xs[0]) },
			in:     []operand{gen(k, uint64(i+1), s...)},
			noGrad: noGrad,
		})
	}
	return cs
}
