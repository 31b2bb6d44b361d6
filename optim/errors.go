package optim

import (
	"errors"
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors. Errors returned by this package wrap one of them (through an
// *autograd.Error), so callers can test with errors.Is.
var (
	// ErrLR reports a learning rate that is NaN, infinite or negative.
	ErrLR = errors.New("optim: bad learning rate")
	// ErrHyper reports another hyperparameter out of its range.
	ErrHyper = errors.New("optim: bad hyperparameter")
	// ErrState reports optimizer state that does not fit the optimizer's parameters.
	ErrState = errors.New("optim: bad state")
	// ErrParam reports a parameter that is nil, stale or not a leaf.
	ErrParam = errors.New("optim: bad parameter")
)

// checkLR returns an error unless lr is finite and ≥ 0.
func checkLR(op string, lr float64) error {
	switch {
	case math.IsNaN(lr):
		return ag.Errorf(op, ErrLR, "learning rate NaN; want a finite value ≥ 0")
	case math.IsInf(lr, 0):
		return ag.Errorf(op, ErrLR, "learning rate %g; want a finite value ≥ 0", lr)
	case lr < 0:
		return ag.Errorf(op, ErrLR, "learning rate %g is negative; want a finite value ≥ 0", lr)
	}
	return nil
}

// checkRange returns an error unless lo ≤ x < hi (lo ≤ x ≤ hi when closed is set).
func checkRange(op, name string, x, lo, hi float64, closed bool) error {
	ok := x >= lo && (x < hi || closed && x == hi)
	if !ok || math.IsNaN(x) {
		r := ")"
		if closed {
			r = "]"
		}
		return ag.Errorf(op, ErrHyper, "%s %g; want a value in [%g, %g%s", name, x, lo, hi, r)
	}
	return nil
}

// checkParams returns an error if a parameter is nil, stale or not a leaf (an intermediate
// result never collects a gradient), or occurs twice. torch.optim 1.13 only warns about a
// duplicate ("in future, this will cause an error") and then updates it twice per step; here it
// is the error PyTorch announces.
func checkParams(op string, params []ag.Var) error {
	seen := make(map[ag.Var]int, len(params))
	for i, p := range params {
		if err := ag.Maybe(func() { p.Grad() }); err != nil {
			return ag.Errorf(op, ErrParam, "parameter %d: %v", i, err)
		}
		if j, dup := seen[p]; dup {
			return ag.Errorf(op, ErrParam, "parameter %d is parameter %d again; each would be updated twice per step", i, j)
		}
		seen[p] = i
	}
	return nil
}
