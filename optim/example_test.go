package optim_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// Minimise E = ½ (w − 3)² with the course's rule w ← w − η ∂E/∂w; Backward gives the
// gradient w − 3.
func ExampleSGD() {
	w := ag.ScalarParam(0)
	opt, err := optim.NewSGD([]ag.Var{w}, optim.SGDConfig{LR: 0.5, Momentum: 0})
	if err != nil {
		fmt.Println(err)
		return
	}
	tp := ag.NewTape()
	for range 3 {
		tp.Reset()
		loss := ops.MulScalar(ops.Square(ops.Sub(w, tp.Scalar(3))), 0.5)
		opt.ZeroGrad()
		if err := ag.Backward(loss); err != nil {
			fmt.Println(err)
			return
		}
		opt.Step()
		fmt.Println(w.Item())
	}
	_, err = optim.NewAdam([]ag.Var{w}, optim.AdamConfig{LR: -1})
	fmt.Println(err)
	// Output:
	// 1.5
	// 2.25
	// 2.625
	// optim.NewAdam: learning rate -1 is negative; want a finite value ≥ 0
}
