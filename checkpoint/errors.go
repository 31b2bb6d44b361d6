package checkpoint

import "errors"

// Sentinel errors, wrapped by the *autograd.Error values this package returns.
var (
	// ErrMissing reports a parameter of the model that a checkpoint does not hold.
	ErrMissing = errors.New("checkpoint: missing parameter")
	// ErrMismatch reports a checkpoint array whose shape or dtype differs from the model's
	// parameter, or an array the model has no parameter for.
	ErrMismatch = errors.New("checkpoint: parameter mismatch")
)
