package ops_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestMatMulWeightUsedManyTimes checks the gradient of a heap variable used as the second operand
// of several products, as a recurrent layer's weight is at every time step: from its third use on,
// Backward adds each product's contribution into the running sum with one GEMM (the rule's
// GradsInto) instead of building it apart. For every transposition and both dtypes, the
// gradient matches the sum worked out in plain loops, and the one Grad with CreateGraph
// computes, which builds every contribution apart.
func TestMatMulWeightUsedManyTimes(t *testing.T) {
	const m, k, n, uses = 3, 4, 5, 5
	normals := normalsFrom(rand.New(rand.NewPCG(11, 12)))
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		// The sums are of at most 15 terms of order 1: float64 agrees to a few ulps, float32
		// to a few of its own; the loops, the GEMM and the separate additions round apart.
		tol := cmpopts.EquateApprox(1e-12, 1e-12)
		if dt == ag.Float32 {
			tol = cmpopts.EquateApprox(1e-5, 1e-5)
		}
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			ta, tb := tr[0], tr[1]
			name := fmt.Sprintf("%v transA=%v transB=%v", dt, ta, tb)
			ws, as, rs := normals(k*n), make([][]float64, uses), make([][]float64, uses)
			for i := range uses {
				as[i], rs[i] = normals(m*k), normals(m*n)
			}
			// opA(i)[r][p] is op(A_i) (m×k); ∂op(W)[p][q] = Σ_i Σ_r op(A_i)[r][p]·R_i[r][q].
			opA := func(i, r, p int) float64 {
				if ta {
					return as[i][p*m+r] // A_i stored k×m
				}
				return as[i][r*k+p]
			}
			want := make([]float64, k*n)
			for i := range uses {
				for p := range k {
					for q := range n {
						for r := range m {
							at := p*n + q // ∂W stored k×n, or n×k when transposed
							if tb {
								at = q*k + p
							}
							want[at] += opA(i, r, p) * rs[i][r*n+q]
						}
					}
				}
			}
			aShape, wShape := []int{m, k}, []int{k, n}
			if ta {
				aShape = []int{k, m}
			}
			if tb {
				wShape = []int{n, k}
			}
			leaf := vectorOf(nil, dt, ws) // a heap variable, as a parameter is
			w := ops.Reshape(leaf, wShape...)
			tp := ag.NewTape()
			var loss ag.Var
			for i := range uses {
				a := ops.Reshape(vectorOf(tp, dt, as[i]), aShape...)
				r := ops.Reshape(vectorOf(tp, dt, rs[i]), m, n)
				term := ops.Sum(ops.Mul(ops.MatMulT(a, w, ta, tb), r))
				if i == 0 {
					loss = term
				} else {
					loss = ops.Add(loss, term)
				}
			}
			viaGraph, err := ag.Grad([]ag.Var{loss}, []ag.Var{w}, ag.CreateGraph())
			if err != nil {
				t.Fatalf("%s: Grad: %v", name, err)
			}
			if err := ag.Backward(loss); err != nil {
				t.Fatalf("%s: Backward: %v", name, err)
			}
			if d := cmp.Diff(want, leaf.Grad().Float64s(), tol); d != "" {
				t.Errorf("%s: Backward's gradient of W against the loops (-want +got):\n%s", name, d)
			}
			if d := cmp.Diff(viaGraph[0].Float64s(), leaf.Grad().Float64s(), tol); d != "" {
				t.Errorf("%s: Backward's gradient of W against Grad with CreateGraph (-want +got):\n%s", name, d)
			}
		}
	}
}

