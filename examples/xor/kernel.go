package main

import (
	"fmt"

	"github.com/gograd/gograd/layers"
)

// phi maps (x1, x2) to the features (x1, x2, x1·x2). XOR is x1 + x2 − 2 x1·x2, linear in them,
// so a perceptron on phi(x) can learn it.
func phi(x []float64) []float64 { return []float64{x[0], x[1], x[0] * x[1]} }

// featurePerceptron is a perceptron on the features phi(x).
type featurePerceptron struct {
	p      *layers.Perceptron
	epochs int
}

// trainFeaturePerceptron trains a perceptron on phi of the four XOR cases by the perceptron
// rule, from weights drawn from U(−1, 1) with the given seed.
func trainFeaturePerceptron(seed uint64) (*featurePerceptron, error) {
	p := layers.NewPerceptron(3,
		layers.WithInit(layers.Uniform(-1, 1)),
		layers.WithBiasInit(layers.Uniform(-1, 1)),
		layers.WithSeed(seed))
	X := make([][]float64, len(inputs))
	for i, x := range inputs {
		X[i] = phi(x)
	}
	epochs, ok, err := p.Fit(X, targets, 0.1, 1000)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("perceptron on (x1, x2, x1·x2) not converged in %d epochs", epochs)
	}
	return &featurePerceptron{p: p, epochs: epochs}, nil
}

// classify returns the perceptron's output on phi of every row of X.
func (k *featurePerceptron) classify(X [][]float64) []float64 {
	F := make([][]float64, len(X))
	for i, x := range X {
		F[i] = phi(x)
	}
	return forward(k.p, F)
}

// boundary formats the decision boundary w0 + w1 x1 + w2 x2 + w3 x1·x2 (a hyperbola in the
// plane).
func (k *featurePerceptron) boundary() string {
	w := k.p.Weight.Float64s()
	return fmt.Sprintf("%.3f %+.3f x1 %+.3f x2 %+.3f x1·x2", k.p.Bias.At(0), w[0], w[1], w[2])
}

// dualPerceptron is a kernel perceptron in dual form: it keeps the training cases and counts
// α_i, the mistakes made on case i, and outputs H(Σ_i α_i (2 t_i − 1) K(x_i, x)). Its weights
// live in the feature space of K and are never formed.
type dualPerceptron struct {
	X      [][]float64
	T      []float64
	alpha  []int
	epochs int
}

// poly2 is the polynomial kernel (1 + x·z)², the inner product of the features
// (1, √2 x1, √2 x2, x1², x2², √2 x1 x2), which include a constant and x1·x2.
func poly2(x, z []float64) float64 {
	s := 1.0
	for i := range x {
		s += x[i] * z[i]
	}
	return s * s
}

// trainDual runs the kernel perceptron rule on X with targets T in {0, 1}: every mistake on
// case i adds 1 to α_i. It stops after an epoch without a mistake or after maxEpochs; epochs is
// then maxEpochs + 1 if it did not converge.
func trainDual(X [][]float64, T []float64, maxEpochs int) *dualPerceptron {
	d := &dualPerceptron{X: X, T: T, alpha: make([]int, len(X))}
	for d.epochs = 1; d.epochs <= maxEpochs; d.epochs++ {
		mistakes := 0
		for i, x := range X {
			if d.output(x) != T[i] {
				d.alpha[i]++
				mistakes++
			}
		}
		if mistakes == 0 {
			return d
		}
	}
	return d
}

// output returns H(Σ_i α_i (2 t_i − 1) K(x_i, x)).
func (d *dualPerceptron) output(x []float64) float64 {
	s := 0.0
	for i, xi := range d.X {
		s += float64(d.alpha[i]) * (2*d.T[i] - 1) * poly2(xi, x)
	}
	if s > 0 {
		return 1
	}
	return 0
}

// classify returns the output for every row of X.
func (d *dualPerceptron) classify(X [][]float64) []float64 {
	y := make([]float64, len(X))
	for i, x := range X {
		y[i] = d.output(x)
	}
	return y
}
