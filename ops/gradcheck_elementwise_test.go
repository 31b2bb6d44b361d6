package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// elementwiseCases covers the arithmetic of elementwise.go: broadcasting binary operations,
// powers, unary maps and the scalar helpers.
func elementwiseCases() []gradCase {
	var cs []gradCase
	cs = append(cs, binaryCases("Add", signed, shifted, Add, false)...)
	cs = append(cs, binaryCases("Sub", signed, shifted, Sub, false)...)
	cs = append(cs, binaryCases("Mul", signed, shifted, Mul, false)...)
	cs = append(cs, binaryCases("Div", signed, shifted, Div, false)...) // |b| ≥ 0.37
	cs = append(cs, binaryCases("Pow", positive, signed, Pow, false)...)
	// An operand used twice: the gradients of both uses add up.
	cs = append(cs, gradCase{name: "Mul(x,x)", f: func(xs ...ag.Var) ag.Var { return Mul(xs[0], xs[0]) }, in: []operand{gen(signed, 1, 2, 3)}})
	cs = append(cs, gradCase{name: "Div(x,x+3)", f: func(xs ...ag.Var) ag.Var { return Div(xs[0], AddScalar(xs[0], 3)) }, in: []operand{gen(signed, 2, 4)}})

	for _, p := range []float64{2, 0.5, -1, 3, 0, 1, 1.5, -0.5, -2} {
		k := positive // non-integer and negative powers need a > 0 (and a away from 0)
		if p == 2 || p == 3 || p == 1 || p == 0 {
			k = signed
		}
		p := p
		cs = append(cs, unaryCases(fmt.Sprintf("PowConst%g", p), k, func(a ag.Var) ag.Var { return PowConst(a, p) }, false)...)
	}
	cs = append(cs, unaryCases("Square", signed, Square, false)...)
	cs = append(cs, unaryCases("Sqrt", positive, Sqrt, false)...)
	cs = append(cs, unaryCases("Neg", signed, Neg, false)...)
	cs = append(cs, unaryCases("Exp", signed, Exp, false)...)
	cs = append(cs, unaryCases("Log", positive, Log, false)...)
	cs = append(cs, unaryCases("Abs", signed, Abs, false)...)
	cs = append(cs, unaryCases("Sign", signed, Sign, true)...)
	cs = append(cs, unaryCases("Step", signed, Step, true)...)
	// Sign and Step inside a differentiable expression contribute zero, not an error.
	cs = append(cs, unaryCases("Mul(Sign(x),x²)", signed, func(a ag.Var) ag.Var { return Mul(Sign(a), Square(a)) }, false)...)
	cs = append(cs, unaryCases("Mul(Step(x),x³)", signed, func(a ag.Var) ag.Var { return Mul(Step(a), PowConst(a, 3)) }, false)...)
	cs = append(cs, unaryCases("AddScalar", signed, func(a ag.Var) ag.Var { return AddScalar(a, 1.5) }, false)...)
	cs = append(cs, unaryCases("MulScalar", signed, func(a ag.Var) ag.Var { return MulScalar(a, -2.5) }, false)...)
	cs = append(cs, unaryCases("RSubScalar", signed, func(a ag.Var) ag.Var { return RSubScalar(3, a) }, false)...)
	return cs
}
