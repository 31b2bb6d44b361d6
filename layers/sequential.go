package layers

import (
	"strconv"

	ag "github.com/gograd/gograd/autograd"
)

// Sequential applies its layers in order.
type Sequential struct {
	Layers []Module
}

// NewSequential returns a container of layers. It panics with an *autograd.Error wrapping
// autograd.ErrValue naming the layer if one is nil.
func NewSequential(layers ...Module) *Sequential {
	for i, l := range layers {
		if l == nil {
			nilLayer("layers.NewSequential", i)
		}
	}
	return &Sequential{Layers: layers}
}

// Forward feeds x through every layer in turn. It panics with an *autograd.Error wrapping
// autograd.ErrValue if s or one of its layers is nil.
func (s *Sequential) Forward(x ag.Var) ag.Var {
	if s == nil {
		ag.Panicf("layers.Sequential", ag.ErrValue, "nil *Sequential; create it with layers.NewSequential")
	}
	for i, l := range s.Layers {
		if l == nil {
			nilLayer("layers.Sequential", i)
		}
		x = l.Forward(x)
	}
	return x
}

func nilLayer(op string, i int) {
	ag.Panicf(op, ag.ErrValue, "layer %d is nil", i)
}

// NamedParams returns the parameters of every layer, each named after the layer's index and
// the layer's own name: "0.weight", "0.bias", "2.weight", ...
func (s *Sequential) NamedParams() []Param {
	var out []Param
	for i, l := range s.Layers {
		if l == nil {
			nilLayer("layers.Sequential.NamedParams", i)
		}
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
