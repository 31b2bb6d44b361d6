package ops

import ag "github.com/gograd/gograd/autograd"

// reluGrad returns g where a > 0 and 0 elsewhere, in one pass: the backward of ReLU, a primitive
// of its own for speed (as PyTorch's threshold_backward), where Mul(g, Step(a)) takes two passes
// and a temporary the size of a. Like threshold_backward it gives 0 where a ≤ 0 even if g is
// infinite or NaN.
func reluGrad(g, a ag.Var) ag.Var {
	const op = "ops.ReLUGrad"
	gv, av := g.Operand(op), a.Operand(op)
	if gv.DType != av.DType || len(gv.F32) != len(av.F32) || len(gv.F64) != len(av.F64) {
		ag.Panicf(op, ag.ErrShape, "gradient %v %s for input %v %s; want one shape and dtype", gv.DType, shapeStr(gv.Shape), av.DType, shapeStr(av.Shape))
	}
	out := ag.NewResult(reluGradOp, av.DType, av.Shape, g, a)
	o := out.Operand(op)
	if av.DType == ag.Float32 {
		map2(reluGradLoop[float32], o.F32, gv.F32, av.F32)
	} else {
		map2(reluGradLoop[float64], o.F64, gv.F64, av.F64)
	}
	return out
}
