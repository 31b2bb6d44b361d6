package autograd_test

import (
	"fmt"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// JVP evaluates f(x) = x⊙x and its directional derivative along v in one forward sweep:
// ẏ = 2x⊙v.
func ExampleJVP() {
	tp := autograd.NewTape()
	x, v := tp.Const([]float64{1, 2, 3}), tp.Const([]float64{1, 0, -1})
	square := func(xs ...autograd.Var) autograd.Var { return ops.Mul(xs[0], xs[0]) }
	y, dy, err := autograd.JVP(square, []autograd.Var{x}, []autograd.Var{v})
	if err != nil {
		panic(err)
	}
	fmt.Println(y)
	fmt.Println(dy)
	// Output:
	// Var(3) float64 [1 4 9]
	// Var(3) float64 [2 0 -6]
}

// JacFwd builds the Jacobian of f: R² → R³, f(a, b) = (a·b, a², 3b), one column per forward
// sweep: at (2, 5) it is [[5, 2], [4, 0], [0, 3]].
func ExampleJacFwd() {
	tp := autograd.NewTape()
	f := func(x autograd.Var) autograd.Var {
		a, b := ops.Slice(x, 0, 0, 1), ops.Slice(x, 0, 1, 2)
		return ops.Concat(0, ops.Mul(a, b), ops.Square(a), ops.MulScalar(b, 3))
	}
	j, err := autograd.JacFwd(f, tp.Const([]float64{2, 5}))
	if err != nil {
		panic(err)
	}
	fmt.Println(j)
	// Output:
	// Var(3,2) float64 [5 2 4 0 0 3]
}
