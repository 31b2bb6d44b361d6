package ops_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// 1-D operands are vectors, as with torch's @: a row on the left, a column on the right, and
// the added axis is dropped from the result.
func ExampleMatMul_vector() {
	tp := ag.NewTape()
	v := tp.Const([]float64{1, 2})
	m := tp.Const([]float64{1, 0, -1, 2, 1, 0}, 2, 3)
	fmt.Println("v·M:", ops.MatMul(v, m))
	fmt.Println("M·u:", ops.MatMul(m, tp.Const([]float64{1, 1, 1})))
	fmt.Println("v·v:", ops.MatMul(v, v))
	// Output:
	// v·M: Var(3) float64 [5 2 -1]
	// M·u: Var(2) float64 [0 3]
	// v·v: Var() float64 [5]
}
