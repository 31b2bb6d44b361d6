package layers

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Head is the output head of an MLP: what its last layer's outputs mean.
type Head int

const (
	// LinearHead outputs values as they are, for regression (train with losses.MSE or
	// losses.SquaredError).
	LinearHead Head = iota + 1
	// SigmoidHead outputs one logit per example for binary classification; its probability is
	// σ(logit). Train with losses.BCEWithLogits, which fuses the sigmoid into the loss.
	SigmoidHead
	// SoftmaxHead outputs one logit per class for multi-class classification; the
	// probabilities are softmax(logits). Train with losses.CrossEntropy, which fuses the
	// softmax into the loss.
	SoftmaxHead
)

// String returns the head's name.
func (h Head) String() string {
	switch h {
	case LinearHead:
		return "linear"
	case SigmoidHead:
		return "sigmoid"
	case SoftmaxHead:
		return "softmax"
	}
	return fmt.Sprintf("Head(%d)", int(h))
}

// MLP is a multilayer perceptron: dense layers with a hidden activation between them. Forward
// returns the last layer's raw outputs (logits for the sigmoid and softmax heads), so that the
// loss can fuse the head's squashing function stably; Probabilities applies it and Predict
// turns it into class labels.
type MLP struct {
	// Net holds the layers: Linear, activation[, Dropout], Linear, ..., Linear. Parameter
	// names follow its indices: "0.weight", "0.bias", "2.weight", ...
	Net   *Sequential
	Sizes []int
	Head  Head
}

// NewMLP returns an MLP with the given layer sizes, from the input width to the output width
// (at least two sizes, for example 64, 32, 10), applying hidden after every dense layer but the
// last. The options choose the initialisers, generator, dtype and dropout (see Option). The
// output width must be 1 for a SigmoidHead.
//
// NewMLP panics with an *autograd.Error wrapping ErrSize naming the layer and the size if a size
// is below 1, if there are fewer than two sizes, or if a SigmoidHead has more than one output,
// and with one wrapping autograd.ErrValue if the head is not one of the constants or hidden is
// nil while there are hidden layers.
func NewMLP(sizes []int, hidden Module, head Head, opts ...Option) *MLP {
	const op = "layers.NewMLP"
	if len(sizes) < 2 {
		ag.Panicf(op, ErrSize, "%d layer sizes; want at least 2 (input and output)", len(sizes))
	}
	if hidden == nil && len(sizes) > 2 {
		ag.Panicf(op, ag.ErrValue, "nil hidden activation for %d hidden layers; pass one such as layers.ReLU{}", len(sizes)-2)
	}
	for i, n := range sizes {
		checkSize(op, fmt.Sprintf("layer %d size", i), n)
	}
	switch head {
	case LinearHead, SoftmaxHead:
	case SigmoidHead:
		if out := sizes[len(sizes)-1]; out != 1 {
			ag.Panicf(op, ErrSize, "output size %d for a sigmoid head; want 1", out)
		}
	default:
		ag.Panicf(op, ag.ErrValue, "unknown head %v", head)
	}
	o := newOptions(GlorotUniform, opts)
	var mods []Module
	for i := 0; i+1 < len(sizes); i++ {
		mods = append(mods, newLinear(op, sizes[i], sizes[i+1], o))
		if i+2 < len(sizes) {
			mods = append(mods, hidden)
			if o.dropout != 0 { // NewDropout rejects a rate outside [0, 1), NaN included
				mods = append(mods, NewDropout(o.dropout, o.rng))
			}
		}
	}
	return &MLP{Net: NewSequential(mods...), Sizes: append([]int(nil), sizes...), Head: head}
}

// Forward returns the outputs of the last dense layer: logits for the sigmoid and softmax
// heads.
func (m *MLP) Forward(x ag.Var) ag.Var { return m.Net.Forward(x) }

// NamedParams returns the parameters of Net: "0.weight", "0.bias", "2.weight", ...
func (m *MLP) NamedParams() []Param { return m.Net.NamedParams() }

// SetTraining sets the mode of every layer.
func (m *MLP) SetTraining(training bool) { m.Net.SetTraining(training) }

// Probabilities returns the head applied to Forward(x): σ(logits) for a SigmoidHead,
// softmax(logits) along the rows for a SoftmaxHead, the outputs themselves for a LinearHead.
func (m *MLP) Probabilities(x ag.Var) ag.Var { return m.head(m.Forward(x)) }

func (m *MLP) head(z ag.Var) ag.Var {
	switch m.Head {
	case SigmoidHead:
		return ops.Sigmoid(z)
	case SoftmaxHead:
		return ops.Softmax(z, -1)
	}
	return z
}

// Predict returns the class of every row of x: the index of the largest logit for a
// SoftmaxHead, 1 where the logit is positive (probability above ½) and 0 elsewhere for a
// SigmoidHead. It computes without recording gradients. Predict panics with an *autograd.Error
// wrapping autograd.ErrValue for a LinearHead, which has no classes.
func (m *MLP) Predict(x ag.Var) []int {
	if m.Head == LinearHead {
		ag.Panicf("layers.MLP.Predict", ag.ErrValue, "a linear head has no classes; use Forward")
	}
	var z []float64
	if tp := ops.TapeOf(x); tp != nil {
		tp.NoGrad(func() { z = m.Forward(x).Float64s() })
	} else { // a heap value: nothing is recorded for later anyway
		z = m.Forward(x).Float64s()
	}
	cols := m.Sizes[len(m.Sizes)-1]
	out := make([]int, len(z)/cols)
	for i := range out {
		row := z[i*cols : (i+1)*cols]
		if m.Head == SigmoidHead {
			if row[0] > 0 {
				out[i] = 1
			}
			continue
		}
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return out
}
