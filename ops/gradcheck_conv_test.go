package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// convCases covers im2col.go, conv.go and pool.go: Im2col and Col2im alone (each other's rule,
// so order 2 checks the pair), the convolutions in several geometries, and the pools. Outputs
// are weighted by a constant of their shape so that every element's place matters.
func convCases() []gradCase {
	weighted := func(y ag.Var) ag.Var {
		w := make([]float64, y.Len())
		for i := range w {
			w[i] = 1 + 0.125*float64(i%7)
		}
		return Mul(y, TapeOf(y).Const(w, append([]int{}, y.Shape()...)...))
	}
	p := func(a, b int) [2]int { return [2]int{a, b} }
	one := p(1, 1)
	var cs []gradCase
	unfold := []struct {
		name  string
		shape []int
		w     Window2d
	}{
		{"Im2col(k3,p1)", []int{1, 2, 4, 4}, Window(3, 1, 1, 1)},
		{"Im2col(k2,s2)", []int{2, 1, 4, 5}, Window(2, 2, 0, 1)},
		{"Im2col(k(2,3),s(2,1),p(1,0),d(2,1))", []int{1, 2, 5, 4}, Window2d{p(2, 3), p(2, 1), p(1, 0), p(2, 1)}},
	}
	for i, c := range unfold {
		w := c.w
		cs = append(cs, gradCase{
			name: c.name + sh(c.shape),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Im2col(xs[0], w, 0)) },
			in:   []operand{gen(signed, uint64(i+1), c.shape...)},
		})
		// Col2im's input is shaped as Im2col's output.
		oh := outSize(c.shape[2], w.Kernel[0], w.Stride[0], w.Padding[0], w.Dilation[0])
		ow := outSize(c.shape[3], w.Kernel[1], w.Stride[1], w.Padding[1], w.Dilation[1])
		h, wd := c.shape[2], c.shape[3]
		cols := []int{c.shape[0], c.shape[1] * w.Kernel[0] * w.Kernel[1], oh * ow}
		cs = append(cs, gradCase{
			name: "Col2im" + c.name[len("Im2col"):] + sh(cols),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Col2im(xs[0], w, h, wd)) },
			in:   []operand{gen(signed, uint64(i+11), cols...)},
		})
	}
	// Im2col with a −Inf pad value, as MaxPool2d uses: the pad taps are constants.
	cs = append(cs, gradCase{
		name: "Im2col(k2,p1,pad −Inf) then Max",
		f: func(xs ...ag.Var) ag.Var {
			return weighted(MaxKeepDims(Reshape(Im2col(xs[0], Window(2, 1, 1, 1), math.Inf(-1)), 1, 2, 4, 16), 2))
		},
		in: []operand{gen(signed, 21, 1, 2, 3, 3)},
	})

	convs := []struct {
		name     string
		x, w     []int
		bias     bool
		s, pd, d [2]int
		groups   int
	}{
		{"Conv2d", []int{2, 2, 4, 4}, []int{3, 2, 3, 3}, true, one, p(0, 0), one, 1},
		{"Conv2d(s2,p1)", []int{1, 2, 5, 5}, []int{2, 2, 3, 3}, true, p(2, 2), one, one, 1},
		{"Conv2d(d2,nobias)", []int{1, 1, 6, 5}, []int{2, 1, 2, 2}, false, one, one, p(2, 2), 1},
		{"Conv2d(rect)", []int{1, 2, 4, 5}, []int{2, 2, 2, 3}, true, p(1, 2), p(1, 0), p(1, 2), 1},
		{"Conv2d(groups2)", []int{1, 4, 4, 4}, []int{4, 2, 2, 2}, true, one, p(0, 0), one, 2},
		{"Conv2d(depthwise)", []int{2, 3, 4, 4}, []int{3, 1, 3, 3}, true, one, one, one, 3},
		{"Conv2d(depthwise×2)", []int{1, 2, 4, 4}, []int{4, 1, 2, 2}, false, p(2, 2), p(0, 0), one, 2},
		{"Conv2d(1x1)", []int{2, 3, 3, 3}, []int{2, 3, 1, 1}, true, one, p(0, 0), one, 1},
	}
	for i, c := range convs {
		c := c
		in := []operand{gen(signed, uint64(31+i), c.x...), gen(shifted, uint64(41+i), c.w...)}
		if c.bias {
			in = append(in, gen(signed, uint64(51+i), c.w[0]))
		}
		cs = append(cs, gradCase{
			name: c.name + sh(c.x) + sh(c.w),
			f: func(xs ...ag.Var) ag.Var {
				var b ag.Var
				if c.bias {
					b = xs[2]
				}
				return weighted(Conv2d(xs[0], xs[1], b, c.s, c.pd, c.d, c.groups))
			},
			in: in,
		})
	}
	cs = append(cs,
		gradCase{
			name: "Conv1d(s2,p1,d2)(2,2,7)(3,2,3)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(Conv1d(xs[0], xs[1], xs[2], 2, 1, 2, 1)) },
			in:   []operand{gen(signed, 61, 2, 2, 7), gen(shifted, 62, 3, 2, 3), gen(signed, 63, 3)},
		},
		gradCase{
			name: "Conv1d(groups2)(1,4,5)(2,2,2)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(Conv1d(xs[0], xs[1], ag.Var{}, 1, 0, 1, 2)) },
			in:   []operand{gen(signed, 64, 1, 4, 5), gen(shifted, 65, 2, 2, 2)},
		},
	)

	transposes := []struct {
		name         string
		x, w         []int
		s, pd, op, d [2]int
		groups       int
	}{
		{"ConvTranspose2d", []int{1, 2, 3, 3}, []int{2, 2, 2, 2}, one, p(0, 0), p(0, 0), one, 1},
		{"ConvTranspose2d(s2,p1,op1)", []int{2, 2, 3, 3}, []int{2, 3, 3, 3}, p(2, 2), one, one, one, 1},
		{"ConvTranspose2d(d2,groups2)", []int{1, 4, 3, 2}, []int{4, 1, 2, 2}, one, p(0, 0), p(0, 0), p(2, 2), 2},
		{"ConvTranspose2d(s1,d2,op1)", []int{1, 1, 3, 3}, []int{1, 2, 2, 2}, one, one, one, p(2, 2), 1},
	}
	for i, c := range transposes {
		c := c
		o := c.w[1] * c.groups
		cs = append(cs, gradCase{
			name: c.name + sh(c.x) + sh(c.w),
			f: func(xs ...ag.Var) ag.Var {
				return weighted(ConvTranspose2d(xs[0], xs[1], xs[2], c.s, c.pd, c.op, c.d, c.groups))
			},
			in: []operand{gen(signed, uint64(71+i), c.x...), gen(shifted, uint64(81+i), c.w...), gen(signed, uint64(91+i), o)},
		})
	}

	cs = append(cs,
		gradCase{
			name: "MaxPool2d(k2,s2)(2,2,4,4)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(MaxPool2d(xs[0], p(2, 2), p(2, 2), p(0, 0), one)) },
			in:   []operand{gen(signed, 101, 2, 2, 4, 4)},
		},
		gradCase{
			name: "MaxPool2d(k3,s2,p1,d(1,2))(1,2,5,6)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(MaxPool2d(xs[0], p(3, 3), p(2, 2), one, p(1, 2))) },
			in:   []operand{gen(signed, 102, 1, 2, 5, 6)},
		},
		gradCase{
			name: "AvgPool2d(k2,s2)(2,2,4,4)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(AvgPool2d(xs[0], p(2, 2), p(2, 2), p(0, 0))) },
			in:   []operand{gen(signed, 103, 2, 2, 4, 4)},
		},
		gradCase{
			name: "AvgPool2d(k3,s(2,1),p1)(1,2,5,4)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(AvgPool2d(xs[0], p(3, 3), p(2, 1), one)) },
			in:   []operand{gen(signed, 104, 1, 2, 5, 4)},
		},
		gradCase{
			name: "AdaptiveAvgPool2d(1,1)(2,3,3,4)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(AdaptiveAvgPool2d(xs[0], 1, 1)) },
			in:   []operand{gen(signed, 105, 2, 3, 3, 4)},
		},
		gradCase{
			name: "AdaptiveAvgPool2d(2,3)(1,2,5,4)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(AdaptiveAvgPool2d(xs[0], 2, 3)) },
			in:   []operand{gen(signed, 106, 1, 2, 5, 4)},
		},
		gradCase{
			name: "FlattenFrom(1)(2,3,2)",
			f:    func(xs ...ag.Var) ag.Var { return weighted(FlattenFrom(xs[0], 1)) },
			in:   []operand{gen(signed, 107, 2, 3, 2)},
		},
		// A small CNN: conv, ReLU, max pool, flatten, a product. Order 2 sees products of
		// functions of the weights through every piece.
		gradCase{
			name: "Conv2d→ReLU→MaxPool2d→FlattenFrom→MatMul",
			f: func(xs ...ag.Var) ag.Var {
				h := ReLU(Conv2d(xs[0], xs[1], xs[2], one, one, one, 1))
				h = FlattenFrom(MaxPool2d(h, p(2, 2), p(2, 2), p(0, 0), one), 1)
				return MatMul(Tanh(h), xs[3])
			},
			in: []operand{gen(signed, 111, 2, 1, 4, 4), gen(shifted, 112, 2, 1, 3, 3), gen(signed, 113, 2), gen(shifted, 114, 8, 2)},
		},
	)
	return cs
}
