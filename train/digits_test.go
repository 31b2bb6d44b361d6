package train_test

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

func TestDigits(t *testing.T) {
	trainSet, testSet, err := datasets.Digits()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.Standardize(&trainSet, &testSet); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opt  func(ps []ag.Var) (optim.Optimizer, error)
	}{
		{"Adam", func(ps []ag.Var) (optim.Optimizer, error) { return optim.NewAdam(ps, optim.AdamConfig{LR: 0.003}) }},
		{"SGD momentum", func(ps []ag.Var) (optim.Optimizer, error) {
			return optim.NewSGD(ps, optim.SGDConfig{LR: 0.05, Momentum: 0.9})
		}},
	}
	for _, c := range cases {
		model := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(1))
		opt, err := c.opt(layers.Params(model))
		if err != nil {
			t.Fatal(err)
		}
		stats, err := train.Fit(model, opt, trainSet, train.Config{Epochs: 20, BatchSize: 32, Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		acc, err := train.Accuracy(model, testSet)
		if err != nil {
			t.Fatal(err)
		}
		last := stats[len(stats)-1]
		t.Logf("%s: %v; test accuracy %.4f", c.name, last, acc)
		if acc < 0.92 {
			t.Errorf("%s: got test accuracy %.4f, want ≥ 0.92", c.name, acc)
		}
	}
}
