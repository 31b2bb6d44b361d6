package layers_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

func ExampleNewConv2d() {
	conv := layers.NewConv2d(1, 2, 3, layers.WithPadding(1), layers.WithoutBias())
	for _, p := range conv.NamedParams() {
		fmt.Println(p.Name, ag.FormatShape(p.Var.Shape()))
	}
	// Two hand-set filters: a vertical-edge detector and a 3×3 box sum.
	copy(conv.Weight.Data64(), []float64{
		-1, 0, 1, -1, 0, 1, -1, 0, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1,
	})
	tp := ag.NewTape()
	img := tp.Const([]float64{ // one 4×4 image: dark left half, bright right half
		0, 0, 1, 1,
		0, 0, 1, 1,
		0, 0, 1, 1,
		0, 0, 1, 1,
	}, 1, 1, 4, 4)
	y := conv.Forward(img)
	fmt.Println("output", ag.FormatShape(y.Shape()))
	v := y.Float64s()
	for c := range 2 {
		for r := range 4 {
			fmt.Println(v[c*16+r*4 : c*16+r*4+4])
		}
	}
	// Output:
	// weight (2,1,3,3)
	// output (1,2,4,4)
	// [0 2 2 -2]
	// [0 3 3 -3]
	// [0 3 3 -3]
	// [0 2 2 -2]
	// [0 2 4 4]
	// [0 3 6 6]
	// [0 3 6 6]
	// [0 2 4 4]
}
