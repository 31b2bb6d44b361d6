package ops_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func ExampleIndexSelect() {
	tp := ag.NewTape()
	table := tp.Variable([]float64{0, 1, 10, 11, 20, 21}, 3, 2) // 3 rows of 2
	rows := ops.IndexSelect(table, 0, ops.NewIndex([]int{2, 0, 2}))
	if err := ag.Backward(ops.Sum(rows)); err != nil {
		panic(err)
	}
	fmt.Println(rows)
	fmt.Println("∂table =", table.Grad()) // row 2 was used twice
	// Output:
	// Var(3,2) float64 [20 21 0 1 20 21]
	// ∂table = Var(3,2) float64 [1 1 0 0 2 2]
}

func ExampleGather() {
	tp := ag.NewTape()
	scores := tp.Const([]float64{0.1, 0.7, 0.2, 0.5, 0.3, 0.2}, 2, 3)
	labels := ops.NewIndex([]int{1, 0}, 2, 1) // one position per row
	fmt.Println(ops.Gather(scores, 1, labels))
	// Output:
	// Var(2,1) float64 [0.7 0.5]
}

func ExampleSliceAxes() {
	tp := ag.NewTape()
	x := tp.Const([]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4)
	// x[1:, ::-2] in NumPy
	y := ops.SliceAxes(x, ops.Range{Axis: 0, Start: 1, Stop: ops.End}, ops.Range{Axis: 1, Start: -1, Stop: ops.End, Step: -2})
	fmt.Println(y)
	// Output:
	// Var(2,2) float64 [7 5 11 9]
}

func ExampleTopK() {
	tp := ag.NewTape()
	x := tp.Const([]float64{3, 9, 1, 7}, 4)
	v, pos := ops.TopK(x, 2, 0)
	fmt.Println(v, pos.Ints())
	// Output:
	// Var(2) float64 [9 7] [1 3]
}
