package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// The forward-over-reverse HVP records a gradient only down to the bilinear operations (MatMul,
// Conv) that use a parameter with a constant other operand, and applies their vector-Jacobian
// product to the tangent of the gradient there (autograd.Op.Multilinear). These cases put
// parameters behind such operations alone and twice (cut), and beside other uses, multiplied
// together, behind a reshape and in a linear term (not cut, or with a zero tangent), and check
// the result against reverse-over-reverse and against central differences of the gradient.

// hvpCase is a scalar function of some parameters, with the shapes of the parameters.
type hvpCase struct {
	name   string
	shapes [][]int
	f      func(c []ag.Var, ps ...ag.Var) ag.Var // c: constants made by consts
	consts [][]int
}

func hvpCases() []hvpCase {
	return []hvpCase{
		{
			// W1 is cut (x·W1, x constant); b1, W2, b2 are differentiated whole.
			name:   "tanh MLP",
			shapes: [][]int{{5, 4}, {4}, {4, 3}, {3}},
			consts: [][]int{{6, 5}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				h := Tanh(Add(MatMul(c[0], p[0]), p[1]))
				return Sum(Square(Tanh(Add(MatMul(h, p[2]), p[3]))))
			},
		},
		{
			// W is cut twice, once in each operand position and with transposes.
			name:   "shared weight",
			shapes: [][]int{{4, 3}},
			consts: [][]int{{2, 4}, {4, 5}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				a := Tanh(MatMul(c[0], p[0]))                  // (2,4)·(4,3)
				b := Sigmoid(MatMulT(p[0], c[1], true, false)) // (4,3)ᵀ·(4,5)
				return Add(Sum(Square(a)), Sum(Mul(b, b)))
			},
		},
		{
			// W is used by a product with a constant and elementwise: differentiated whole.
			name:   "mixed uses",
			shapes: [][]int{{3, 3}},
			consts: [][]int{{2, 3}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				return Add(Sum(Tanh(MatMul(c[0], p[0]))), Sum(Mul(Square(p[0]), p[0])))
			},
		},
		{
			// Two parameters multiplied together: neither operand is constant, neither is cut.
			name:   "product of parameters",
			shapes: [][]int{{2, 3}, {3, 2}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				return Sum(Tanh(MatMul(p[0], p[1])))
			},
		},
		{
			// A parameter multiplied by itself.
			name:   "Wᵀ·W",
			shapes: [][]int{{3, 2}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				return Sum(Sigmoid(MatMulT(p[0], p[0], true, false)))
			},
		},
		{
			// A convolution: its weight is reshaped before the Conv primitive, and Reshape is not
			// marked Multilinear, so nothing is cut.
			name:   "conv",
			shapes: [][]int{{2, 1, 2, 2}, {2}},
			consts: [][]int{{2, 1, 4, 4}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				y := Conv2d(c[0], p[0], ag.Var{}, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}, 1)
				y = Add(y, Reshape(p[1], 1, 2, 1, 1))
				return Sum(Square(Tanh(y)))
			},
		},
		{
			// The function is linear in the cut parameter: its Hessian terms are zero.
			name:   "linear in W",
			shapes: [][]int{{3, 2}, {2}},
			consts: [][]int{{4, 3}},
			f: func(c []ag.Var, p ...ag.Var) ag.Var {
				return Add(Sum(MatMul(c[0], p[0])), Sum(Square(Square(p[1]))))
			},
		},
	}
}

// randData returns n values uniform in [-1, 1) from seed.
func randData(seed uint64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	d := make([]float64, n)
	for i := range d {
		d[i] = 2*r.Float64() - 1
	}
	return d
}

