package train_test

import (
	"fmt"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// A digits classifier: a 64-32-10 MLP on the embedded 8x8 digits, trained with Adam on the
// cross-entropy of its logits.
func Example_digits() {
	trainSet, testSet, err := datasets.Digits() // rows 0..1346 train, the rest test
	if err != nil {
		panic(err)
	}
	if _, err := data.Standardize(&trainSet, &testSet); err != nil {
		panic(err)
	}
	model := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
	opt, err := optim.NewAdam(layers.Params(model), optim.AdamConfig{LR: 0.003})
	if err != nil {
		panic(err)
	}
	if _, err := train.Fit(model, opt, trainSet, train.Config{Epochs: 20, BatchSize: 32, Seed: 1}); err != nil {
		panic(err)
	}
	acc, err := train.Accuracy(model, testSet)
	if err != nil {
		panic(err)
	}
	fmt.Println("test accuracy ≥ 0.92:", acc >= 0.92)
	// Output: test accuracy ≥ 0.92: true
}

// A validation set, early stopping and the best weights: training stops once the validation
// loss has not improved for 5 epochs, and the parameters of the best epoch are restored.
func Example_earlyStopping() {
	trainSet, testSet, err := datasets.Digits()
	if err != nil {
		panic(err)
	}
	if _, err := data.Standardize(&trainSet, &testSet); err != nil {
		panic(err)
	}
	trainSet, valSet := data.Split(trainSet, 1000) // hold out 347 training rows
	model := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
	opt, err := optim.NewAdam(layers.Params(model), optim.AdamConfig{LR: 0.003})
	if err != nil {
		panic(err)
	}
	stats, err := train.Fit(model, opt, trainSet, train.Config{
		Epochs: 200, BatchSize: 32, Seed: 1,
		Validation: &valSet, Patience: 5, KeepBest: true,
	})
	if err != nil {
		panic(err)
	}
	last := stats[len(stats)-1]
	acc, err := train.Accuracy(model, testSet)
	if err != nil {
		panic(err)
	}
	fmt.Println("metric:", last.MetricName)
	fmt.Println("stopped early:", len(stats) < 200)
	fmt.Println("validation accuracy ≥ 0.9:", last.ValMetric >= 0.9)
	fmt.Println("test accuracy ≥ 0.92:", acc >= 0.92)
	// Output:
	// metric: accuracy
	// stopped early: true
	// validation accuracy ≥ 0.9: true
	// test accuracy ≥ 0.92: true
}