// TestSliceStepsGradient checks the gradient of a tensor sliced one index at a time along an
// axis, as a recurrent layer takes its input's steps: from the third slice on, Backward adds
// each slice's gradient into its block of the running sum (Slice's GradsInto) instead of
// padding it to the whole tensor. Along every axis of a (2, 4, 3) tensor and in both dtypes, the
// gradient is the upstream gradients put back in place (each element is used once: exact), and
// matches Grad with CreateGraph's, which pads every slice.
func TestSliceStepsGradient(t *testing.T) {
	shape := []int{2, 4, 3}
	rng := rand.New(rand.NewPCG(13, 14))
	xs := make([]float64, 24)
	for i := range xs {
		xs[i] = rng.NormFloat64()
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for ax := range shape {
			name := fmt.Sprintf("%v axis %d", dt, ax)
			leaf := vectorOf(nil, dt, xs) // a heap variable
			x := ops.Reshape(leaf, shape...)
			tp := ag.NewTape()
			want := make([]float64, len(xs))
			var loss ag.Var
			for i := range shape[ax] {
				// R_i is i+1 at every element of slice i, so ∂x is i+1 on slice i.
				sliceShape := append([]int(nil), shape...)
				sliceShape[ax] = 1
				r := make([]float64, len(xs)/shape[ax])
				for j := range r {
					r[j] = float64(i + 1)
				}
				term := ops.Sum(ops.Mul(ops.Slice(x, ax, i, i+1), ops.Reshape(vectorOf(tp, dt, r), sliceShape...)))
				if i == 0 {
					loss = term
				} else {
					loss = ops.Add(loss, term)
				}
			}
			for e := range want {
				idx := []int{e / 12, e / 3 % 4, e % 3}
				want[e] = float64(idx[ax] + 1)
			}
			viaGraph, err := ag.Grad([]ag.Var{loss}, []ag.Var{leaf}, ag.CreateGraph())
			if err != nil {
				t.Fatalf("%s: Grad: %v", name, err)
			}
			if err := ag.Backward(loss); err != nil {
				t.Fatalf("%s: Backward: %v", name, err)
			}
			if d := cmp.Diff(want, leaf.Grad().Float64s()); d != "" {
				t.Errorf("%s: Backward's gradient (-want +got):\n%s", name, d)
			}
			if d := cmp.Diff(viaGraph[0].Float64s(), leaf.Grad().Float64s()); d != "" {
				t.Errorf("%s: Backward's gradient against Grad with CreateGraph (-want +got):\n%s", name, d)
			}
		}
	}
}

// TestAffineGradsIntoParams checks Affine's GradsInto rules for its weight and bias through
// Backward, which sums a small parameter's gradient in the parameter's own buffer: the
// gradients equal, bit for bit, those of Grad, which calls the rules Grads (a product and SumTo)
// and keeps their results. The shapes take the bias's short-row loop (n < 8), its vector loop
// (n ≥ 8), a one-element bias of fewer and of more than 8 rows (summed as SumTo sums a whole
// tensor, in blocks from 8 elements), and for float32 more than 64 rows, which the bias's
// GradsInto declines (SumTo sums them in float64). A weight and bias used by two layers get the
// second layer's gradients added into the first's.
func TestAffineGradsIntoParams(t *testing.T) {
	normals := normalsFrom(rand.New(rand.NewPCG(21, 22)))
	for _, c := range []struct {
		m, k, n int
		dt      ag.DType
		twice   bool // the same weight and bias in two layers, k = n
	}{
		{4, 2, 4, ag.Float64, false},
		{5, 3, 9, ag.Float64, false},
		{4, 3, 2, ag.Float32, false},
		{70, 2, 3, ag.Float32, false},
		{5, 3, 1, ag.Float64, false},
		{65, 3, 1, ag.Float64, false},
		{200, 2, 1, ag.Float64, false},
		{64, 3, 1, ag.Float32, false},
		{6, 4, 4, ag.Float64, true},
		{6, 9, 9, ag.Float32, true},
	} {
		name := fmt.Sprintf("%v %dx%d·%dx%d twice=%v", c.dt, c.m, c.k, c.k, c.n, c.twice)
		param := func(v []float64, shape ...int) ag.Var {
			if c.dt == ag.Float32 {
				return ag.NewParam32(to32(v), shape...)
			}
			return ag.NewParam(v, shape...)
		}
		w, b := param(normals(c.k*c.n), c.k, c.n), param(normals(c.n), c.n)
		tp := ag.NewTape()
		x := tp.Const(normals(c.m*c.k), c.m, c.k)
		if c.dt == ag.Float32 {
			x = ops.Cast(x, ag.Float32)
		}
		loss := func() ag.Var {
			y := ops.Affine(x, w, b)
			if c.twice {
				y = ops.Affine(ops.Tanh(y), w, b)
			}
			return ops.Sum(ops.Square(y))
		}
		want := gradThenBackward(t, name, loss, w, b)
		// One use: the rules' results themselves. Two: the second use's product added into the
		// first by the GEMM (β = 1) or the row loop, against a separate sum; they round apart by
		// an ulp or so of sums of order 10.
		opt := cmp.Options{}
		if c.twice {
			opt = cmp.Options{cmpopts.EquateApprox(1e-5, 1e-5)}
			if c.dt == ag.Float64 {
				opt = cmp.Options{cmpopts.EquateApprox(1e-13, 1e-13)}
			}
		}
		for i, p := range []ag.Var{w, b} {
			if d := cmp.Diff(want[i].Float64s(), p.Grad().Float64s(), opt); d != "" {
				t.Errorf("%s: gradient of %s (-Grad +Backward):\n%s", name, []string{"W", "b"}[i], d)
			}
		}
	}
}

