package ops_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// With every gate pre-activation 0, the gates i, f, o are σ(0) = ½ and g = tanh(0) = 0, so
// c' = c/2 and h' = tanh(c')/2.
func ExampleLSTMCell() {
	tp := ag.NewTape()
	pre := tp.Variable([]float64{0, 0, 0, 0}, 1, 4) // batch 1, hidden 1: the gates i, f, g, o
	c := tp.Variable([]float64{2}, 1, 1)
	h, c2 := ops.LSTMCell(pre, c)
	fmt.Println("h' =", h)
	fmt.Println("c' =", c2)
	// Output:
	// h' = Var(1,1) float64 [0.380797]
	// c' = Var(1,1) float64 [1]
}
