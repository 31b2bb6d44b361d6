package ops

import ag "github.com/gograd/gograd/autograd"

// activationCases covers activation.go.
func activationCases() []gradCase {
	var cs []gradCase
	cs = append(cs, unaryCases("Sigmoid", signed, Sigmoid, false)...)
	cs = append(cs, unaryCases("Tanh", signed, Tanh, false)...)
	cs = append(cs, unaryCases("Softplus", signed, Softplus, false)...)
	cs = append(cs, unaryCases("Erf", signed, Erf, false)...)
	cs = append(cs, unaryCases("ReLU", signed, ReLU, false)...)
	cs = append(cs, unaryCases("LeakyReLU0.1", signed, func(a ag.Var) ag.Var { return LeakyReLU(a, 0.1) }, false)...)
	cs = append(cs, unaryCases("LeakyReLU-2", signed, func(a ag.Var) ag.Var { return LeakyReLU(a, -2) }, false)...)
	cs = append(cs, unaryCases("GELU", signed, GELU, false)...)
	// Sigmoid's backward is the primitive SigmoidGrad; composing Sigmoid twice makes its
	// order-2 check differentiate SigmoidGrad with respect to both of its inputs.
	cs = append(cs, unaryCases("Sigmoid(Sigmoid)", signed, func(a ag.Var) ag.Var { return Sigmoid(Sigmoid(a)) }, false)...)
	return cs
}
