package dense

import (
	"gorgonia.org/tensor"

	ag "github.com/gograd/gograd/autograd"
)

// FromVar returns v's value as a *tensor.Dense of v's shape and dtype that shares v's storage (no
// copy): for a parameter the tensor stays valid and sees every optimizer step; for a tape Var it
// is valid until the tape is reset. A scalar Var gives a scalar tensor. FromVar panics with an
// *autograd.Error if v is nil or stale, or has no elements, which a *tensor.Dense cannot hold.
func FromVar(v ag.Var) *tensor.Dense {
	const op = "dense.FromVar"
	v.Check(op)
	if v.Len() == 0 {
		ag.Panicf(op, ag.ErrShape, "Var of shape %s has no elements, which *tensor.Dense cannot hold", ag.FormatShape(v.Shape()))
	}
	shape := append([]int(nil), v.Shape()...)
	if v.DType() == ag.Float32 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v.Data32()))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v.Data64()))
}

// Param returns a parameter of d's shape and dtype that shares d's storage (no copy): optimizer
// steps update d in place. Param panics with an *autograd.Error if d is not float64 or float32,
// or if d is a view (a transpose or a slice; call d.Materialize first).
func Param(d *tensor.Dense) ag.Var {
	const op = "dense.Param"
	checkDType(op, d)
	if d.IsMaterializable() {
		ag.Panicf(op, ag.ErrShape, "tensor of shape %v is a view with no contiguous storage to share; materialize it first", d.Shape())
	}
	shape := shapeOf(d)
	if d.Dtype() == tensor.Float32 {
		return ag.WrapParam32(d.Float32s(), shape...)
	}
	return ag.WrapParam(d.Float64s(), shape...)
}

// Const returns a constant on tp (a heap value if tp is nil) holding d's values. It shares d's
// storage, like Tape.Wrap, unless d is a view, whose elements it copies in row-major order. The
// caller must not change d while the step that uses the constant is alive. Const panics with an
// *autograd.Error if d is not float64 or float32.
func Const(tp *ag.Tape, d *tensor.Dense) ag.Var {
	const op = "dense.Const"
	checkDType(op, d)
	if d.IsMaterializable() {
		d = d.Materialize().(*tensor.Dense)
	}
	shape := shapeOf(d)
	if d.Dtype() == tensor.Float32 {
		return tp.Wrap32(d.Float32s(), shape...)
	}
	return tp.Wrap(d.Float64s(), shape...)
}

// shapeOf returns d's shape as a non-nil slice: the autograd constructors read an empty
// non-nil shape as a scalar and a nil one as a vector.
func shapeOf(d *tensor.Dense) []int {
	return append([]int{}, d.Shape()...)
}

func checkDType(op string, d *tensor.Dense) {
	if d == nil {
		ag.Panicf(op, ag.ErrValue, "nil *tensor.Dense")
	}
	if dt := d.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		ag.Panicf(op, ag.ErrDType, "tensor of dtype %v; want float64 or float32", dt)
	}
}
