package ops

import ag "github.com/gograd/gograd/autograd"

// lossCases covers sqdiff.go: SumSquaredDiff, whose gradient is the primitive
// SumSquaredDiffGrad.
func lossCases() []gradCase {
	var cs []gradCase
	for i, s := range unaryShapes {
		c := 1 / float64(numel(s)) // MSE's mean
		cs = append(cs, gradCase{
			name: "SumSquaredDiff" + sh(s) + sh(s),
			f:    func(xs ...ag.Var) ag.Var { return SumSquaredDiff(xs[0], xs[1], c) },
			in:   []operand{gen(signed, uint64(2*i+1), s...), gen(shifted, uint64(2*i+2), s...)},
		})
	}
	// The upstream gradient of the inner loss depends on the inputs, so that the order-2 check
	// differentiates SumSquaredDiffGrad with respect to all three of its inputs, g included.
	cs = append(cs, gradCase{
		name: "SumSquaredDiff(SumSquaredDiff(a,b)·a,b)",
		f: func(xs ...ag.Var) ag.Var {
			a, b := xs[0], xs[1]
			return SumSquaredDiff(Mul(SumSquaredDiff(a, b, 0.5), a), b, 1.5)
		},
		in: []operand{gen(signed, 11, 2, 3), gen(shifted, 12, 2, 3)},
	})
	// More than one sum block (64 elements): the squares go through a constant on the tape.
	cs = append(cs, gradCase{
		name: "SumSquaredDiff(5,14)(5,14)",
		f:    func(xs ...ag.Var) ag.Var { return SumSquaredDiff(xs[0], xs[1], 0.5) },
		in:   []operand{gen(signed, 13, 5, 14), gen(shifted, 14, 5, 14)},
	})
	// The softmax cross-entropy along the last axis, targets varying too (soft labels), so that
	// ∂t is checked as well as ∂x.
	for i, s := range [][]int{{5}, {3, 4}, {2, 3, 4}} {
		c := 1 / float64(numel(s)/s[len(s)-1]) // the mean over the rows
		cs = append(cs, gradCase{
			name: "SoftmaxCrossEntropy" + sh(s) + sh(s),
			f:    func(xs ...ag.Var) ag.Var { return SoftmaxCrossEntropy(xs[0], xs[1], c) },
			in:   []operand{gen(signed, uint64(20+i), s...), gen(positive, uint64(30+i), s...)},
		})
	}
	// One-hot targets (a constant): the zeros select nothing.
	cs = append(cs, gradCase{
		name: "SoftmaxCrossEntropy(3,4)onehot",
		f: func(xs ...ag.Var) ag.Var {
			return SoftmaxCrossEntropy(xs[0], OneHot(TapeOf(xs[0]), ag.Float64, []int{2, 0, 3}, 4), 0.5)
		},
		in: []operand{gen(signed, 24, 3, 4)},
	})
	// As for SumSquaredDiff: the inner loss makes the outer one's upstream gradient depend on the
	// inputs, so that the order-2 check differentiates SoftmaxCrossEntropyGrad in g as well.
	cs = append(cs, gradCase{
		name: "SoftmaxCrossEntropy(SoftmaxCrossEntropy(a,b)·a,b)",
		f: func(xs ...ag.Var) ag.Var {
			a, b := xs[0], xs[1]
			return SoftmaxCrossEntropy(Mul(SoftmaxCrossEntropy(a, b, 0.5), a), b, 1.5)
		},
		in: []operand{gen(signed, 25, 2, 3), gen(positive, 26, 2, 3)},
	})
	return cs
}
