package curve_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
	"github.com/gograd/gograd/train/curve"
)

// The training curves of a digits classifier with a validation set, saved as a PNG.
func ExampleSavePNG() {
	trainSet, valSet, err := datasets.Digits()
	if err != nil {
		panic(err)
	}
	model := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
	opt, err := optim.NewAdam(layers.Params(model), optim.AdamConfig{LR: 0.003})
	if err != nil {
		panic(err)
	}
	stats, err := train.Fit(model, opt, trainSet, train.Config{Epochs: 5, BatchSize: 32, Validation: &valSet})
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "curve")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "digits.png")
	if err := curve.SavePNG(path, stats); err != nil {
		panic(err)
	}
	info, err := os.Stat(path)
	fmt.Println(err == nil && info.Size() > 0)
	// Output: true
}
