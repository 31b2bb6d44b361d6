package layers

import ag "github.com/gograd/gograd/autograd"

// LayerTrace holds one layer's values in a forward pass, in the course's notation: the
// pre-activation Z⁽ʲ⁾ and the activation a⁽ʲ⁾.
type LayerTrace struct {
	Z ag.Var // Z⁽ʲ⁾ = a⁽ʲ⁻¹⁾ Wʲ⁻¹ + b; the zero Var for the input layer
	A ag.Var // a⁽ʲ⁾ = f(Z⁽ʲ⁾); the input itself for the input layer
}

// ForwardTrace runs the forward pass of m on x and returns its result, as Forward does (logits
// for the sigmoid and softmax heads), and every layer's values: layers[0] is the input layer,
// with A = a⁽¹⁾ = x, and layers[j] for j ≥ 1 holds Z⁽ʲ⁺¹⁾ = a⁽ʲ⁾ Wʲ + b and a⁽ʲ⁺¹⁾ = f(Z⁽ʲ⁺¹⁾),
// where f is the hidden activation (followed by dropout, in training mode), and for the output
// layer the head: its A is Probabilities(x). The values are recorded like any other, so they
// can be differentiated (for example with autograd.Grad, to inspect ∂E/∂Z⁽ʲ⁾).
func (m *MLP) ForwardTrace(x ag.Var) (out ag.Var, layers []LayerTrace) {
	layers = []LayerTrace{{A: x}}
	a := x
	for _, l := range m.Net.Layers {
		if lin, ok := l.(*Linear); ok {
			z := lin.Forward(a)
			layers = append(layers, LayerTrace{Z: z, A: z})
			a = z
			continue
		}
		a = l.Forward(a)
		layers[len(layers)-1].A = a
	}
	out = a
	layers[len(layers)-1].A = m.head(out)
	return out, layers
}
