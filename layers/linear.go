package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Linear is a dense layer y = x W + b, for a batch x of shape (batch, In), a weight W of shape
// (In, Out) and a bias b of shape (Out), broadcast over the rows.
type Linear struct {
	Weight ag.Var // (In, Out)
	Bias   ag.Var // (Out)
	In     int
	Out    int
	sgd    ops.SGDFuser // set by FuseSGD: the product is ops.MatMulSGD
}

// NewLinear returns a dense layer from in to out features, its weights drawn by the initialiser
// of WithInit (GlorotUniform by default) and its bias by WithBiasInit (zeros), from the
// generator of WithSeed or WithRand (by default one seeded from the package's, see SetSeed), in
// the dtype of WithDType (float64 by default). NewLinear panics with an *autograd.Error wrapping ErrSize if in or out is below 1.
func NewLinear(in, out int, opts ...Option) *Linear {
	return newLinear("layers.NewLinear", in, out, newOptions(GlorotUniform, opts))
}

func newLinear(op string, in, out int, o *options) *Linear {
	checkSize(op, "input size", in)
	checkSize(op, "output size", out)
	if in > ag.MaxElements/out {
		ag.Panicf(op, ErrSize, "input size %d × output size %d make more than autograd.MaxElements (2^40) weights", in, out)
	}
	return &Linear{
		Weight: o.newParam(o.weight, in, out, in, out),
		Bias:   o.newParam(o.bias, in, out, out),
		In:     in,
		Out:    out,
	}
}

// Forward returns x W + b, one ops.Affine node (ops.MatMulSGD and ops.Add after FuseSGD). Forward
// panics with an *autograd.Error wrapping autograd.ErrShape if
// x is not of shape (batch, In), and as ops do on other misuse.
func (l *Linear) Forward(x ag.Var) ag.Var {
	if l == nil {
		ag.Panicf("layers.Linear", ag.ErrValue, "nil *Linear; create it with layers.NewLinear")
	}
	s := x.Check("layers.Linear").Shape()
	if len(s) != 2 || s[1] != l.In {
		ag.Panicf("layers.Linear", ag.ErrShape, "input of shape %s; want (batch, %d)", ag.FormatShape(s), l.In)
	}
	if l.sgd != nil {
		return ops.Add(ops.MatMulSGD(x, l.Weight, l.sgd), l.Bias)
	}
	return ops.Affine(x, l.Weight, l.Bias)
}

// FuseSGD makes Forward compute x W with ops.MatMulSGD(x, W, f), so that f, typically the
// *optim.SGD that updates the layer, can fuse W's update into the product in its BackwardStep
// (see there for when it does, and what W.Grad() then is). A nil f restores ops.MatMul. Outside
// BackwardStep the layer computes exactly what it did before.
func (l *Linear) FuseSGD(f ops.SGDFuser) { l.sgd = f }

// NamedParams returns "weight" and "bias".
func (l *Linear) NamedParams() []Param { return Collect(l) }
