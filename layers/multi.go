package layers

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// MultiModule is a module of several inputs and outputs: attention takes a query, keys and
// values; a recurrent cell takes an input and a state and returns an output and a state.
//
// A MultiModule is a Model, so it is understood wherever a Module is: stored in a field of a
// user's model (alone, in a slice or by value), its parameters are found by Collect and its
// buffers by CollectBuffers, under the field's name; Params, SetTraining (Train, Eval) and
// checkpoint.Save and Load accept it directly. train.Fit and train.Accuracy feed a single batch
// to a Module: a model with several inputs is a Module whose Forward splits its input (with
// ops.Slice) or builds the other inputs, and calls its MultiModules (see the package example
// MultiModule).
type MultiModule interface {
	// ForwardN returns the module's outputs for the inputs xs, recorded on their tape. It panics
	// with an *autograd.Error if the number of inputs or their shapes are wrong.
	ForwardN(xs ...ag.Var) []ag.Var
	// NamedParams returns the module's parameters in a stable order, with stable names.
	NamedParams() []Param
}

// Residual is a skip connection around a module: y = x + Body(x), where Body keeps the shape
// of its input, as in a residual network or a transformer block. Its parameters are Body's,
// named "body.NAME"; it passes the training mode and buffers on to Body.
type Residual struct {
	Body Module
}

// NewResidual returns x ↦ x + body(x).
func NewResidual(body Module) *Residual { return &Residual{Body: body} }

// Forward returns x + Body(x). Forward panics with an *autograd.Error wrapping
// autograd.ErrShape if Body changes the shape of x.
func (r *Residual) Forward(x ag.Var) ag.Var {
	const op = "layers.Residual"
	if r == nil || r.Body == nil {
		ag.Panicf(op, ag.ErrValue, "nil Residual or Body; create it with layers.NewResidual")
	}
	y := r.Body.Forward(x)
	if s, t := x.Shape(), y.Shape(); !slices.Equal(s, t) {
		ag.Panicf(op, ag.ErrShape, "the body maps %s to %s; want the input's shape", ag.FormatShape(s), ag.FormatShape(t))
	}
	return ops.Add(x, y)
}

// NamedParams returns Body's parameters, named "body.NAME".
func (r *Residual) NamedParams() []Param { return Collect(r) }
