package main

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/optim"
)

// mlpConfig configures the training of the sigmoid MLP.
type mlpConfig struct {
	seed      uint64  // seed of the initial weights
	lr        float64 // learning rate of plain gradient descent
	hidden    int     // hidden units
	maxEpochs int     // most steps of gradient descent
}

// defaultMLP solves XOR in a few thousand full-batch steps. A large η suits the squared error
// of sigmoids, whose gradients carry the factor y(1 − y) ≤ ¼.
var defaultMLP = mlpConfig{seed: 1, lr: 2, hidden: 4, maxEpochs: 50000}

// seTarget is the squared error E = ½ Σ (y − t)² over the four cases at which training stops.
const seTarget = 0.01

// trainedMLP is a sigmoid MLP after training, with the epochs it took and its final error.
type trainedMLP struct {
	model  *layers.MLP
	epochs int     // gradient steps taken
	se     float64 // E = ½ Σ (y − t)² after the last step
}

// trainMLP trains a 2-cfg.hidden-1 MLP with sigmoid hidden units and a sigmoid output on the
// four XOR cases by full-batch gradient descent on E = ½ Σ (y − t)², until E < seTarget with
// every case on the right side of ½, or for cfg.maxEpochs steps. report, if not nil, is called
// at epochs 0, 1, 2, 5, 10, 20, 50, ... and at the last one with the error there.
func trainMLP(cfg mlpConfig, report func(epoch int, se float64)) (*trainedMLP, error) {
	model := layers.NewMLP([]int{2, cfg.hidden, 1}, layers.Sigmoid{}, layers.SigmoidHead, layers.WithSeed(cfg.seed))
	opt, err := optim.NewSGD(layers.Params(model), optim.SGDConfig{LR: cfg.lr})
	if err != nil {
		return nil, err
	}
	m := &trainedMLP{model: model}
	tp := ag.NewTape()
	next := 0 // the next epoch to report
	for epoch := 0; ; epoch++ {
		tp.Reset()
		y := model.Probabilities(batch(tp, inputs))
		e, err := losses.SquaredError(y, tp.Const(targets, len(targets), 1))
		if err != nil {
			return nil, err
		}
		m.epochs, m.se = epoch, e.Item()
		done := m.se < seTarget && m.correct() == len(inputs) || epoch == cfg.maxEpochs
		if report != nil && (epoch == next || done) {
			report(epoch, m.se)
			next = nextReport(next)
		}
		if done {
			return m, nil
		}
		opt.ZeroGrad()
		if err := ag.Backward(e); err != nil {
			return nil, err
		}
		opt.Step()
	}
}

// nextReport returns the epoch after n in the sequence 0, 1, 2, 5, 10, 20, 50, 100, ...
func nextReport(n int) int {
	if n == 0 {
		return 1
	}
	p := 1
	for p*10 <= n {
		p *= 10
	}
	switch n / p {
	case 1:
		return 2 * p
	case 2:
		return 5 * p
	}
	return 10 * p
}

// probabilities returns σ of the network's output for every row of X.
func (m *trainedMLP) probabilities(X [][]float64) []float64 {
	tp := ag.NewTape()
	var y []float64
	tp.NoGrad(func() { y = m.model.Probabilities(batch(tp, X)).Float64s() })
	return y
}

// classify returns 1 where the network's output is above ½, else 0.
func (m *trainedMLP) classify(X [][]float64) []float64 {
	y := m.probabilities(X)
	for i, p := range y {
		y[i] = 0
		if p > 0.5 {
			y[i] = 1
		}
	}
	return y
}

// solved reports whether the error is below seTarget with all four cases right.
func (m *trainedMLP) solved() bool { return m.se < seTarget && m.correct() == len(inputs) }

// correct returns how many of the four cases the network gets right.
func (m *trainedMLP) correct() int { return countCorrect(m.classify(inputs), targets) }

// countCorrect returns how many of y equal their targets t.
func countCorrect(y, t []float64) int {
	n := 0
	for i := range y {
		if y[i] == t[i] {
			n++
		}
	}
	return n
}
