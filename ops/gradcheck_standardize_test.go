package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// standardizeCases covers standardize.go: Standardize over one and two trailing axes, with
// and without eps, and its backward standardizeGrad(h, x) in both inputs.
func standardizeCases() []gradCase {
	shapes := []struct {
		shape []int
		axes  int
		eps   float64
	}{
		{[]int{5}, 1, 1e-5}, {[]int{3, 5}, 1, 0}, {[]int{3, 5}, 2, 1e-5}, {[]int{2, 3, 4}, 2, 0.1},
		{[]int{2, 3, 4}, 1, 1e-5}, {[]int{6, 15}, 1, 1e-5},
	}
	var cs []gradCase
	for i, s := range shapes {
		axes, eps := s.axes, s.eps
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Standardize%s[axes%d,eps%g]", sh(s.shape), axes, eps),
			f:    func(xs ...ag.Var) ag.Var { return Standardize(xs[0], axes, eps) },
			in:   []operand{gen(signed, uint64(i+1), s.shape...)},
		})
		cs = append(cs, gradCase{
			name: fmt.Sprintf("StandardizeGrad%s[axes%d,eps%g]", sh(s.shape), axes, eps),
			f:    func(xs ...ag.Var) ag.Var { return standardizeGrad(xs[0], xs[1], axes, eps) },
			in:   []operand{gen(signed, uint64(i+11), s.shape...), gen(signed, uint64(i+21), s.shape...)},
		})
	}
	return cs
}
