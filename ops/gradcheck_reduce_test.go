package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// reduceCases covers reduce.go: Sum, Mean, Max and Min, with and without kept axes.
func reduceCases() []gradCase {
	reductions := []struct {
		name string
		f    func(a ag.Var, axes ...int) ag.Var
	}{
		{"Sum", Sum}, {"SumKeepDims", SumKeepDims}, {"Mean", Mean}, {"MeanKeepDims", MeanKeepDims},
		{"Max", Max}, {"MaxKeepDims", MaxKeepDims}, {"Min", Min}, {"MinKeepDims", MinKeepDims},
	}
	axes := []struct {
		shape []int
		axes  []int
	}{
		{[]int{}, nil}, {[]int{4}, nil}, {[]int{4}, []int{0}}, {[]int{2, 3}, nil}, {[]int{2, 3}, []int{0}},
		{[]int{2, 3}, []int{1}}, {[]int{2, 3}, []int{-1}}, {[]int{2, 3}, []int{0, 1}}, {[]int{2, 3, 4}, nil},
		{[]int{2, 3, 4}, []int{1}}, {[]int{2, 3, 4}, []int{0, 2}}, {[]int{2, 3, 4}, []int{2, -3}},
		{[]int{2, 1, 3}, []int{1}}, // a reduction over an axis of size 1
	}
	var cs []gradCase
	for _, r := range reductions {
		for i, a := range axes {
			r, ax := r, a.axes
			cs = append(cs, gradCase{
				name: fmt.Sprintf("%s%s%v", r.name, sh(a.shape), ax),
				// Squaring makes the order-2 check non-trivial: the reductions are linear or
				// piecewise linear.
				f:  func(xs ...ag.Var) ag.Var { return Square(r.f(xs[0], ax...)) },
				in: []operand{gen(signed, uint64(i+1), a.shape...)}, // distinct values: unique maxima
			})
		}
	}
	return cs
}
