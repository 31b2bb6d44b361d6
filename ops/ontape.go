package ops

import ag "github.com/gograd/gograd/autograd"

// OnTape returns a view of a (no copy) recorded on t when a lives on no tape, a parameter say,
// and a itself otherwise or when t is nil. Operations whose operands all live on no tape record
// their results on the heap, one allocation each; a layer that combines its parameters at every
// step (the fused weights of a recurrent layer) views them on its input's tape first, so that a
// steady training step allocates nothing. Its gradient flows to a unchanged.
func OnTape(t *ag.Tape, a ag.Var) ag.Var {
	if t == nil || a.Check("ops.OnTape").Tape() != nil {
		return a
	}
	return ag.ViewOn(t, reshapeOp, a, a.Shape())
}
