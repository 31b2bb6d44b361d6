package layers_test

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

// ExampleWithoutRunningStats shows what each BatchNorm configuration saves, under torch's
// state_dict names: the default keeps the scale and shift and three buffers, num_batches_tracked
// counting the training batches.
func ExampleWithoutRunningStats() {
	for _, c := range []struct {
		name string
		opts []layers.Option
	}{
		{"default", nil},
		{"WithoutAffine", []layers.Option{layers.WithoutAffine()}},
		{"WithoutRunningStats", []layers.Option{layers.WithoutRunningStats()}},
	} {
		b := layers.NewBatchNorm1d(2, c.opts...)
		x := ag.NewTape().Const([]float64{1, 2, 3, 5}, 2, 2)
		b.Forward(x) // one training batch
		fmt.Printf("%s:", c.name)
		for _, p := range b.NamedParams() {
			fmt.Printf(" %s", p.Name)
		}
		for _, p := range layers.Buffers(b) {
			fmt.Printf(" %s=%v", p.Name, p.Var.Float64s())
		}
		fmt.Println()
	}
	// Output:
	// default: weight bias running_mean=[0.2 0.35000000000000003] running_var=[1.1 1.35] num_batches_tracked=[1]
	// WithoutAffine: running_mean=[0.2 0.35000000000000003] running_var=[1.1 1.35] num_batches_tracked=[1]
	// WithoutRunningStats: weight bias
}
