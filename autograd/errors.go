package autograd

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every *Error wraps one of them, so callers can test with errors.Is.
var (
	// ErrShape reports operands whose shapes do not fit the operation.
	ErrShape = errors.New("autograd: shape mismatch")
	// ErrDType reports operands of different dtypes, or an unsupported dtype.
	ErrDType = errors.New("autograd: dtype mismatch")
	// ErrNilVar reports the zero Var used as an operand.
	ErrNilVar = errors.New("autograd: nil Var")
	// ErrReleased reports a Var whose tape step was reset: its buffers have been recycled.
	ErrReleased = errors.New("autograd: Var from a released tape step")
	// ErrTapes reports operands recorded on two different tapes.
	ErrTapes = errors.New("autograd: Vars from different tapes")
	// ErrSeed reports a missing or ill-shaped seed gradient.
	ErrSeed = errors.New("autograd: bad seed")
	// ErrUnused reports an input of Grad that the outputs do not depend on.
	ErrUnused = errors.New("autograd: input not used in the graph")
	// ErrValue reports a bad argument value (an axis out of range, a negative size, ...).
	ErrValue = errors.New("autograd: bad value")
	// ErrAnomaly reports a NaN or Inf found by anomaly detection.
	ErrAnomaly = errors.New("autograd: NaN or Inf")
	// ErrGradCheck reports an analytic gradient that disagrees with finite differences.
	ErrGradCheck = errors.New("autograd: gradient check failed")
	// ErrRule reports a derivative rule that returned a gradient of the wrong shape or dtype.
	ErrRule = errors.New("autograd: bad derivative rule")
)

// Error is the typed value that misuse panics with, and the error that boundary functions
// return. Op names the operation or function at fault (for example "ops.MatMul"), Msg says what is
// wrong with which shapes or values, and Kind is the sentinel it wraps.
type Error struct {
	Op   string
	Kind error
	Msg  string
}

// Error returns "Op: Msg", or Msg alone if Op is "".
func (e *Error) Error() string {
	if e.Op == "" {
		return e.Msg
	}
	return e.Op + ": " + e.Msg
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error for op, of the given kind, with a formatted message: the error every
// package of gograd returns, or panics with, for a problem it can name. op names the function at
// fault, such as "losses.MSE"; it is "" in an error that a package wraps in its own error type,
// which says where the problem is (a file, a line, an array), such as *data.Error.
func Errorf(op string, kind error, format string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Panicf panics with Errorf(op, kind, format, args...). Packages that define operations use it to
// report misuse; Maybe turns the panic back into the error.
func Panicf(op string, kind error, format string, args ...any) {
	panic(Errorf(op, kind, format, args...))
}

// Misuse marks e as a typed misuse panic, which Maybe turns into an error. It does nothing.
func (e *Error) Misuse() {}

// Misuse is the interface of the typed values gograd's packages panic with on misuse: *Error,
// and those of packages that do not depend on autograd, such as *data.Error. Maybe, and every
// function that returns what it panicked with as an error, converts exactly these.
type Misuse interface {
	error
	Misuse()
}

// Maybe calls fn and returns the typed misuse panic (a Misuse: an *Error, a *data.Error, ...) it
// panicked with, if any. Any other panic propagates.
func Maybe(fn func()) (err error) {
	defer recoverError(&err)
	fn()
	return nil
}

// recoverError stores a recovered Misuse in err; other panics propagate.
func recoverError(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(Misuse)
		if !ok {
			panic(r)
		}
		*err = e
	}
}
