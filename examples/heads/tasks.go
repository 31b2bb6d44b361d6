package main

import (
	"io"
	"math"
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// options are shared by the tasks.
type options struct {
	seed     uint64
	progress io.Writer                    // the progress bar's destination; nil: standard output if a terminal
	onEpoch  func(train.EpochStats) error // called after every epoch, or nil
}

// result is a trained task: its per-epoch statistics and its final score (an accuracy, or a
// mean squared error for regression).
type result struct {
	stats []train.EpochStats
	score float64
}

// fit trains m with Adam at learning rate lr.
func fit(m layers.Module, ds data.Dataset, lr float64, cfg train.Config, o options) ([]train.EpochStats, error) {
	opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: lr})
	if err != nil {
		return nil, err
	}
	cfg.Seed, cfg.Progress, cfg.OnEpoch = o.seed, o.progress, o.onEpoch
	return train.Fit(m, opt, ds, cfg)
}

// noisySine returns n examples t = sin x + ε, x uniform on [−π, π], ε ~ N(0, 0.1²).
func noisySine(rng *rand.Rand, n int) data.Dataset {
	d := data.Dataset{X: make([]float64, n), T: make([]float64, n), Rows: n, Cols: 1}
	for i := range n {
		x := math.Pi * (2*rng.Float64() - 1)
		d.X[i], d.T[i] = x, math.Sin(x)+0.1*rng.NormFloat64()
	}
	return d
}

// regression fits a 1-32-1 tanh MLP with a linear output to 200 noisy samples of sin by the
// mean squared error, and scores it by its mean squared error against sin itself on a grid of
// 101 points of [−π, π] (the noise, of variance 0.01, is not in that score).
func regression(o options) (result, error) {
	ds := noisySine(rand.New(rand.NewPCG(o.seed, 2)), 200)
	m := layers.NewMLP([]int{1, 32, 1}, layers.Tanh{}, layers.LinearHead, layers.WithSeed(o.seed))
	stats, err := fit(m, ds, 0.01, train.Config{Epochs: 150, BatchSize: 16, Loss: train.MSE}, o)
	if err != nil {
		return result{}, err
	}
	xs := make([]float64, 101)
	for i := range xs {
		xs[i] = math.Pi * (float64(i)/50 - 1)
	}
	tp := ag.NewTape()
	var y []float64
	tp.NoGrad(func() { y = m.Forward(tp.Const(xs, len(xs), 1)).Float64s() })
	mse := 0.0
	for i, x := range xs {
		d := y[i] - math.Sin(x)
		mse += d * d
	}
	return result{stats, mse / float64(len(xs))}, nil
}

// shuffledIris returns the iris data set in a random order drawn with seed.
func shuffledIris(seed uint64) (data.Dataset, error) {
	d, err := datasets.Iris()
	if err != nil {
		return data.Dataset{}, err
	}
	return d.Subset(rand.New(rand.NewPCG(seed, 3)).Perm(d.Rows)), nil
}

// standardSplit splits d after its first n rows and standardises both parts with the mean and
// deviation of the first.
func standardSplit(d data.Dataset, n int) (trainSet, testSet data.Dataset, err error) {
	trainSet, testSet = data.Split(d, n)
	trainSet, testSet = trainSet.Subset(seq(trainSet.Rows)), testSet.Subset(seq(testSet.Rows)) // own copies
	_, err = data.Standardize(&trainSet, &testSet)
	return trainSet, testSet, err
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// bce is the loss of the binary task: losses.BCEWithLogits of the output logits and the labels
// 0 and 1. The sigmoid head's σ is fused into the loss, which is the stable form of
// BCE(σ(logit), t).
func bce(out ag.Var, b *data.Dataset) (ag.Var, error) {
	t := make([]float64, b.Rows)
	for i, y := range b.Y {
		t[i] = float64(y)
	}
	return losses.BCEWithLogits(out, out.Tape().Const(t, b.Rows, 1))
}

// binary separates iris versicolor (label 0 here) from virginica (1), the two species that
// overlap, with a 4-8-1 tanh MLP with a sigmoid output trained by binary cross-entropy on 70 of
// the 100 flowers; the score is the accuracy on the other 30.
func binary(o options) (result, error) {
	all, err := shuffledIris(o.seed)
	if err != nil {
		return result{}, err
	}
	var idx []int
	for i, y := range all.Y {
		if y != 0 {
			idx = append(idx, i)
		}
	}
	d := all.Subset(idx)
	for i := range d.Y {
		d.Y[i]-- // versicolor 0, virginica 1
	}
	trainSet, testSet, err := standardSplit(d, 70)
	if err != nil {
		return result{}, err
	}
	m := layers.NewMLP([]int{4, 8, 1}, layers.Tanh{}, layers.SigmoidHead, layers.WithSeed(o.seed))
	stats, err := fit(m, trainSet, 0.01, train.Config{Epochs: 100, BatchSize: 10, Loss: bce}, o)
	if err != nil {
		return result{}, err
	}
	acc, err := train.Accuracy(m, testSet)
	return result{stats, acc}, err
}

// digits classifies the 8×8 handwritten digits with a 64-32-10 ReLU MLP with a softmax output
// trained by cross-entropy on rows 0..1346 of the data set, standardised; the score is the
// accuracy on rows 1347..1796.
func digits(o options) (result, error) {
	trainSet, testSet, err := datasets.Digits()
	if err != nil {
		return result{}, err
	}
	if _, err := data.Standardize(&trainSet, &testSet); err != nil {
		return result{}, err
	}
	m := layers.NewMLP([]int{64, 32, 10}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(o.seed))
	stats, err := fit(m, trainSet, 0.003, train.Config{Epochs: 20, BatchSize: 32}, o)
	if err != nil {
		return result{}, err
	}
	acc, err := train.Accuracy(m, testSet)
	return result{stats, acc}, err
}

// iris classifies the three iris species with a 4-16-3 ReLU MLP with a softmax output trained
// by cross-entropy on 120 shuffled flowers; the score is the accuracy on the other 30.
func iris(o options) (result, error) {
	d, err := shuffledIris(o.seed)
	if err != nil {
		return result{}, err
	}
	trainSet, testSet, err := standardSplit(d, 120)
	if err != nil {
		return result{}, err
	}
	m := layers.NewMLP([]int{4, 16, 3}, layers.ReLU{}, layers.SoftmaxHead, layers.WithSeed(o.seed))
	stats, err := fit(m, trainSet, 0.01, train.Config{Epochs: 60, BatchSize: 10}, o)
	if err != nil {
		return result{}, err
	}
	acc, err := train.Accuracy(m, testSet)
	return result{stats, acc}, err
}