// gradAt returns ∇f at the parameter values ps.
func (c hvpCase) gradAt(t *testing.T, cs [][]float64, ps [][]float64) [][]float64 {
	tp := ag.NewTape()
	vars := make([]ag.Var, len(ps))
	for i, p := range ps {
		vars[i] = tp.Variable(p, c.shapes[i]...)
	}
	g, err := ag.Grad([]ag.Var{c.f(c.constsOn(tp, cs), vars...)}, vars, ag.AllowUnused())
	if err != nil {
		t.Fatalf("%s: Grad: %v", c.name, err)
	}
	out := make([][]float64, len(g))
	for i := range g {
		out[i] = g[i].Float64s()
	}
	return out
}

func (c hvpCase) constsOn(tp *ag.Tape, cs [][]float64) []ag.Var {
	out := make([]ag.Var, len(cs))
	for i, d := range cs {
		out[i] = tp.Const(d, c.consts[i]...)
	}
	return out
}

// TestHVPsCutMatchesRevAndDifferences checks HVPs (forward-over-reverse) against HVPsRev
// (reverse-over-reverse) and against central differences of the gradient along v, on graphs
// where parameters are and are not cut, on a tape and on the heap.
func TestHVPsCutMatchesRevAndDifferences(t *testing.T) {
	for ci, c := range hvpCases() {
		cs := make([][]float64, len(c.consts))
		for i, s := range c.consts {
			cs[i] = randData(uint64(100*ci+i), numel(s))
		}
		ps, vs := make([][]float64, len(c.shapes)), make([][]float64, len(c.shapes))
		for i, s := range c.shapes {
			ps[i], vs[i] = randData(uint64(100*ci+10+i), numel(s)), randData(uint64(100*ci+20+i), numel(s))
		}
		// Central differences: error O(ε²) from the third derivatives (below 1) plus rounding
		// of about 1e-16/ε.
		const eps = 1e-5
		plus, minus := make([][]float64, len(ps)), make([][]float64, len(ps))
		for i := range ps {
			plus[i], minus[i] = make([]float64, len(ps[i])), make([]float64, len(ps[i]))
			for k := range ps[i] {
				plus[i][k], minus[i][k] = ps[i][k]+eps*vs[i][k], ps[i][k]-eps*vs[i][k]
			}
		}
		gp, gm := c.gradAt(t, cs, plus), c.gradAt(t, cs, minus)
		for _, heap := range []bool{false, true} {
			name := fmt.Sprintf("%s (heap %v)", c.name, heap)
			tp := ag.NewTape()
			xs, vv := make([]ag.Var, len(ps)), make([]ag.Var, len(ps))
			var consts []ag.Var
			for i := range ps {
				if heap { // every value on the heap: parameters, constants, vectors
					xs[i], vv[i] = ag.NewParam(ps[i], c.shapes[i]...), (*ag.Tape)(nil).Const(vs[i], c.shapes[i]...)
				} else {
					xs[i], vv[i] = tp.Variable(ps[i], c.shapes[i]...), tp.Const(vs[i], c.shapes[i]...)
				}
			}
			if heap {
				consts = c.constsOn(nil, cs)
			} else {
				consts = c.constsOn(tp, cs)
			}
			f := func(p ...ag.Var) ag.Var { return c.f(consts, p...) }
			fwd, err := ag.HVPs(f, xs, vv)
			if err != nil {
				t.Fatalf("%s: HVPs: %v", name, err)
			}
			rev, err := ag.HVPsRev(f, xs, vv)
			if err != nil {
				t.Fatalf("%s: HVPsRev: %v", name, err)
			}
			for i := range xs {
				for k, got := range fwd[i].Float64s() {
					// The same products summed in other orders: within a few ulps of values
					// of order 1.
					if want := rev[i].At(k); math.Abs(got-want) > 1e-13*(1+math.Abs(want)) {
						t.Errorf("%s: (Hv)[%d][%d] = %v by forward-over-reverse, %v by reverse-over-reverse", name, i, k, got, want)
					}
					if fd := (gp[i][k] - gm[i][k]) / (2 * eps); math.Abs(got-fd) > 1e-7*(1+math.Abs(fd)) {
						t.Errorf("%s: (Hv)[%d][%d] = %v, central difference of the gradient %v", name, i, k, got, fd)
					}
				}
			}
		}
	}
}

