package main

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// The same networks built from the engine's operations: their gradients come from the
// derivative rules of package ops through the chain rule, with nothing derived by hand.

// errorOf returns E = ½ (y − t)² of the output y, of shape (1, 1), on y's tape.
func errorOf(y ag.Var, t float64) ag.Var {
	e, err := losses.SquaredError(y, ops.TapeOf(y).Const([]float64{t}, 1, 1))
	if err != nil {
		panic(err) // the shapes are fixed here: an error is a bug
	}
	return e
}

// oneLayerNet records y = σ(a w) for the row a (1, n) and the column w (n, 1), and returns E.
func oneLayerNet(a, w ag.Var, t float64) ag.Var {
	return errorOf(ops.Sigmoid(ops.MatMul(a, w)), t)
}

// autograd returns ∂E/∂w computed by the engine.
func (p oneLayer) autograd(tp *ag.Tape, opts ...ag.Option) ([]float64, error) {
	n := len(p.w)
	w := tp.Variable(p.w, n, 1)
	e := oneLayerNet(tp.Const(p.a, 1, n), w, p.t)
	g, err := ag.Grad([]ag.Var{e}, []ag.Var{w}, opts...)
	if err != nil {
		return nil, err
	}
	return g[0].Float64s(), nil
}

// twoLayerNet records y = σ(σ(x V) w) for the row x (1, nIn), V (nIn, nHidden) and the column
// w (nHidden, 1), and returns E.
func twoLayerNet(x, v, w ag.Var, t float64) ag.Var {
	a := ops.Sigmoid(ops.MatMul(x, v))
	return errorOf(ops.Sigmoid(ops.MatMul(a, w)), t)
}

// autograd returns ∂E/∂V (row-major) and ∂E/∂w computed by the engine.
func (p twoLayer) autograd(tp *ag.Tape) (dv, dw []float64, err error) {
	nIn, nh := len(p.x), len(p.w)
	v, w := tp.Variable(p.v, nIn, nh), tp.Variable(p.w, nh, 1)
	e := twoLayerNet(tp.Const(p.x, 1, nIn), v, w, p.t)
	g, err := ag.Grad([]ag.Var{e}, []ag.Var{v, w})
	if err != nil {
		return nil, nil, err
	}
	return g[0].Float64s(), g[1].Float64s(), nil
}

// loss returns E of the two-layer network as a function of all its weights θ = (vec V, w), a
// vector of nIn·nHidden + nHidden elements, for autograd.HVP and autograd.Hessian.
func (p twoLayer) loss(theta ag.Var) ag.Var {
	nIn, nh := len(p.x), len(p.w)
	v := ops.Reshape(ops.Slice(theta, 0, 0, nIn*nh), nIn, nh)
	w := ops.Reshape(ops.Slice(theta, 0, nIn*nh, nIn*nh+nh), nh, 1)
	return twoLayerNet(ops.TapeOf(theta).Const(p.x, 1, nIn), v, w, p.t)
}

// theta returns the weights (vec V, w).
func (p twoLayer) theta() []float64 { return append(append([]float64(nil), p.v...), p.w...) }
