package layers

import (
	"math/rand/v2"
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// LayerNorm normalises each example over its last axes, the normalized shape, to zero mean and
// unit variance, then scales and shifts elementwise, as PyTorch's nn.LayerNorm:
//
//	y = (x − mean) / √(var + Eps) · Weight + Bias
//
// where mean and the biased variance var are taken over the last len(Shape) axes of x. It is
// ops.Standardize, then a product and a sum; its gradients come from their rules.
type LayerNorm struct {
	Weight ag.Var  // the scale, of shape Shape; ones initially
	Bias   ag.Var  // the shift, of shape Shape; zeros initially
	Shape  []int   // the normalized shape: the trailing axes of the input
	Eps    float64 // added to the variance; 1e-5 by default, as torch
}

// NewLayerNorm returns a layer normalising over the trailing axes of the given shape (for
// example []int{1024} for a batch of 1024-wide rows), with a scale of ones and a shift of zeros
// in the dtype of WithDType (float64 by default); other options are ignored. NewLayerNorm
// panics with an *autograd.Error wrapping ErrSize if shape is empty or a size is below 1.
func NewLayerNorm(shape []int, opts ...Option) *LayerNorm {
	const op = "layers.NewLayerNorm"
	checkNormShape(op, shape)
	o := newOptions(Zeros, opts)
	return &LayerNorm{
		Weight: o.newFilled(1, shape),
		Bias:   o.newFilled(0, shape),
		Shape:  slices.Clone(shape),
		Eps:    1e-5,
	}
}

// Forward returns x normalised over its trailing axes, scaled and shifted. Forward panics with
// an *autograd.Error wrapping autograd.ErrShape if the trailing axes of x differ from Shape, and
// with one wrapping autograd.ErrDType if x's dtype differs from the parameters'.
func (l *LayerNorm) Forward(x ag.Var) ag.Var {
	const op = "layers.LayerNorm"
	if l == nil {
		ag.Panicf(op, ag.ErrValue, "nil *LayerNorm; create it with layers.NewLayerNorm")
	}
	var buf [8]int
	trailingAxes(op, x, l.Shape, l.Weight, &buf)
	if !(l.Eps >= 0) {
		ag.Panicf(op, ag.ErrValue, "Eps %g; want a value ≥ 0", l.Eps)
	}
	return ops.Add(ops.Mul(ops.Standardize(x, len(l.Shape), l.Eps), l.Weight), l.Bias)
}

// NamedParams returns "weight" and "bias".
func (l *LayerNorm) NamedParams() []Param { return Collect(l) }

// RMSNorm scales each example by the inverse root mean square over its last axes, then by a
// learnable elementwise scale, as PyTorch 2's nn.RMSNorm (it has no shift):
//
//	y = x / √(mean(x²) + ε) · Weight
//
// where the mean is over the last len(Shape) axes of x, and ε is Eps or, when Eps is 0 (the
// default, as torch's eps=None), the machine epsilon of x's dtype: 2⁻⁵² for float64, 2⁻²³ for
// float32.
type RMSNorm struct {
	Weight ag.Var // the scale, of shape Shape; ones initially
	Shape  []int  // the normalized shape: the trailing axes of the input
	Eps    float64
}

// NewRMSNorm returns an RMS normalisation over the trailing axes of the given shape, with a
// scale of ones in the dtype of WithDType (float64 by default) and Eps 0 (the machine epsilon
// of the input's dtype). NewRMSNorm panics with an *autograd.Error wrapping ErrSize if shape is
// empty or a size is below 1.
func NewRMSNorm(shape []int, opts ...Option) *RMSNorm {
	const op = "layers.NewRMSNorm"
	checkNormShape(op, shape)
	o := newOptions(Zeros, opts)
	return &RMSNorm{Weight: o.newFilled(1, shape), Shape: slices.Clone(shape)}
}

// Forward returns x divided by its root mean square over the trailing axes, scaled. Forward
// panics as LayerNorm.Forward does, and with one wrapping autograd.ErrValue if Eps is negative.
func (l *RMSNorm) Forward(x ag.Var) ag.Var {
	const op = "layers.RMSNorm"
	if l == nil {
		ag.Panicf(op, ag.ErrValue, "nil *RMSNorm; create it with layers.NewRMSNorm")
	}
	var buf [8]int
	axes := trailingAxes(op, x, l.Shape, l.Weight, &buf)
	eps := l.Eps
	switch {
	case eps < 0 || eps != eps:
		ag.Panicf(op, ag.ErrValue, "Eps %g; want a value ≥ 0", eps)
	case eps == 0 && x.DType() == ag.Float32:
		eps = 0x1p-23
	case eps == 0:
		eps = 0x1p-52
	}
	ms := ops.MeanKeepDims(ops.Square(x), axes...)
	rrms := ops.PowConst(ops.Sqrt(ops.AddScalar(ms, eps)), -1)
	return ops.Mul(ops.Mul(x, rrms), l.Weight)
}

// NamedParams returns "weight".
func (l *RMSNorm) NamedParams() []Param { return Collect(l) }

// checkNormShape panics with ErrSize unless shape is a non-empty list of sizes ≥ 1.
func checkNormShape(op string, shape []int) {
	if len(shape) == 0 {
		ag.Panicf(op, ErrSize, "empty normalized shape; want at least one axis")
	}
	for i, d := range shape {
		if d < 1 {
			ag.Panicf(op, ErrSize, "normalized shape %s: size %d of axis %d; want at least 1", ag.FormatShape(shape), d, i)
		}
	}
}

// trailingAxes returns the indices of the last len(shape) axes of x, in buf when they fit,
// after checking that they are shape and that x has p's dtype.
func trailingAxes(op string, x ag.Var, shape []int, p ag.Var, buf *[8]int) []int {
	s := x.Check(op).Shape()
	r, n := len(s), len(shape)
	if r < n || !slices.Equal(s[r-n:], shape) {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; its trailing axes must be the normalized shape %s", ag.FormatShape(s), ag.FormatShape(shape))
	}
	if x.DType() != p.DType() {
		ag.Panicf(op, ag.ErrDType, "%v input and %v parameters; convert one with ops.Cast or build the layer WithDType", x.DType(), p.DType())
	}
	var axes []int
	if n <= len(*buf) {
		axes = buf[:n] // the caller's array: no allocation per step
	} else {
		axes = make([]int, n)
	}
	for i := range axes {
		axes[i] = r - n + i
	}
	return axes
}

// newFilled returns a parameter of the given shape holding c everywhere, in the option's dtype.
func (o *options) newFilled(c float64, shape []int) ag.Var {
	return o.newParam(func(_ *rand.Rand, _, _ int, dst []float64) {
		for i := range dst {
			dst[i] = c
		}
	}, 0, 0, shape...)
}
