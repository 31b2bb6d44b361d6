package layers

import (
	"strconv"

	ag "github.com/gograd/gograd/autograd"
)

// Sequential applies its layers in order.
type Sequential struct {
	Layers []Module
}

// NewSequential returns a container of layers.
func NewSequential(layers ...Module) *Sequential {
	return &Sequential{Layers: layers}
}

// Forward feeds x through every layer in turn.
func (s *Sequential) Forward(x ag.Var) ag.Var {
	for _, l := range s.Layers {
		x = l.Forward(x)
	}
	return x
}

// NamedParams returns the parameters of every layer, each named after the layer's index and
// the layer's own name: "0.weight", "0.bias", "2.weight", ...
func (s *Sequential) NamedParams() []Param {
	var out []Param
	for i, l := range s.Layers {
		prefix := strconv.Itoa(i) + "."
		for _, p := range l.NamedParams() {
			out = append(out, Param{Name: prefix + p.Name, Var: p.Var})
		}
	}
	return out
}

// SetTraining sets the mode of every layer; see the function SetTraining.
func (s *Sequential) SetTraining(training bool) {
	for _, l := range s.Layers {
		SetTraining(l, training)
	}
}
