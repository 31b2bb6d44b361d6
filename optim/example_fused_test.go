package optim_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// Fit y = x·W by least squares with the update of W fused into the product that computes its
// gradient: BackwardStep applies W ← W − η·xᵀ·∂y inside the backward pass, so W never holds a
// gradient. The same steps with Backward and Step give the same weights.
func ExampleSGD_BackwardStep() {
	xs := []float64{1, 2, 3, 4, 5, 6}
	ts := []float64{1, 0, 0, 1}
	train := func(fused bool) ag.Var {
		w := ag.NewParam([]float64{0, 0, 0, 0, 0, 0}, 3, 2)
		opt, err := optim.NewSGD([]ag.Var{w}, optim.SGDConfig{LR: 0.01})
		if err != nil {
			panic(err)
		}
		tp := ag.NewTape()
		for range 20 {
			tp.Reset()
			x, t := tp.Const(xs, 2, 3), tp.Const(ts, 2, 2)
			y := ops.MatMul(x, w)
			if fused {
				y = ops.MatMulSGD(x, w, opt)
			}
			loss := ops.MulScalar(ops.Sum(ops.Square(ops.Sub(y, t))), 0.5)
			if fused {
				err = opt.BackwardStep(loss)
			} else {
				err = ag.Backward(loss)
				opt.Step()
			}
			if err != nil {
				panic(err)
			}
			if fused && !w.Grad().IsNil() {
				panic("a fused weight collected a gradient")
			}
			opt.ZeroGrad()
		}
		return w
	}
	fmt.Printf("fused:   %.6f\n", train(true).Float64s())
	fmt.Printf("unfused: %.6f\n", train(false).Float64s())
	// Output:
	// fused:   [-0.091199 0.087077 0.007864 0.061280 0.106928 0.035484]
	// unfused: [-0.091199 0.087077 0.007864 0.061280 0.106928 0.035484]
}
