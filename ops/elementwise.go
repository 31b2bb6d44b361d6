package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// binary applies a broadcasting elementwise primitive.
func binary(op *ag.Op, k *binKernel, a, b ag.Var) ag.Var {
	if k.s != nil {
		if out, ok := ag.ScalarResult(op, a, b, k.s); ok {
			return out
		}
	}
	// The accessors one by one, not Operand: see unary.
	sa, sb := a.Check(op.Name).Shape(), b.Check(op.Name).Shape()
	dt := a.DType()
	if dtb := b.DType(); dt != dtb {
		ag.Panicf(op.Name, ag.ErrDType, "%v %s and %v %s operands; convert one with ops.Cast",
			dt, shapeStr(sa), dtb, shapeStr(sb))
	}
	var buf dims
	shape := broadcastShape(op.Name, sa, sb, &buf)
	out := ag.NewResult(op, dt, shape, a, b)
	if dt == ag.Float32 {
		runBinary(&k.f32, out.Data32(), a.Data32(), b.Data32(), sa, sb, shape)
	} else {
		runBinary(&k.f64, out.Data64(), a.Data64(), b.Data64(), sa, sb, shape)
	}
	return out
}

// unary applies an elementwise primitive of one operand.
//
// The elementwise operations read their operands with the accessors of Var after one Check,
// not with Operand: an Operand is built in 8-byte stores and copied in 16-byte loads, which the
// processor cannot forward from those stores, and the stalls made a Sigmoid of 4 elements a
// third slower (CPU time of 2·10⁷ Sigmoids, 1.78 s with Operand, 1.30 s without).
func unary(op *ag.Op, k *unKernel, a ag.Var) ag.Var {
	if k.s != nil {
		if out, ok := ag.ScalarUnaryResult(op, a, k.s); ok {
			return out
		}
	}
	dt := a.Check(op.Name).DType()
	out := ag.NewResult(op, dt, a.Shape(), a)
	if dt == ag.Float32 {
		map1(k.f32, out.Data32(), a.Data32(), k.grain)
	} else {
		map1(k.f64, out.Data64(), a.Data64(), k.grain)
	}
	return out
}

// grain is the number of elements below which kernels stay on one core.
const grain = parallel.Grain

// Add returns a + b, broadcasting. Add panics if the shapes do not broadcast or the dtypes differ,
// as do all binary elementwise operations.
func Add(a, b ag.Var) ag.Var { return binary(addOp, &addK, a, b) }

// Sub returns a − b, broadcasting.
func Sub(a, b ag.Var) ag.Var { return binary(subOp, &subK, a, b) }

// Mul returns a·b elementwise, broadcasting.
func Mul(a, b ag.Var) ag.Var { return binary(mulOp, &mulK, a, b) }

// Div returns a/b elementwise, broadcasting. It is a primitive rather than a·b⁻¹ because one
// rounding is more accurate than two.
func Div(a, b ag.Var) ag.Var { return binary(divOp, &divK, a, b) }

var powK = binMap(math.Pow)

// Pow returns a^b elementwise, broadcasting. The gradient with respect to b uses log a, so it is
// defined for a > 0.
func Pow(a, b ag.Var) ag.Var { return binary(powOp, &powK, a, b) }

// PowConst returns a^p for a constant exponent p. p = 2, 0.5 and −1 use multiplication, sqrt and
// division, which are faster and exact.
func PowConst(a ag.Var, p float64) ag.Var {
	const op = "ops.PowConst"
	dt := a.Check(op).DType() // not Operand: see unary
	out := ag.NewResult(powConstOp, dt, a.Shape(), a)
	out.SetFloat(p)
	if dt == ag.Float32 {
		powConst(out.Data32(), a.Data32(), p)
	} else {
		powConst(out.Data64(), a.Data64(), p)
	}
	return out
}

