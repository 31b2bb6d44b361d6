package autograd

import "gorgonia.org/tensor"

// NewParam returns a float64 parameter of the given shape holding a copy of data (zeros when data
// is nil). Parameters are long-lived leaves: they need gradients, survive Tape.Reset, and may be
// used on any tape. NewParam panics if data does not fill the shape.
func NewParam(data []float64, shape ...int) Var {
	return newParam("autograd.NewParam", Float64, data, nil, shape)
}

// NewParam32 is NewParam for float32.
func NewParam32(data []float32, shape ...int) Var {
	return newParam("autograd.NewParam32", Float32, nil, data, shape)
}

// ScalarParam returns a float64 scalar parameter.
func ScalarParam(x float64) Var { return NewParam([]float64{x}).reshapeScalar() }

func (v Var) reshapeScalar() Var {
	v.n.shape = v.n.shapeBuf[:0]
	return v
}

// ParamFrom returns a parameter that shares the storage of d (no copy). d must be float64 or
// float32 and contiguous; ParamFrom panics otherwise.
func ParamFrom(d *tensor.Dense) Var {
	const op = "autograd.ParamFrom"
	if d == nil {
		Panicf(op, ErrValue, "nil *tensor.Dense")
	}
	checkShape(op, d.Shape())
	n := newHeapNode()
	n.param, n.leaf, n.requiresGrad = true, true, true
	n.setShape(d.Shape())
	switch data := d.Data().(type) {
	case []float64:
		n.dtype, n.f64 = Float64, data
	case []float32:
		n.dtype, n.f32 = Float32, data
	case float64:
		n.dtype, n.f64 = Float64, []float64{data}
	case float32:
		n.dtype, n.f32 = Float32, []float32{data}
	default:
		Panicf(op, ErrDType, "tensor of dtype %v; want float64 or float32", d.Dtype())
	}
	if n.numel() != len(n.f64)+len(n.f32) {
		Panicf(op, ErrShape, "tensor of shape %v is not contiguous", d.Shape())
	}
	return n.handle()
}

func newParam(op string, dt DType, d64 []float64, d32 []float32, shape []int) Var {
	if shape == nil {
		shape = []int{len(d64) + len(d32)}
	}
	size := checkShape(op, shape)
	if (d64 != nil || d32 != nil) && len(d64)+len(d32) != size {
		Panicf(op, ErrShape, "%d values do not fill shape %s (%d elements)", len(d64)+len(d32), FormatShape(shape), size)
	}
	n := newHeapNode()
	n.param, n.leaf, n.requiresGrad, n.dtype = true, true, true, dt
	n.setShape(shape)
	if dt == Float32 {
		n.f32 = make([]float32, size)
		copy(n.f32, d32)
	} else {
		n.f64 = make([]float64, size)
		copy(n.f64, d64)
	}
	return n.handle()
}

// ZeroGrad clears the gradients that Backward collected into the given leaves. It keeps their
// buffers, so a training loop does not allocate, and it clears them lazily: the next Backward
// overwrites the buffer instead of adding to it, and Var.Grad clears it if no Backward came first.
func ZeroGrad(params ...Var) {
	for _, p := range params {
		n := p.check("autograd.ZeroGrad")
		if n.attr == nil {
			continue
		}
		if n.attr.borrowing {
			unlend(n)
		}
		if n.attr.grad.live() {
			n.attr.zeroed = true
		}
	}
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
