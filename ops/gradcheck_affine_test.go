package ops

import ag "github.com/gograd/gograd/autograd"

// affineCases covers affine.go: x·W + b for a few shapes, a single row and column, and the
// layer stacked on itself so that the order-2 check differentiates the rules' products.
func affineCases() []gradCase {
	var cs []gradCase
	for i, s := range [][3]int{{2, 3, 4}, {1, 1, 1}, {4, 2, 1}, {3, 5, 2}} {
		m, k, n := s[0], s[1], s[2]
		cs = append(cs, gradCase{
			name: "Affine" + sh([]int{m, k}) + sh([]int{k, n}) + sh([]int{n}),
			f:    func(xs ...ag.Var) ag.Var { return Affine(xs[0], xs[1], xs[2]) },
			in:   []operand{gen(signed, uint64(3*i+1), m, k), gen(shifted, uint64(3*i+2), k, n), gen(signed, uint64(3*i+3), n)},
		})
	}
	cs = append(cs, gradCase{
		name: "Affine(Tanh(Affine(x,W,b)),W,b)",
		f: func(xs ...ag.Var) ag.Var {
			return Affine(Tanh(Affine(xs[0], xs[1], xs[2])), xs[1], xs[2])
		},
		in: []operand{gen(signed, 21, 2, 3), gen(shifted, 22, 3, 3), gen(signed, 23, 3)},
	})
	return cs
}
