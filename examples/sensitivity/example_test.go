package main

import (
	"fmt"
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// The sensitivity of y' = −ky, y(0) = 3, to k at t = 1, by JacFwd through 20 RK4 steps of 0.05,
// against the closed form ∂y/∂k = −t·y(0)·e^(−kt).
func Example_decaySensitivity() {
	const k, y0, h, n = 0.7, 3.0, 0.05, 20
	decay := func(s, theta ag.Var) ag.Var { return ops.Neg(ops.Mul(theta, s)) }
	tp := ag.NewTape()
	solution := func(th ag.Var) ag.Var { return rk4(decay, tp.Const([]float64{y0}), th, h, n) }
	jac, err := ag.JacFwd(solution, tp.Const([]float64{k}))
	if err != nil {
		panic(err)
	}
	fmt.Printf("∂y(1)/∂k by JacFwd: %.6f\n", jac.At(n))
	fmt.Printf("closed form:        %.6f\n", -1*y0*math.Exp(-k*1))
	// Output:
	// ∂y(1)/∂k by JacFwd: -1.489756
	// closed form:        -1.489756
}
