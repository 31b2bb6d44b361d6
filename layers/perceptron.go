package layers

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Perceptron is Rosenblatt's single-layer perceptron: y = H(x w + b), with H the hard threshold
// ops.Step (1 where its argument is positive, else 0).
//
// It is not trained by gradients: H has zero derivative wherever it has one, so backpropagation
// would never change the weights. Fit applies the classic perceptron learning rule instead.
type Perceptron struct {
	Weight ag.Var // (In, 1)
	Bias   ag.Var // (1)
	In     int
	tape   *ag.Tape
}

// NewPerceptron returns a perceptron of in inputs with zero weights and bias, unless WithInit
// and WithBiasInit choose otherwise (drawn from the generator of WithSeed or WithRand). It is
// float64 unless WithDType says float32. NewPerceptron panics with an *autograd.Error wrapping
// ErrSize if in is below 1.
func NewPerceptron(in int, opts ...Option) *Perceptron {
	const op = "layers.NewPerceptron"
	checkSize(op, "input size", in)
	o := newOptions(Zeros, opts)
	return &Perceptron{
		Weight: o.newParam(o.weight, in, 1, in, 1),
		Bias:   o.newParam(o.bias, in, 1, 1),
		In:     in,
		tape:   ag.NewTape(),
	}
}

// Forward returns H(x w + b), of shape (batch, 1), for x of shape (batch, In). Forward panics
// with an *autograd.Error wrapping autograd.ErrShape if x is not of that shape.
func (p *Perceptron) Forward(x ag.Var) ag.Var {
	s := x.Check("layers.Perceptron").Shape()
	if len(s) != 2 || s[1] != p.In {
		ag.Panicf("layers.Perceptron", ag.ErrShape, "input of shape %s; want (batch, %d)", ag.FormatShape(s), p.In)
	}
	return ops.Step(ops.Add(ops.MatMul(x, p.Weight), p.Bias))
}

// NamedParams returns "weight" and "bias".
func (p *Perceptron) NamedParams() []Param { return Collect(p) }

// Fit trains p on the examples X (one row of In features each) with targets T in {0, 1} by the
// perceptron learning rule: for every example in turn, with y its current output,
//
//	w ← w + η (t − y) x,   b ← b + η (t − y),
//
// which changes nothing for examples already classified correctly. Fit stops after the first
// epoch (pass over the data) without a mistake, or after maxEpochs. It returns the number of
// epochs run and whether they ended with every example classified correctly, which happens for
// linearly separable data.
//
// Fit returns an error if X and T differ in length, a row of X does not have In features, or a
// target is not 0 or 1. It panics with an *autograd.Error wrapping ErrSize if maxEpochs is
// negative or eta is not positive.
func (p *Perceptron) Fit(X [][]float64, T []float64, eta float64, maxEpochs int) (epochs int, converged bool, err error) {
	const op = "layers.Perceptron.Fit"
	if maxEpochs < 0 || !(eta > 0) {
		ag.Panicf(op, ErrSize, "η %g, %d epochs; want η > 0 and epochs ≥ 0", eta, maxEpochs)
	}
	if len(X) != len(T) {
		return 0, false, ag.Errorf(op, ErrMismatch, "%d examples, %d targets", len(X), len(T))
	}
	for i, x := range X {
		if len(x) != p.In {
			return 0, false, ag.Errorf(op, ErrMismatch, "example %d has %d features; want %d", i, len(x), p.In)
		}
		if T[i] != 0 && T[i] != 1 {
			return 0, false, ag.Errorf(op, ErrMismatch, "target %d is %g; want 0 or 1", i, T[i])
		}
	}
	for epochs = 1; epochs <= maxEpochs; epochs++ {
		mistakes := 0
		for i, x := range X {
			d := T[i] - p.output(x)
			if d == 0 {
				continue
			}
			mistakes++
			p.add(eta*d, x)
		}
		if mistakes == 0 {
			return epochs, true, nil
		}
	}
	return maxEpochs, false, nil
}

// output returns H(x w + b) for one example, without recording.
func (p *Perceptron) output(x []float64) float64 {
	if p.tape == nil {
		p.tape = ag.NewTape()
	}
	p.tape.Reset()
	var y float64
	p.tape.NoGrad(func() {
		xv := p.tape.Const(x, 1, p.In)
		if p.Weight.DType() == ag.Float32 {
			xv = ops.Cast(xv, ag.Float32)
		}
		y = p.Forward(xv).Item()
	})
	return y
}

// add performs w ← w + c x, b ← b + c.
func (p *Perceptron) add(c float64, x []float64) {
	if p.Weight.DType() == ag.Float32 {
		w := p.Weight.Data32()
		for j, v := range x {
			w[j] += float32(c * v)
		}
		p.Bias.Data32()[0] += float32(c)
		return
	}
	w := p.Weight.Data64()
	for j, v := range x {
		w[j] += c * v
	}
	p.Bias.Data64()[0] += c
}

// Boundary returns the decision boundary of a perceptron of two inputs as the coefficients of
// w0 + w1 x1 + w2 x2 = 0: w0 is the bias, w1 and w2 the weights. Boundary panics with an
// *autograd.Error wrapping autograd.ErrValue if p does not have two inputs.
func (p *Perceptron) Boundary() (w0, w1, w2 float64) {
	if p.In != 2 {
		ag.Panicf("layers.Perceptron.Boundary", ag.ErrValue, "%d inputs; the boundary is a line only for 2", p.In)
	}
	w := p.Weight.Float64s()
	return p.Bias.At(0), w[0], w[1]
}

// String describes the perceptron's weights and bias.
func (p *Perceptron) String() string {
	return fmt.Sprintf("Perceptron(w=%v, b=%g)", p.Weight.Float64s(), p.Bias.At(0))
}