func powConst[T float](o, x []T, p float64) {
	x = x[:len(o)]
	switch p {
	case 2:
		for i := range o {
			o[i] = x[i] * x[i]
		}
	case 1:
		copy(o, x)
	case -1:
		for i := range o {
			o[i] = 1 / x[i]
		}
	case 0.5:
		for i := range o {
			o[i] = T(math.Sqrt(float64(x[i])))
		}
	default:
		for i := range o {
			o[i] = T(math.Pow(float64(x[i]), p))
		}
	}
}

// Square returns a².
func Square(a ag.Var) ag.Var { return PowConst(a, 2) }

// Sqrt returns √a.
func Sqrt(a ag.Var) ag.Var { return PowConst(a, 0.5) }

var (
	negK  = unKernel{f64: negT[float64], f32: negT[float32], s: func(x float64) float64 { return -x }}
	expK  = unKernel{f64: vmath.Exp64, f32: vmath.Exp32, s: vmath.ScalarExp64}
	logK  = unMap(math.Log)
	absK  = unMap(math.Abs)
	signK = unMap(sign)
	stepK = unMap(func(x float64) float64 {
		if x > 0 {
			return 1
		}
		return 0
	})
)

func negT[T float](o, x []T) {
	x = x[:len(o)]
	for i := range o {
		o[i] = -x[i]
	}
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Neg returns −a.
func Neg(a ag.Var) ag.Var { return unary(negOp, &negK, a) }

// Exp returns eᵃ.
func Exp(a ag.Var) ag.Var { return unary(expOp, &expK, a) }

// Log returns the natural logarithm of a.
func Log(a ag.Var) ag.Var { return unary(logOp, &logK, a) }

// Abs returns |a|; its derivative at 0 is taken as 0.
func Abs(a ag.Var) ag.Var { return unary(absOp, &absK, a) }

// Sign returns −1, 0 or 1 by the sign of a. No gradient flows through it.
func Sign(a ag.Var) ag.Var { return unary(signOp, &signK, a) }

// Step returns the Heaviside step H(a): 1 where a > 0, else 0. Its derivative is 0 wherever it
// exists, so no gradient flows through it: a perceptron with a hard threshold cannot learn by
// gradient descent, which is why it has its own learning rule (layers.Perceptron).
func Step(a ag.Var) ag.Var { return unary(stepOp, &stepK, a) }

// AddScalar returns a + c.
func AddScalar(a ag.Var, c float64) ag.Var {
	a.Check("ops.AddScalar")
	return Add(a, ScalarLike(a, c))
}

// MulScalar returns a·c for a constant c. It is a primitive for speed: one node, where Mul would
// need a second one for the constant; Mean and several derivative rules scale by constants.
func MulScalar(a ag.Var, c float64) ag.Var {
	const op = "ops.MulScalar"
	dt := a.Check(op).DType() // not Operand: see unary
	out := ag.NewResult(mulScalarOp, dt, a.Shape(), a)
	out.SetFloat(c)
	if dt == ag.Float32 {
		scaleInto(out.Data32(), a.Data32(), float32(c))
	} else {
		scaleInto(out.Data64(), a.Data64(), c)
	}
	return out
}

// RSubScalar returns c − a.
func RSubScalar(c float64, a ag.Var) ag.Var {
	a.Check("ops.RSubScalar")
	return Sub(ScalarLike(a, c), a)
}

// ScalarLike returns the constant scalar c with like's dtype, on like's tape (on the heap when
// like is a parameter or a heap value).
func ScalarLike(like ag.Var, c float64) ag.Var {
	like.Check("ops.ScalarLike")
	return TapeOf(like).Full(like.DType(), c)
}

// zeroLike returns a scalar zero with g's dtype on g's tape.
func zeroLike(g ag.Var) ag.Var { return ScalarLike(g, 0) }

// TapeOf returns the tape x is recorded on, or nil for a parameter or a heap value; the
// constructors of a nil *ag.Tape make heap values.
func TapeOf(x ag.Var) *ag.Tape { return x.Check("ops.TapeOf").Tape() }
