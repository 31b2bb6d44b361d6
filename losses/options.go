package losses

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Reduction says how per-element or per-example losses are combined into one scalar.
type Reduction int

const (
	// Mean averages the losses: over all elements for the regression and binary losses, over
	// the rows for CrossEntropy and NLL.
	Mean Reduction = iota + 1
	// Sum adds the losses.
	Sum
)

// Option configures a loss.
type Option func(*config)

type config struct {
	red Reduction
	eps float64
}

// Reduce selects the reduction. Reduce panics if r is not Mean or Sum.
func Reduce(r Reduction) Option {
	if r != Mean && r != Sum {
		ag.Panicf("losses.Reduce", ag.ErrValue, "reduction %d; want Mean or Sum", r)
	}
	return func(c *config) { c.red = r }
}

// Eps sets the clamping bound of BCE: probabilities are limited to [eps, 1 − eps] so that their
// logarithms stay finite. The default is 1e-7. Bounds that round to 0 or 1 in the dtype of the
// probabilities are moved to the nearest value inside (0, 1). Eps panics unless 0 < eps < 0.5.
func Eps(eps float64) Option {
	if !(eps > 0 && eps < 0.5) {
		ag.Panicf("losses.Eps", ag.ErrValue, "ε %g; want a value in (0, 0.5)", eps)
	}
	return func(c *config) { c.eps = eps }
}

// configure applies opts to the defaults. It works on a heap copy only when there are options,
// so that a call without options does not allocate.
func configure(def Reduction, opts []Option) config {
	c := config{red: def, eps: 1e-7}
	if len(opts) == 0 {
		return c
	}
	p := new(config)
	*p = c
	for _, o := range opts {
		o(p)
	}
	return *p
}

// scale is the factor of a sum over every element of l that reduces it: 1/n for Mean over
// l's n elements, as ops.Mean's, and 1 for Sum.
func (c config) scale(l ag.Var) float64 {
	if c.red == Sum {
		return 1
	}
	return 1 / float64(l.Len())
}

// reduce combines the losses l into a scalar.
func (c config) reduce(l ag.Var) ag.Var {
	if c.red == Sum {
		return ops.Sum(l)
	}
	return ops.Mean(l)
}
