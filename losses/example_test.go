package losses_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
)

func ExampleCrossEntropy() {
	tp := ag.NewTape()
	logits := tp.Variable([]float64{2, 0, 0, 0, 0, 0}, 2, 3) // two rows of three classes
	loss, err := losses.CrossEntropy(logits, []int{0, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := ag.Backward(loss); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss %.4f\n", loss.Item())
	fmt.Printf("gradient %.4f\n", logits.Grad().Float64s()) // (softmax − onehot)/2
	_, err = losses.CrossEntropy(logits, []int{0, 7})
	fmt.Println(err)
	// Output:
	// loss 0.6691
	// gradient [-0.1065 0.0533 0.0533 0.1667 -0.3333 0.1667]
	// losses.CrossEntropy: label 7 at row 1 is outside [0, 3)
}

func ExampleSquaredError() {
	tp := ag.NewTape()
	y := tp.Variable([]float64{1, 2, 3})
	t := tp.Const([]float64{0, 2, 5})
	e, _ := losses.SquaredError(y, t) // ½ Σ (y − t)²
	ag.Backward(e)
	fmt.Println(e.Item(), y.Grad().Float64s()) // the gradient is y − t
	// Output: 2.5 [1 0 -2]
}
