package autograd_test

import (
	"fmt"

	"github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// A first look: the gradient of a small network's mean output with respect to its weights. This
// is the README's first program.
func Example() {
	tp := autograd.NewTape()
	x := tp.Const([]float64{1, 2, 3, 4}, 2, 2)               // data: no gradient
	w := autograd.NewParam([]float64{0.5, -1, 2, 0.1}, 2, 2) // a parameter: survives tp.Reset
	loss := ops.Mean(ops.Sigmoid(ops.MatMul(x, w)))
	if err := autograd.Backward(loss); err != nil {
		panic(err)
	}
	fmt.Println(w.Grad()) // ∂loss/∂w
	// Output:
	// Var(2,2) float64 [0.00277269 0.101746 0.00550796 0.171313]
}

// Backward fills the gradient of every parameter and Variable the loss depends on: for
// f = x²y + y, ∂f/∂x = 2xy and ∂f/∂y = x² + 1.
func ExampleBackward() {
	x, y := autograd.ScalarParam(3), autograd.ScalarParam(2)
	f := ops.Add(ops.Mul(ops.Square(x), y), y)
	if err := autograd.Backward(f); err != nil {
		panic(err)
	}
	fmt.Println("f =", f.Item(), " ∂f/∂x =", x.Grad().Item(), " ∂f/∂y =", y.Grad().Item())
	// Output:
	// f = 20  ∂f/∂x = 12  ∂f/∂y = 10
}

// Grad returns gradients instead of storing them; with CreateGraph the gradient is itself
// recorded, so it can be differentiated again: for f = x³, f′ = 3x² and f″ = 6x, 27 and 18 at 3.
func ExampleGrad_createGraph() {
	tp := autograd.NewTape()
	x := tp.ScalarVariable(3)
	f := ops.PowConst(x, 3)
	d1, err := autograd.Grad([]autograd.Var{f}, []autograd.Var{x}, autograd.CreateGraph())
	if err != nil {
		panic(err)
	}
	d2, err := autograd.Grad(d1, []autograd.Var{x})
	if err != nil {
		panic(err)
	}
	fmt.Println("f′(3) =", d1[0].Item(), " f″(3) =", d2[0].Item())
	// Output:
	// f′(3) = 27  f″(3) = 18
}

// quadratic is f(x) = x₀²x₁ + x₁³, whose Hessian is [[2x₁, 2x₀], [2x₀, 6x₁]].
func quadratic(x autograd.Var) autograd.Var {
	x0, x1 := ops.Slice(x, 0, 0, 1), ops.Slice(x, 0, 1, 2)
	return ops.Sum(ops.Add(ops.Mul(ops.Square(x0), x1), ops.PowConst(x1, 3)))
}

// HVP computes H·v without forming H: at x = (1, 2), H = [[4, 2], [2, 12]], so H·(1, 0) is the
// first column, (4, 2).
func ExampleHVP() {
	tp := autograd.NewTape()
	x := tp.Variable([]float64{1, 2})
	hv, err := autograd.HVP(quadratic, x, tp.Const([]float64{1, 0}))
	if err != nil {
		panic(err)
	}
	fmt.Println(hv.Float64s())
	// Output:
	// [4 2]
}

// HVPs takes several inputs: for f(x, y) = x²y + y³ at (1, 2), H = [[2y, 2x], [2x, 6y]] =
// [[4, 2], [2, 12]], and H·(1, 0) splits into the x part 4 and the y part 2.
func ExampleHVPs() {
	tp := autograd.NewTape()
	x, y := tp.ScalarVariable(1), tp.ScalarVariable(2)
	f := func(xs ...autograd.Var) autograd.Var {
		return ops.Add(ops.Mul(ops.Square(xs[0]), xs[1]), ops.PowConst(xs[1], 3))
	}
	hv, err := autograd.HVPs(f, []autograd.Var{x, y}, []autograd.Var{tp.Scalar(1), tp.Scalar(0)})
	if err != nil {
		panic(err)
	}
	fmt.Println(hv[0].Item(), hv[1].Item())
	// Output:
	// 4 2
}

// Hessian forms the whole n×n matrix, one Hessian-vector product per row.
func ExampleHessian() {
	tp := autograd.NewTape()
	x := tp.Variable([]float64{1, 2})
	h, err := autograd.Hessian(quadratic, x)
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Shape(), h.Data64())
	// Output:
	// [2 2] [4 2 2 12]
}

// CheckGrad compares the derivatives autograd computes with central finite differences, here at
// orders 1 and 2 (the gradient of the gradient) for a small layer tanh(x·w).
func ExampleCheckGrad() {
	layer := func(xs ...autograd.Var) autograd.Var {
		return ops.Sum(ops.Tanh(ops.MatMul(xs[0], xs[1])))
	}
	x := autograd.NewParam([]float64{0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, 2, 3)
	w := autograd.NewParam([]float64{0.7, -0.8, 0.9, 0.1, -0.2, 0.3}, 3, 2)
	err := autograd.CheckGrad(layer, []autograd.Var{x, w}, autograd.Order(2))
	fmt.Println("gradients agree with finite differences:", err == nil)
	// Output:
	// gradients agree with finite differences: true
}

// Every operation appends a node to the tape, and Backward its gradient buffers (here 4 nodes for
// the step's graph and 4 for its backward pass: the step zeroes w's gradient first, as a training
// loop does, so the pass sums w's gradient in w's own buffer, without a node for it). A training loop resets the tape after each step;
// without the reset the tape keeps every earlier step's graph and grows without bound (a tape
// that grows past DefaultGrowthWarning nodes says so, once, on standard error).
func ExampleTape_Reset() {
	w := autograd.NewParam([]float64{0.5, -0.5})
	step := func(tp *autograd.Tape) {
		autograd.ZeroGrad(w)
		x := tp.Const([]float64{1, 2})
		loss := ops.Sum(ops.Square(ops.Mul(x, w)))
		if err := autograd.Backward(loss); err != nil {
			panic(err)
		}
	}
	leaky, clean := autograd.NewTape(), autograd.NewTape()
	for range 3 {
		step(leaky)
		clean.Reset() // the idiom: reset, then record this step's graph
		step(clean)
		fmt.Println("without Reset:", leaky.Len(), "nodes;  with Reset:", clean.Len(), "nodes")
	}
	// Output:
	// without Reset: 8 nodes;  with Reset: 8 nodes
	// without Reset: 16 nodes;  with Reset: 8 nodes
	// without Reset: 24 nodes;  with Reset: 8 nodes
}
