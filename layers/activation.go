package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// The activation layers wrap the elementwise operations of package ops. They have no
// parameters; their zero values are ready to use and may be shared between networks.
type (
	// Sigmoid applies σ(x) = 1/(1 + e⁻ˣ).
	Sigmoid struct{}
	// Tanh applies tanh x.
	Tanh struct{}
	// ReLU applies max(x, 0).
	ReLU struct{}
	// LeakyReLU applies x where x > 0, else Slope·x (PyTorch's default slope is 0.01).
	LeakyReLU struct{ Slope float64 }
	// GELU applies x Φ(x), the exact Gaussian error linear unit.
	GELU struct{}
	// Softmax applies the softmax along the last axis, giving rows of probabilities. A
	// classifier trained with losses.CrossEntropy should output logits and not end with it.
	Softmax struct{}
	// Step applies the Heaviside step: 1 where x > 0, else 0. Its derivative is zero, so no
	// gradient flows through it.
	Step struct{}
)

// Forward returns σ(x).
func (Sigmoid) Forward(x ag.Var) ag.Var { return ops.Sigmoid(x) }

// Forward returns tanh x.
func (Tanh) Forward(x ag.Var) ag.Var { return ops.Tanh(x) }

// Forward returns max(x, 0).
func (ReLU) Forward(x ag.Var) ag.Var { return ops.ReLU(x) }

// Forward returns the leaky ReLU of x.
func (l LeakyReLU) Forward(x ag.Var) ag.Var { return ops.LeakyReLU(x, l.Slope) }

// Forward returns GELU(x).
func (GELU) Forward(x ag.Var) ag.Var { return ops.GELU(x) }

// Forward returns the softmax of x along its last axis. It panics if x is a scalar.
func (Softmax) Forward(x ag.Var) ag.Var { return ops.Softmax(x, -1) }

// Forward returns H(x).
func (Step) Forward(x ag.Var) ag.Var { return ops.Step(x) }

// NamedParams returns nil.
func (Sigmoid) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (Tanh) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (ReLU) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (LeakyReLU) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (GELU) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (Softmax) NamedParams() []Param { return nil }

// NamedParams returns nil.
func (Step) NamedParams() []Param { return nil }
