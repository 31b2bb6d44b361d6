package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/vmath"
)

var (
	sigmoidK  = unKernel{f64: vmath.Sigmoid64, f32: vmath.Sigmoid32, s: vmath.ScalarSigmoid64}
	tanhK     = unKernel{f64: tanh64, f32: tanh32, s: math.Tanh, grain: costlyGrain}
	softplusK = unMap(softplus)
	erfK      = unMap(math.Erf)
	reluK     = unKernel{f64: reluT[float64], f32: reluT[float32], s: relu64One}
)

// softplus is log(1+eˣ) = max(x,0) + log1p(e^−|x|), which neither overflows nor loses the small
// tail.
func softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// tanh64 sets o = tanh x with math.Tanh.
func tanh64(o, x []float64) {
	x = x[:len(o)]
	for i, v := range x {
		o[i] = math.Tanh(v)
	}
}

// Sigmoid returns σ(a) = 1/(1+e⁻ᵃ), in (0, 1). It is a primitive for stability (no overflow at
// a = ±1e30) and speed: internal/vmath evaluates it with SIMD instructions. Its derivative
// σ(1−σ) lies in (0, 1/4].
func Sigmoid(a ag.Var) ag.Var { return unary(sigmoidOp, &sigmoidK, a) }

// Tanh returns tanh a = 2σ(2a) − 1. It is a primitive for speed: a float32 a is evaluated as
// 2σ(2a) − 1 in float64 arithmetic with the SIMD sigmoid (tanh32), a float64 one by math.Tanh.
// Its derivative 1 − tanh² lies in (0, 1].
func Tanh(a ag.Var) ag.Var { return unary(tanhOp, &tanhK, a) }

// Softplus returns log(1+eᵃ), a smooth ReLU. It is a primitive for stability: the composite
// overflows for large a.
func Softplus(a ag.Var) ag.Var { return unary(softplusOp, &softplusK, a) }

// Erf returns the error function of a.
func Erf(a ag.Var) ag.Var { return unary(erfOp, &erfK, a) }

// ReLU returns max(a, 0). It is a primitive for speed (one pass instead of a·H(a)). Its
// derivative is H(a): 1 for a > 0 and 0 otherwise, including at 0, as in PyTorch.
func ReLU(a ag.Var) ag.Var { return unary(reluOp, &reluK, a) }

// LeakyReLU returns a where a > 0, else slope·a. It panics with ag.ErrValue if slope is NaN or
// infinite (PyTorch 1.13 accepts them and returns NaN for every input ≤ 0).
func LeakyReLU(a ag.Var, slope float64) ag.Var {
	a.Check("ops.LeakyReLU")
	if math.IsNaN(slope) || math.IsInf(slope, 0) {
		ag.Panicf("ops.LeakyReLU", ag.ErrValue, "slope %g; want a finite value", slope)
	}
	return Where(Greater(a, ScalarLike(a, 0)), a, MulScalar(a, slope))
}

// GELU returns a·Φ(a) = a/2·(1 + erf(a/√2)), the exact Gaussian error linear unit. It is a
// primitive for speed (see ops/gelu.go).
func GELU(a ag.Var) ag.Var { return gelu(a) }

// sigmoidGrad returns g·y·(1−y) in one pass: the backward of Sigmoid, a primitive of its own
// (like PyTorch's sigmoid_backward) so that a plain backward reads memory once, while it stays
// differentiable for higher orders.
func sigmoidGrad(g, y ag.Var) ag.Var {
	const op = "ops.SigmoidGrad"
	g.Check(op) // the accessors, not Operand: see unary
	dt := y.Check(op).DType()
	out := ag.NewResult(sigmoidGradOp, dt, y.Shape(), g, y)
	if dt == ag.Float32 {
		map2(vmath.SigmoidGrad32, out.Data32(), g.Data32(), y.Data32())
	} else {
		map2(vmath.SigmoidGrad64, out.Data64(), g.Data64(), y.Data64())
	}
	return out
}
