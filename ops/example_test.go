package ops_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func ExampleMul() {
	tp := ag.NewTape()
	a := tp.Variable([]float64{1, 2, 3})
	b := tp.Variable([]float64{4, 5, 6})
	y := ops.Sum(ops.Mul(a, b)) // a·b
	if err := ag.Backward(y); err != nil {
		panic(err)
	}
	fmt.Println(y)
	fmt.Println("∂a =", a.Grad())
	fmt.Println("∂b =", b.Grad())
	// Output:
	// Var() float64 [32]
	// ∂a = Var(3) float64 [4 5 6]
	// ∂b = Var(3) float64 [1 2 3]
}

func ExampleAdd_broadcast() {
	tp := ag.NewTape()
	col := tp.Const([]float64{10, 20}, 2, 1)
	row := tp.Const([]float64{1, 2, 3}, 1, 3)
	fmt.Println(ops.Add(col, row))
	// Output:
	// Var(2,3) float64 [11 12 13 21 22 23]
}

func ExampleSoftmax() {
	tp := ag.NewTape()
	logits := tp.Const([]float64{0, 0, 0, 0, 1e4, 1e4, -1e4, -1e4}, 2, 4)
	p := ops.Softmax(logits, 1)
	fmt.Println(p)
	fmt.Println(ops.Sum(p, 1))
	// Output:
	// Var(2,4) float64 [0.25 0.25 0.25 0.25 0.5 0.5 0 0]
	// Var(2) float64 [1 1]
}

func ExampleMatMul() {
	tp := ag.NewTape()
	a := tp.Variable([]float64{1, 2, 3, 4}, 2, 2)
	b := tp.Const([]float64{5, 6, 7, 8}, 2, 2)
	c := ops.MatMul(a, b)
	fmt.Println(c)
	if err := ag.Backward(ops.Sum(c)); err != nil {
		panic(err)
	}
	fmt.Println("∂a =", a.Grad()) // ones · bᵀ
	// Output:
	// Var(2,2) float64 [19 22 43 50]
	// ∂a = Var(2,2) float64 [11 15 11 15]
}

func ExampleLogSumExp() {
	tp := ag.NewTape()
	x := tp.Const([]float64{1e4, 1e4})
	fmt.Printf("%.6f\n", ops.LogSumExp(x, 0).Item()-1e4) // log 2, without overflow
	// Output:
	// 0.693147
}

func ExampleMatMul_error() {
	tp := ag.NewTape()
	err := ag.Maybe(func() {
		ops.MatMul(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 2, 3))
	})
	fmt.Println(err)
	// Output:
	// ops.MatMul: (2,3) x (2,3): inner dimensions 3 and 2 differ
}

func ExampleSigmoid() {
	tp := ag.NewTape()
	x := tp.Variable([]float64{-1e4, 0, 1e4})
	y := ops.Sigmoid(x)
	if err := ag.Backward(ops.Sum(y)); err != nil {
		panic(err)
	}
	fmt.Println(y)
	fmt.Println("∂x =", x.Grad()) // σ(1−σ)
	// Output:
	// Var(3) float64 [0 0.5 1]
	// ∂x = Var(3) float64 [0 0.25 0]
}
