package layers

import (
	"errors"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors, wrapped by the *autograd.Error values this package returns or panics with.
var (
	// ErrSize reports a layer size below 1, or a bad hyperparameter of a layer.
	ErrSize = errors.New("layers: bad layer size")
	// ErrMismatch reports data that do not fit a layer, such as examples and targets of
	// different counts given to Perceptron.Fit.
	ErrMismatch = errors.New("layers: parameter mismatch")
)

// checkSize panics with ErrSize unless n ≥ 1; what names the size, e.g. "input size".
func checkSize(op, what string, n int) {
	if n < 1 {
		ag.Panicf(op, ErrSize, "%s %d; want at least 1", what, n)
	}
}
