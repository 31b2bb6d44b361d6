package ops_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Each row of x is standardised over its last axis: mean 2 and variance 2/3 in the first row,
// mean 0 and variance 8/3 in the second, so both become (−√1.5, 0, √1.5).
func ExampleStandardize() {
	tp := ag.NewTape()
	x := tp.Variable([]float64{1, 2, 3, -2, 0, 2}, 2, 3)
	y := ops.Standardize(x, 1, 0)
	fmt.Printf("%.4f\n", y.Float64s())
	// Output:
	// [-1.2247 0.0000 1.2247 -1.2247 0.0000 1.2247]
}
