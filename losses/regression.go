package losses

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// SquaredError returns the course's sum-of-squares error E = ½ Σ (y − t)² of predictions y
// and targets t of the same shape; its gradient with respect to y is y − t. With Reduce(Mean) it
// is ½ mean (y − t)². It returns an error if the batch sizes or shapes differ or y is empty, and
// panics if a Var is nil or stale or the dtypes differ.
func SquaredError(y, t ag.Var, opts ...Option) (ag.Var, error) {
	if err := checkPair("losses.SquaredError", y, t); err != nil {
		return ag.Var{}, err
	}
	return ops.SumSquaredDiff(y, t, 0.5*configure(Sum, opts).scale(y)), nil
}

// MSE returns the mean squared error mean (y − t)² of predictions y and targets t of the same
// shape, or with Reduce(Sum) the sum Σ (y − t)². It returns the errors SquaredError does.
func MSE(y, t ag.Var, opts ...Option) (ag.Var, error) {
	if err := checkPair("losses.MSE", y, t); err != nil {
		return ag.Var{}, err
	}
	return ops.SumSquaredDiff(y, t, configure(Mean, opts).scale(y)), nil
}

// MAE returns the mean absolute error mean |y − t|, or with Reduce(Sum) the sum. Its gradient
// at y = t is taken as 0. It returns the errors SquaredError does.
func MAE(y, t ag.Var, opts ...Option) (ag.Var, error) {
	if err := checkPair("losses.MAE", y, t); err != nil {
		return ag.Var{}, err
	}
	return configure(Mean, opts).reduce(ops.Abs(ops.Sub(y, t))), nil
}
