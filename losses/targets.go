package losses

import (
	"errors"

	ag "github.com/gograd/gograd/autograd"
)

// ErrTarget reports a target outside the values a loss is defined for, such as a BCE target
// outside [0, 1].
var ErrTarget = errors.New("losses: target out of range")

// checkUnitTargets returns an error wrapping ErrTarget naming the first element of t that is
// not in [0, 1] (NaN included).
func checkUnitTargets(op string, t ag.Var) error {
	o := t.Operand(op)
	for i, v := range o.F64 {
		if !(v >= 0 && v <= 1) {
			return ag.Errorf(op, ErrTarget, "target %g at element %d of %s is outside [0, 1]", v, i, ag.FormatShape(o.Shape))
		}
	}
	for i, v := range o.F32 {
		if !(v >= 0 && v <= 1) {
			return ag.Errorf(op, ErrTarget, "target %g at element %d of %s is outside [0, 1]", v, i, ag.FormatShape(o.Shape))
		}
	}
	return nil
}
