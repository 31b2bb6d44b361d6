package optim

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Optimizer updates a fixed list of parameters from their collected gradients.
type Optimizer interface {
	// Step applies one update to every parameter that has a gradient.
	Step()
	// ZeroGrad clears the parameters' collected gradients.
	ZeroGrad()
	LRSetter
}

// LRSetter is the part of an optimizer that learning-rate schedules drive.
type LRSetter interface {
	// LR returns the current learning rate.
	LR() float64
	// SetLR sets the learning rate; it panics if lr is NaN, infinite or negative.
	SetLR(lr float64)
}

// base holds what every optimizer shares: its parameters and learning rate.
type base struct {
	op     string // the optimizer's type, such as "optim.Adam", naming it in errors
	params []ag.Var
	lr     float64
}

// newBase checks the learning rate and parameters given to the constructor op of the
// optimizer type typ.
func newBase(op, typ string, params []ag.Var, lr float64) (base, error) {
	if err := checkLR(op, lr); err != nil {
		return base{}, err
	}
	if err := checkParams(op, params); err != nil {
		return base{}, err
	}
	return base{op: typ, params: append([]ag.Var(nil), params...), lr: lr}, nil
}

// LR returns the learning rate.
func (b *base) LR() float64 { return b.lr }

// SetLR sets the learning rate. SetLR panics with an *autograd.Error wrapping ErrLR if lr is
// NaN, infinite or negative.
func (b *base) SetLR(lr float64) {
	if err := checkLR(b.op+".SetLR", lr); err != nil {
		panic(err)
	}
	b.lr = lr
}

// ZeroGrad clears the gradients collected into the parameters, keeping their buffers.
func (b *base) ZeroGrad() { ag.ZeroGrad(b.params...) }

// Params returns the parameters the optimizer updates, in the order it was given them. The
// slice must not be modified.
func (b *base) Params() []ag.Var { return b.params }

// float is the element type of parameters: float32 or float64.
type float interface{ ~float32 | ~float64 }

// vec is a state buffer in its parameter's dtype: exactly one of f64 and f32 is set.
type vec struct {
	f64 []float64
	f32 []float32
}

func newVec(p ag.Var) vec {
	if p.DType() == ag.Float32 {
		return vec{f32: make([]float32, p.Len())}
	}
	return vec{f64: make([]float64, p.Len())}
}

func (v vec) isNil() bool { return v.f64 == nil && v.f32 == nil }

// sqrtT returns √x in x's type.
func sqrtT[T float](x T) T { return T(math.Sqrt(float64(x))) }

// part returns b[lo:hi], or nil for a nil b (an optimizer without that buffer).
func part[T float](b []T, lo, hi int) []T {
	if b == nil {
		return nil
	}
	return b[lo:hi]
}