// TestHVPsCutCreateGraph differentiates ⟨H v, w⟩ again (a third derivative) with the HVP
// recorded by CreateGraph, by forward-over-reverse (which cuts W1) and by reverse-over-reverse,
// and compares the two.
func TestHVPsCutCreateGraph(t *testing.T) {
	c := hvpCases()[0]
	cs := [][]float64{randData(1, numel(c.consts[0]))}
	third := func(hvp func(f func(xs ...ag.Var) ag.Var, xs, vs []ag.Var, opts ...ag.Option) ([]ag.Var, error)) [][]float64 {
		tp := ag.NewTape()
		consts := c.constsOn(tp, cs)
		xs, vs := make([]ag.Var, len(c.shapes)), make([]ag.Var, len(c.shapes))
		var dot ag.Var
		for i, s := range c.shapes {
			xs[i] = tp.Variable(randData(uint64(10+i), numel(s)), s...)
			vs[i] = tp.Const(randData(uint64(20+i), numel(s)), s...)
		}
		hv, err := hvp(func(p ...ag.Var) ag.Var { return c.f(consts, p...) }, xs, vs, ag.CreateGraph())
		if err != nil {
			t.Fatalf("HVP: %v", err)
		}
		for i, s := range c.shapes {
			w := tp.Const(randData(uint64(30+i), numel(s)), s...)
			term := Sum(Mul(hv[i], w))
			if dot.IsNil() {
				dot = term
			} else {
				dot = Add(dot, term)
			}
		}
		g, err := ag.Grad([]ag.Var{dot}, xs)
		if err != nil {
			t.Fatalf("Grad of ⟨Hv, w⟩: %v", err)
		}
		out := make([][]float64, len(g))
		for i := range g {
			out[i] = g[i].Float64s()
		}
		return out
	}
	fwd, rev := third(ag.HVPs), third(ag.HVPsRev)
	for i := range fwd {
		for k, got := range fwd[i] {
			// The same third derivative summed in other orders: within a few ulps.
			if want := rev[i][k]; math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("∇⟨Hv, w⟩[%d][%d] = %v through forward-over-reverse, %v through reverse-over-reverse", i, k, got, want)
			}
		}
	}
}

// TestHVPsCutFloat32 checks the cut in float32: the tanh MLP's H v by forward-over-reverse
// against reverse-over-reverse.
func TestHVPsCutFloat32(t *testing.T) {
	c := hvpCases()[0]
	to32 := func(d []float64) []float32 {
		out := make([]float32, len(d))
		for i, x := range d {
			out[i] = float32(x)
		}
		return out
	}
	tp := ag.NewTape()
	x := tp.Const32(to32(randData(1, numel(c.consts[0]))), c.consts[0]...)
	xs, vs := make([]ag.Var, len(c.shapes)), make([]ag.Var, len(c.shapes))
	for i, s := range c.shapes {
		xs[i] = tp.Variable32(to32(randData(uint64(10+i), numel(s))), s...)
		vs[i] = tp.Const32(to32(randData(uint64(20+i), numel(s))), s...)
	}
	f := func(p ...ag.Var) ag.Var { return c.f([]ag.Var{x}, p...) }
	fwd, err := ag.HVPs(f, xs, vs)
	if err != nil {
		t.Fatalf("HVPs: %v", err)
	}
	rev, err := ag.HVPsRev(f, xs, vs)
	if err != nil {
		t.Fatalf("HVPsRev: %v", err)
	}
	for i := range xs {
		if got := fwd[i].DType(); got != ag.Float32 {
			t.Errorf("(Hv)[%d] is %v, want float32", i, got)
		}
		for k, got := range fwd[i].Float64s() {
			// The same float32 products summed in other orders: within a few float32 ulps of
			// values of order 1.
			if want := rev[i].At(k); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
				t.Errorf("float32 (Hv)[%d][%d] = %v by forward-over-reverse, %v by reverse-over-reverse", i, k, got, want)
			}
		}
	}
}
