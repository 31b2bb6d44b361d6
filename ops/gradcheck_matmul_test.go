package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// matmulCases covers MatMul and MatMulT: 2-D, batched 3-D, a 2-D operand shared by a 3-D one,
// a batch of 1 broadcast, each with all four transpose flags.
func matmulCases() []gradCase {
	// Shapes of op(a) and op(b).
	configs := []struct {
		name string
		a, b []int
	}{
		{"2D", []int{2, 3}, []int{3, 4}},
		{"3D", []int{2, 2, 3}, []int{2, 3, 4}},
		{"shared2Dx3D", []int{2, 3}, []int{2, 3, 4}},
		{"3Dxshared2D", []int{2, 2, 3}, []int{3, 4}},
		{"batch1x3D", []int{1, 2, 3}, []int{2, 3, 4}},
		{"3Dxbatch1", []int{2, 2, 3}, []int{1, 3, 4}},
		{"1x1", []int{1, 1}, []int{1, 1}},
	}
	// stored returns the shape holding op(x) of shape s: the last two axes swapped when t.
	stored := func(s []int, t bool) []int {
		s = append([]int{}, s...)
		if t {
			r := len(s)
			s[r-2], s[r-1] = s[r-1], s[r-2]
		}
		return s
	}
	var cs []gradCase
	for i, c := range configs {
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				ta, tb := ta, tb
				f := func(xs ...ag.Var) ag.Var { return MatMulT(xs[0], xs[1], ta, tb) }
				if !ta && !tb {
					f = func(xs ...ag.Var) ag.Var { return MatMul(xs[0], xs[1]) }
				}
				cs = append(cs, gradCase{
					name: fmt.Sprintf("MatMul%s(tA=%v,tB=%v)", c.name, ta, tb),
					f:    f,
					in:   []operand{gen(signed, uint64(2*i+1), stored(c.a, ta)...), gen(shifted, uint64(2*i+2), stored(c.b, tb)...)},
				})
			}
		}
	}
	// One operand on both sides: x·xᵀ and xᵀ·x.
	cs = append(cs,
		gradCase{name: "MatMulT(x,xᵀ)", f: func(xs ...ag.Var) ag.Var { return MatMulT(xs[0], xs[0], false, true) }, in: []operand{gen(signed, 7, 2, 3)}},
		gradCase{name: "MatMulT(xᵀ,x)3D", f: func(xs ...ag.Var) ag.Var { return MatMulT(xs[0], xs[0], true, false) }, in: []operand{gen(signed, 8, 2, 2, 3)}},
		// A chain, so that order 2 sees a product of two matrix functions of the inputs.
		// More than DefaultFullMax (64) input elements: CheckGrad compares ⟨u, J v⟩ along random
		// directions instead of the full Jacobian.
		gradCase{name: "MatMulLarge(8,9)x(9,8)", f: func(xs ...ag.Var) ag.Var { return MatMul(xs[0], xs[1]) },
			in: []operand{gen(signed, 12, 8, 9), gen(shifted, 13, 9, 8)}},
		gradCase{name: "MatMulLarge3D(3,5,6)xᵀ(6,5)", f: func(xs ...ag.Var) ag.Var { return MatMulT(xs[0], xs[1], false, true) },
			in: []operand{gen(signed, 14, 3, 5, 6), gen(shifted, 15, 5, 6)}},
		gradCase{name: "MatMul(tanh(A·B),C)", f: func(xs ...ag.Var) ag.Var { return MatMul(Tanh(MatMul(xs[0], xs[1])), xs[2]) },
			in: []operand{gen(signed, 9, 2, 3), gen(shifted, 10, 3, 2), gen(signed, 11, 2, 2)}},
	)
	return cs
}
