package ops

import ag "github.com/gograd/gograd/autograd"

// selectCases covers select.go: comparisons, Where, Clamp, Maximum, Minimum and Cast.
func selectCases() []gradCase {
	var cs []gradCase
	cmps := []struct {
		name string
		f    func(a, b ag.Var) ag.Var
	}{
		{"Greater", Greater}, {"GreaterEqual", GreaterEqual}, {"Less", Less}, {"LessEqual", LessEqual}, {"Equal", Equal},
	}
	for _, c := range cmps {
		// No gradient flows through a comparison: CheckGrad compares a zero analytic gradient
		// with the zero numeric one (values never tie, so differences do not jump).
		cs = append(cs, binaryCases(c.name, signed, shifted, c.f, true)...)
		// Used as a mask it contributes nothing either: ∂(m·(a+b)) = m for both.
		f := c.f
		cs = append(cs, binaryCases(c.name+"Mask", signed, shifted, func(a, b ag.Var) ag.Var { return Mul(f(a, b), Add(a, b)) }, false)...)
	}
	// Equal where the operands are equal: the mask is 1 there.
	cs = append(cs, gradCase{
		name: "EqualMask(x,x)",
		f:    func(xs ...ag.Var) ag.Var { return Mul(Equal(xs[0], xs[0]), xs[0]) },
		in:   []operand{gen(signed, 3, 2, 3)},
	})

	cs = append(cs, binaryCases("Maximum", signed, shifted, Maximum, false)...)
	cs = append(cs, binaryCases("Minimum", signed, shifted, Minimum, false)...)
	cs = append(cs, binaryCases("Where(a>0)", signed, shifted, func(a, b ag.Var) ag.Var {
		return Where(Greater(a, ScalarLike(a, 0)), a, b)
	}, false)...)
	// A constant condition broadcast against both branches (three-way broadcasting).
	where3 := []struct {
		name string
		cond operand
		a, b []int
	}{
		{"Where(c(2,1),a(1,3),b(3))", fixed([]int{2, 1}, 1, 0), []int{1, 3}, []int{3}},
		{"Where(c(),a(2,3),b(2,3))", fixed(nil, 1), []int{2, 3}, []int{2, 3}},
		{"Where(c(),a(2,3),b(2,3))false", fixed(nil, 0), []int{2, 3}, []int{2, 3}},
		{"Where(c(3,1),a(2,3,4),b())", fixed([]int{3, 1}, 0, 1, 1), []int{2, 3, 4}, nil},
		{"Where(c(2,3,4),a(4),b(3,1))", gen(signed, 9, 2, 3, 4), []int{4}, []int{3, 1}},
	}
	for i, w := range where3 {
		cond := w.cond
		cs = append(cs, gradCase{
			name: w.name,
			f: func(xs ...ag.Var) ag.Var {
				c := Greater(TapeOf(xs[0]).Const(cond.data, append([]int{}, cond.shape...)...), ScalarLike(xs[0], 0))
				return Where(c, xs[0], xs[1])
			},
			in: []operand{gen(signed, uint64(10+i), w.a...), gen(shifted, uint64(20+i), w.b...)},
		})
	}
	for i, s := range unaryShapes {
		// The bounds −0.71 and 0.83 are at least 0.005 from every generated value.
		cs = append(cs, gradCase{
			name: "Clamp" + sh(s),
			f:    func(xs ...ag.Var) ag.Var { return Clamp(xs[0], -0.71, 0.83) },
			in:   []operand{gen(signed, uint64(i+1), s...)},
		})
	}

	// Cast: x (float64) → float32 → square → float64. The float32 part rounds to about 1e-7
	// relative; central differences divide that by 2·eps, so eps is 1e-2 (exact for the
	// quadratic, whose third derivative is 0) and atol 1e-3 covers 1e-7·|x²|/1e-2 ≈ 1e-5 with room.
	for i, s := range unaryShapes {
		cs = append(cs, gradCase{
			name: "Cast32" + sh(s),
			f: func(xs ...ag.Var) ag.Var {
				return Cast(Mul(Cast(xs[0], ag.Float32), Cast(xs[1], ag.Float32)), ag.Float64)
			},
			in:   []operand{gen(signed, uint64(i+1), s...), gen(shifted, uint64(i+5), s...)},
			opts: []ag.CheckOption{ag.Eps(1e-2), ag.Tolerance(1e-3, 1e-3)},
		})
	}
	// Casting to the same dtype is the identity.
	cs = append(cs, gradCase{name: "Cast64", f: func(xs ...ag.Var) ag.Var { return Cast(Square(xs[0]), ag.Float64) }, in: []operand{gen(signed, 1, 2, 3)}})
	return cs
}
