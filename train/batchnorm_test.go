package train_test

import (
	"testing"

	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// TestFitBatchNorm trains a model with a BatchNorm layer, on one goroutine and on two (run with
// -race): the running statistics move, the optimizer leaves them alone, and Fit ends in
// evaluation mode, where Accuracy uses them.
func TestFitBatchNorm(t *testing.T) {
	for _, workers := range []int{1, 2} {
		bn := layers.NewBatchNorm1d(8)
		m := layers.NewSequential(layers.NewLinear(2, 8, layers.WithSeed(1)), bn, layers.ReLU{}, layers.NewLinear(8, 2, layers.WithSeed(2)))
		opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		ds := blobs()
		// Batches of 8 from 40 rows: no batch of one, which BatchNorm refuses in training.
		if _, err := train.Fit(m, opt, ds, train.Config{Epochs: 10, BatchSize: 8, Seed: 1, Workers: workers}); err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if bn.Training() {
			t.Errorf("%d workers: BatchNorm still in training mode after Fit", workers)
		}
		moved := false
		for _, v := range bn.RunningVar.Float64s() {
			moved = moved || v != 1
		}
		if !moved {
			t.Errorf("%d workers: running variance still all ones after training", workers)
		}
		acc, err := train.Accuracy(m, ds)
		if err != nil {
			t.Fatal(err)
		}
		if acc < 0.9 {
			t.Errorf("%d workers: accuracy %.3f on separable blobs, want at least 0.9", workers, acc)
		}
	}
}
