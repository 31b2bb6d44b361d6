package checkpoint

import (
	"errors"
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors, wrapped by the *autograd.Error values this package returns.
var (
	// ErrMissing reports a parameter of the model that a checkpoint does not hold.
	ErrMissing = errors.New("checkpoint: missing parameter")
	// ErrMismatch reports a checkpoint array whose shape or dtype differs from the model's
	// parameter, or an array the model has no parameter for.
	ErrMismatch = errors.New("checkpoint: parameter mismatch")
)

func newError(op string, kind error, format string, args ...any) error {
	return &ag.Error{Op: op, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}
