package ops

import ag "github.com/gograd/gograd/autograd"

// ReshapeOn is Reshape recorded on t when a is a parameter (on no tape), rather than on the
// heap: the view, and whatever a step computes from it with taped data, then live in t's reused
// storage, and a steady step allocates nothing. Unlike Reshape, it returns a new view on t even
// when the shape is a's own. A nil t, or an a on a tape, gives Reshape. ReshapeOn panics as
// Reshape does, and with an *autograd.Error wrapping ErrShape if the shape has a −1.
func ReshapeOn(t *ag.Tape, a ag.Var, shape ...int) ag.Var {
	const op = "ops.Reshape"
	a.Check(op)
	if t == nil || a.Tape() != nil {
		return Reshape(a, shape...)
	}
	if len(shape) > maxRank {
		ag.Panicf(op, ag.ErrShape, "rank %d exceeds the supported %d", len(shape), maxRank)
	}
	return ag.ViewOn(t, reshapeOp, a, shape)
}
