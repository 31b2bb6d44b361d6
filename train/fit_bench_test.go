package train_test

import (
	"fmt"
	"testing"

	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// BenchmarkFitEpoch times one epoch of Fit on the digits (1347 rows, batches of 128, SGD) for a
// small and a wide MLP, with one worker (the kernels split large loops over the cores) and with
// two (the batch is split over two goroutines, and the kernels inside stay on theirs).
func BenchmarkFitEpoch(b *testing.B) {
	trainSet, _, err := datasets.Digits()
	if err != nil {
		b.Fatal(err)
	}
	for _, sizes := range [][]int{{64, 32, 10}, {64, 512, 512, 10}} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("mlp=%v/workers=%d", sizes, workers), func(b *testing.B) {
				model := layers.NewMLP(sizes, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
				opt, err := optim.NewSGD(layers.Params(model), optim.SGDConfig{LR: 0.01})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := train.Fit(model, opt, trainSet, train.Config{Epochs: 1, BatchSize: 128, Seed: 1, Workers: workers}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
