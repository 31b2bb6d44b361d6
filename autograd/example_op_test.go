package autograd_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// cubeOp is a user-defined primitive, y = x³, with its derivative rules: the vector-Jacobian
// product g·3x² for reverse mode and the Jacobian-vector product ẋ·3x² for forward mode. The
// rules are written with ops, so they can be differentiated again.
var cubeOp = &autograd.Op{
	Name: "example.Cube",
	Grads: []func(g, y autograd.Var) autograd.Var{
		func(g, y autograd.Var) autograd.Var {
			x := y.Inputs()[0]
			return ops.Mul(g, ops.MulScalar(ops.Square(x), 3))
		},
	},
	JVP: func(y autograd.Var, tangents []autograd.Var) autograd.Var {
		x := y.Inputs()[0]
		return ops.Mul(tangents[0], ops.MulScalar(ops.Square(x), 3))
	},
}

// wrongCubeOp has the same forward pass and a wrong rule, g·2x².
var wrongCubeOp = &autograd.Op{
	Name: "example.WrongCube",
	Grads: []func(g, y autograd.Var) autograd.Var{
		func(g, y autograd.Var) autograd.Var {
			x := y.Inputs()[0]
			return ops.Mul(g, ops.MulScalar(ops.Square(x), 2))
		},
	},
}

// cube applies op, whose forward pass is x³ elementwise, to a float64 x.
func cube(op *autograd.Op, x autograd.Var) autograd.Var {
	in := x.Operand(op.Name) // panics with an *autograd.Error naming op if x is nil or stale
	if in.DType != autograd.Float64 {
		autograd.Panicf(op.Name, autograd.ErrDType, "%v operand; want float64", in.DType)
	}
	y := autograd.NewResult(op, autograd.Float64, in.Shape, x)
	out := y.Data64()
	for i, v := range in.F64 {
		out[i] = v * v * v
	}
	return y
}

// A complete user-defined operation: a forward pass computed into the result's storage, its
// derivative rules, and CheckGrad and CheckJVP at orders 1 and 2 to prove them right, or wrong.
func Example_userDefinedOp() {
	x := autograd.NewParam([]float64{-1, 0.5, 2})
	good := func(xs ...autograd.Var) autograd.Var { return ops.Sum(cube(cubeOp, xs[0])) }
	fmt.Println("Cube:", autograd.CheckGrad(good, []autograd.Var{x}, autograd.Order(2)))
	fmt.Println("Cube, forward mode:", autograd.CheckJVP(good, []autograd.Var{x}, autograd.Order(2)))

	wrong := func(xs ...autograd.Var) autograd.Var { return ops.Sum(cube(wrongCubeOp, xs[0])) }
	err := autograd.CheckGrad(wrong, []autograd.Var{x})
	fmt.Println("WrongCube fails the check:", errors.Is(err, autograd.ErrGradCheck))

	if err := autograd.Backward(ops.Sum(cube(cubeOp, x))); err != nil {
		panic(err)
	}
	fmt.Println("∂/∂x Σx³ = 3x² =", x.Grad().Float64s())
	// Output:
	// Cube: <nil>
	// Cube, forward mode: <nil>
	// WrongCube fails the check: true
	// ∂/∂x Σx³ = 3x² = [3 0.75 12]
}

// powOp is a user-defined primitive with an attribute: y = xᵖ, with p stored on the result by
// SetFloat and read back by the rule with FloatAttr. The rule is the vector-Jacobian product
// g·p·xᵖ⁻¹.
var powOp = &autograd.Op{
	Name: "example.Pow",
	Grads: []func(g, y autograd.Var) autograd.Var{
		func(g, y autograd.Var) autograd.Var {
			p := y.FloatAttr()
			return ops.Mul(g, ops.MulScalar(ops.PowConst(y.Inputs()[0], p-1), p))
		},
	},
}

// pow applies powOp to a float64 x.
func pow(x autograd.Var, p float64) autograd.Var {
	in := x.Operand(powOp.Name)
	if in.DType != autograd.Float64 {
		autograd.Panicf(powOp.Name, autograd.ErrDType, "%v operand; want float64", in.DType)
	}
	y := autograd.NewResult(powOp, autograd.Float64, in.Shape, x)
	y.SetFloat(p) // the attribute, stored right after NewResult for the rule
	out := y.Data64()
	for i, v := range in.F64 {
		out[i] = math.Pow(v, p)
	}
	return y
}

// A user-defined operation with an attribute, on a tape: the rule reads the exponent back from
// the result.
func Example_userDefinedOpWithAttribute() {
	tp := autograd.NewTape()
	x := tp.Variable([]float64{1, 2, 4})
	f := func(xs ...autograd.Var) autograd.Var { return ops.Sum(pow(xs[0], 1.5)) }
	fmt.Println("Pow:", autograd.CheckGrad(f, []autograd.Var{x}, autograd.Order(2)))
	if err := autograd.Backward(f(x)); err != nil {
		panic(err)
	}
	fmt.Printf("∂/∂x Σx^1.5 = 1.5√x = %.6g\n", x.Grad().Float64s())
	// Output:
	// Pow: <nil>
	// ∂/∂x Σx^1.5 = 1.5√x = [1.5 2.12132 3]
}