// normalsFrom returns a function that draws size standard normal values from rng.
func normalsFrom(rng *rand.Rand) func(size int) []float64 {
	return func(size int) []float64 {
		v := make([]float64, size)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
}

// TestAddGradsIntoParams checks Add's GradsInto rule through Backward, which sums a small
// parameter's gradient in the parameter's own buffer: g summed to the parameter's shape equals,
// bit for bit, what Grad computes with the rule Grads (SumTo), for a bias along rows (float32 of
// more than 64 rows included, summed in float64), a column, a scalar, 3-D broadcasts, the
// parameter as either operand, and a parameter shaped like the sum (g added as it is). A
// parameter added twice gets the second sum added into the first.
func TestAddGradsIntoParams(t *testing.T) {
	normals := normalsFrom(rand.New(rand.NewPCG(31, 32)))
	for _, c := range []struct {
		x, p  []int
		dt    ag.DType
		first bool // the parameter is Add's first operand
		twice bool
	}{
		{[]int{4, 3}, []int{3}, ag.Float64, false, false},
		{[]int{5, 9}, []int{9}, ag.Float64, true, false},
		{[]int{70, 3}, []int{3}, ag.Float32, false, false},
		{[]int{6, 4}, []int{6, 1}, ag.Float64, false, false},
		{[]int{6, 4}, []int{}, ag.Float64, true, false},
		{[]int{3, 2, 5}, []int{5}, ag.Float32, false, false},
		{[]int{3, 2, 5}, []int{2, 1}, ag.Float64, false, false},
		{[]int{4, 3}, []int{4, 3}, ag.Float64, false, false},
		{[]int{8, 5}, []int{5}, ag.Float64, false, true},
	} {
		name := fmt.Sprintf("%v %v + %v first=%v twice=%v", c.dt, c.x, c.p, c.first, c.twice)
		size := func(s []int) int {
			n := 1
			for _, d := range s {
				n *= d
			}
			return n
		}
		var p ag.Var
		if c.dt == ag.Float32 {
			p = ag.NewParam32(to32(normals(size(c.p))), c.p...)
		} else {
			p = ag.NewParam(normals(size(c.p)), c.p...)
		}
		tp := ag.NewTape()
		x := ops.Cast(tp.Const(normals(size(c.x)), c.x...), c.dt)
		add := func(x ag.Var) ag.Var {
			if c.first {
				return ops.Add(p, x)
			}
			return ops.Add(x, p)
		}
		loss := func() ag.Var {
			y := add(x)
			if c.twice {
				y = add(ops.Tanh(y))
			}
			return ops.Sum(ops.Square(y))
		}
		want := gradThenBackward(t, name, loss, p)
		// Twice: the second sum added into the first against a separate sum of the two; they
		// round apart by an ulp or so of sums of order 10.
		opt := cmp.Options{}
		if c.twice {
			opt = cmp.Options{cmpopts.EquateApprox(1e-13, 1e-13)}
		}
		if d := cmp.Diff(want[0].Float64s(), p.Grad().Float64s(), opt); d != "" {
			t.Errorf("%s: gradient (-Grad +Backward):\n%s", name, d)
		}
	}
}

// gradThenBackward returns Grad's gradients of loss() with respect to params, then runs Backward
// on a new loss(), which leaves its gradients in params' Grad.
func gradThenBackward(t *testing.T, name string, loss func() ag.Var, params ...ag.Var) []ag.Var {
	t.Helper()
	want, err := ag.Grad([]ag.Var{loss()}, params)
	if err != nil {
		t.Fatalf("%s: Grad: %v", name, err)
	}
	if err := ag.Backward(loss()); err != nil {
		t.Fatalf("%s: Backward: %v", name, err)
	}
	return want
}

// TestMulGradsIntoChain checks the gradient of a weight used as a factor at every step of a chain
// x ← x·w + c, BenchmarkScalarChain's graph, for a parameter with no gradient yet: Backward adds
// every step's product g·x into the parameter's buffer (Mul's GradsInto; TestMulGradsIntoUsedAndExact
// checks that the rule runs, and for a variable on the tape, from its third use). For a scalar, a vector and a matrix
// weight, either operand, both dtypes, it matches the reverse-mode sum worked out in plain loops,
// and Grad with CreateGraph (which builds every product apart) bit for bit. A weight broadcast
// along the rows and a first x broadcast along the weight's rows (declined: the rule sums or
// broadcasts its product) and one of 2¹⁵ elements (declined: the pass adds it on several cores)
// are checked the same way.
func TestMulGradsIntoChain(t *testing.T) {
	const steps = 6
	normals := normalsFrom(rand.New(rand.NewPCG(41, 42)))
	for _, c := range []struct {
		x, w  []int
		dt    ag.DType
		first bool // the weight is Mul's first operand
	}{
		{[]int{}, []int{}, ag.Float64, false},
		{[]int{}, []int{}, ag.Float32, true},
		{[]int{7}, []int{7}, ag.Float64, true},
		{[]int{3, 5}, []int{3, 5}, ag.Float32, false},
		{[]int{3, 5}, []int{5}, ag.Float64, false},
		{[]int{5}, []int{3, 5}, ag.Float64, true},
		{[]int{1 << 15}, []int{1 << 15}, ag.Float64, false},
	} {
		name := fmt.Sprintf("%v x%v w%v first=%v", c.dt, c.x, c.w, c.first)
		size := func(s []int) int {
			n := 1
			for _, d := range s {
				n *= d
			}
			return n
		}
		nx, nw := size(c.x), size(c.w)
		n, out := nx, c.x // the chain's shape: the larger operand's
		if nw > nx {
			n, out = nw, c.w
		}
		ws, cs, x0 := normals(nw), normals(n), normals(nx)
		for i := range ws {
			ws[i] *= 0.5 // keeps the chain's values of order 1
		}
		// Reverse mode by hand: x_{j+1} = x_j·w + c, loss = Σ x_steps, so ∂x_j = ∂x_{j+1}·w and
		// ∂w = Σ_j ∂x_{j+1}·x_j, summed over the rows a broadcast weight is used in; a broadcast
		// operand's element i%len is the one at output element i (rows of the last axis).
		xs := [][]float64{x0}
		for j := range steps {
			next := make([]float64, n)
			for i := range next {
				next[i] = xs[j][i%len(xs[j])]*ws[i%nw] + cs[i]
			}
			xs = append(xs, next)
		}
		want, up := make([]float64, nw), make([]float64, n)
		for i := range up {
			up[i] = 1
		}
		for j := steps - 1; j >= 0; j-- {
			for i := range up {
				want[i%nw] += up[i] * xs[j][i%len(xs[j])]
				up[i] *= ws[i%nw]
			}
		}
		var w ag.Var
		if c.dt == ag.Float32 {
			w = ag.NewParam32(to32(ws), c.w...)
		} else {
			w = ag.NewParam(ws, c.w...)
		}
		loss := func() ag.Var {
			tp := ag.NewTape()
			x := ops.Cast(tp.Const(x0, c.x...), c.dt)
			cc := ops.Cast(tp.Const(cs, out...), c.dt)
			for range steps {
				if c.first {
					x = ops.Add(ops.Mul(w, x), cc)
				} else {
					x = ops.Add(ops.Mul(x, w), cc)
				}
			}
			return ops.Sum(x)
		}
		viaGraph, err := ag.Grad([]ag.Var{loss()}, []ag.Var{w}, ag.CreateGraph())
		if err != nil {
			t.Fatalf("%s: Grad: %v", name, err)
		}
		if err := ag.Backward(loss()); err != nil {
			t.Fatalf("%s: Backward: %v", name, err)
		}
		// The loops sum in float64 in another order than the pass: a few ulps of sums of order
		// 10; float32 rounds every value of the chain to its 24 bits.
		tol := cmpopts.EquateApprox(1e-12, 1e-12)
		if c.dt == ag.Float32 {
			tol = cmpopts.EquateApprox(1e-5, 1e-5)
		}
		if d := cmp.Diff(want, w.Grad().Float64s(), tol); d != "" {
			t.Errorf("%s: Backward's gradient against the loops (-want +got):\n%s", name, d)
		}
		if d := cmp.Diff(viaGraph[0].Float64s(), w.Grad().Float64s()); d != "" {
			t.Errorf("%s: Backward's gradient against Grad with CreateGraph, bit for bit (-want +got):\n%s", name, d)
		}
	}
}
