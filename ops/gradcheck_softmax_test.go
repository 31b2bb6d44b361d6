package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// softmaxCases covers softmax.go: LogSumExp, LogSoftmax and Softmax along every axis.
func softmaxCases() []gradCase {
	fns := []struct {
		name string
		f    func(a ag.Var, ax int) ag.Var
	}{
		{"LogSumExp", LogSumExp}, {"LogSoftmax", LogSoftmax}, {"Softmax", Softmax},
	}
	axes := []struct {
		shape []int
		ax    int
	}{
		{[]int{4}, 0}, {[]int{2, 3}, 0}, {[]int{2, 3}, 1}, {[]int{2, 3}, -1}, {[]int{2, 3, 4}, 1}, {[]int{2, 3, 4}, -1}, {[]int{3, 1}, 1},
	}
	var cs []gradCase
	for _, fn := range fns {
		for i, a := range axes {
			fn, ax := fn, a.ax
			cs = append(cs, gradCase{
				name: fmt.Sprintf("%s%s[ax%d]", fn.name, sh(a.shape), ax),
				f:    func(xs ...ag.Var) ag.Var { return fn.f(xs[0], ax) },
				in:   []operand{gen(signed, uint64(i+1), a.shape...)},
			})
		}
	}
	// More than DefaultFullMax (64) elements: checked along random directions.
	cs = append(cs, gradCase{
		name: "Softmax(6,15)[ax1]",
		f:    func(xs ...ag.Var) ag.Var { return Softmax(xs[0], 1) },
		in:   []operand{gen(signed, 4, 6, 15)},
	})
	// Large inputs: the maximum is subtracted, so nothing overflows (1e3 would overflow exp).
	cs = append(cs, gradCase{
		name: "LogSoftmax(1e3+x)",
		f:    func(xs ...ag.Var) ag.Var { return LogSoftmax(AddScalar(xs[0], 1e3), 1) },
		in:   []operand{gen(signed, 3, 2, 3)},
		// The values near 1e3 carry an absolute rounding error of about 1e-13, which central
		// differences divide by 2·eps = 2e-6: 1e-7 of noise, far inside atol 1e-5.
	})
	return cs
}
