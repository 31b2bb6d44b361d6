package layers_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

func ExampleNewMLP() {
	m := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
	for _, p := range m.NamedParams() {
		fmt.Println(p.Name, ag.FormatShape(p.Var.Shape()))
	}
	tp := ag.NewTape()
	x := tp.Const(make([]float64, 2*64), 2, 64) // a batch of two blank images
	fmt.Println("logits", ag.FormatShape(m.Forward(x).Shape()), "classes", m.Predict(x))
	// Output:
	// 0.weight (64,32)
	// 0.bias (32)
	// 2.weight (32,10)
	// 2.bias (10)
	// logits (2,10) classes [0 0]
}

func ExamplePerceptron_Fit() {
	// Logical AND of two inputs, which a line separates.
	X := [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
	T := []float64{0, 0, 0, 1}
	p := layers.NewPerceptron(2)
	epochs, converged, err := p.Fit(X, T, 0.1, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	w0, w1, w2 := p.Boundary()
	fmt.Printf("converged %v after %d epochs: %.1f + %.1f x1 + %.1f x2 = 0\n", converged, epochs, w0, w1, w2)
	// Output: converged true after 6 epochs: -0.2 + 0.2 x1 + 0.1 x2 = 0
}

func ExampleMLP_ForwardTrace() {
	m := layers.NewMLP([]int{2, 3, 1}, layers.Tanh{}, layers.SigmoidHead, layers.WithSeed(1))
	tp := ag.NewTape()
	_, trace := m.ForwardTrace(tp.Const([]float64{1, -1}, 1, 2))
	for j, l := range trace {
		if l.Z.IsNil() {
			fmt.Printf("a(%d) = x %s\n", j+1, ag.FormatShape(l.A.Shape()))
			continue
		}
		fmt.Printf("Z(%d) %s, a(%d) %s\n", j+1, ag.FormatShape(l.Z.Shape()), j+1, ag.FormatShape(l.A.Shape()))
	}
	// Output:
	// a(1) = x (1,2)
	// Z(2) (1,3), a(2) (1,3)
	// Z(3) (1,1), a(3) (1,1)
}
