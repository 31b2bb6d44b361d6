package autograd

import "slices"

// NewParam returns a float64 parameter of the given shape holding a copy of data (zeros when data
// is nil). Parameters are long-lived leaves: they need gradients, survive Tape.Reset, and may be
// used on any tape. NewParam panics if data does not fill the shape.
func NewParam(data []float64, shape ...int) Var {
	return newParam("autograd.NewParam", Float64, data, nil, shape, false)
}

// NewParam32 is NewParam for float32.
func NewParam32(data []float32, shape ...int) Var {
	return newParam("autograd.NewParam32", Float32, nil, data, shape, false)
}

// ScalarParam returns a float64 scalar parameter.
func ScalarParam(x float64) Var {
	return newParam("autograd.ScalarParam", Float64, []float64{x}, nil, []int{}, true)
}

// WrapParam returns a float64 parameter that shares data instead of copying it, like Tape.Wrap
// for constants: optimizer steps update data in place, and changes to data change the parameter.
// No shape means a vector of len(data). WrapParam panics if data does not fill the shape.
func WrapParam(data []float64, shape ...int) Var {
	return newParam("autograd.WrapParam", Float64, data, nil, shape, true)
}

// WrapParam32 is WrapParam for float32 data.
func WrapParam32(data []float32, shape ...int) Var {
	return newParam("autograd.WrapParam32", Float32, nil, data, shape, true)
}

// newParam returns a parameter holding d64 or d32: the slice itself when share is set, a copy
// (zeros for nil data) otherwise.
func newParam(op string, dt DType, d64 []float64, d32 []float32, shape []int, share bool) Var {
	var vec [1]int
	if shape == nil || share || d64 != nil || d32 != nil {
		shape = fillShape(op, shape, len(d64)+len(d32), &vec)
	}
	size := checkShape(op, shape)
	var n *node
	if share { // the slice itself, a scalar's too (no inline copy)
		n = (*Tape)(nil).newNodeNoStorage(dt, shape)
		n.f64, n.f32 = slices.Clip(d64), slices.Clip(d32)
	} else {
		n = (*Tape)(nil).newNodeSized(dt, shape, size)
		copy(n.f64, d64)
		copy(n.f32, d32)
	}
	n.param, n.leaf, n.requiresGrad = true, true, true
	return n.handle()
}

// SetRequiresGrad marks a parameter as trainable or frozen. A frozen parameter is treated as a
// constant: no gradient flows to it. SetRequiresGrad panics if p is not a parameter.
func SetRequiresGrad(p Var, on bool) {
	n := p.check("autograd.SetRequiresGrad")
	if !n.param {
		Panicf("autograd.SetRequiresGrad", ErrValue, "Var is not a parameter")
	}
	n.requiresGrad = on
}
