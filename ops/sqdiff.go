package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// SumSquaredDiff returns the scalar c·Σ (a − b)² over every element of a and b, which have one
// shape and dtype: the squared-error losses (losses.MSE, losses.SquaredError). It equals
// MulScalar(Sum(Square(Sub(a, b))), c) bit for bit, the sum taken by the same kernel, and is a
// primitive for speed (issue 16): a small model's loss is one node instead of four, and its
// gradient one node, c·2·g·(a − b), instead of four; BenchmarkXORStep (a 2-4-1 network's
// training step, MSE over four rows) went from 1.66 to 1.34 µs. Under anomaly detection it
// records the composite instead, so that a report names the step (Sub, PowConst, ...) that
// produced a NaN or Inf, as before. SumSquaredDiff panics if a or b is nil or stale, if their
// shapes or dtypes differ (it does not broadcast), or, as Sub does, if they are on different
// tapes.
func SumSquaredDiff(a, b ag.Var, c float64) ag.Var {
	const op = "ops.SumSquaredDiff"
	sa, sb := a.Check(op).Shape(), b.Check(op).Shape() // the accessors, not Operand: see unary
	if da, db := a.DType(), b.DType(); da != db {
		ag.Panicf(op, ag.ErrDType, "operands are %v and %v; want one dtype", da, db)
	}
	if !slices.Equal(sa, sb) {
		ag.Panicf(op, ag.ErrShape, "operands of shapes %s and %s; want one shape", shapeStr(sa), shapeStr(sb))
	}
	ta, tb := a.Tape(), b.Tape()
	if ta.AnomalyDetection() || tb.AnomalyDetection() || ta != nil && tb != nil && ta != tb {
		return MulScalar(Sum(Square(Sub(a, b))), c) // operands on two tapes: Sub's panic
	}
	dt := a.DType()
	out := ag.NewResult(sqDiffOp, dt, nil, a, b)
	out.SetFloat(c)
	long := a.Len() > sumBlock // the squares go into a constant on out's tape
	if dt == ag.Float32 {
		var sq []float32
		if long {
			sq = TapeOf(out).Zeros(dt, a.Len()).Data32()
		}
		out.Data32()[0] = sumSquaredDiff(sq, a.Data32(), b.Data32(), float32(c))
	} else {
		var sq []float64
		if long {
			sq = TapeOf(out).Zeros(dt, a.Len()).Data64()
		}
		out.Data64()[0] = sumSquaredDiff(sq, a.Data64(), b.Data64(), c)
	}
	return out
}

// sumSquaredDiff returns c·Σ (a − b)², summing the squares as Sum does (sumRow, or reduceAll on
// several cores), so that the value is MulScalar(Sum(Square(Sub(a, b))), c)'s. The squares go
// into sq, len(a) long, or on the stack when sq is nil (up to one sum block).
func sumSquaredDiff[T float](sq, a, b []T, c T) T {
	if sq == nil {
		var buf [sumBlock]T
		squareDiffs(buf[:len(a)], a, b)
		return (0 + sumRow(buf[:len(a)])) * c // reduceAll's path below its parallel grain
	}
	squareDiffs(sq, a, b)
	return reduceAll(sq, 0, false) * c
}

// squareDiffs sets sq = (a − b)².
func squareDiffs[T float](sq, a, b []T) {
	a, b = a[:len(sq)], b[:len(sq)]
	for i := range sq {
		d := a[i] - b[i]
		sq[i] = T(d * d) // the conversion keeps the square rounded, as Square's own pass does
	}
}

// sqDiffGrad returns c·2·g·(a − b) for a scalar g, ∂a of SumSquaredDiff(a, b, c) (∂b is
// sqDiffGrad(g, b, a, c)). It computes (g·c)·(2·(a − b)), the product the composite's backward
// forms, so that the gradient too is the composite's bit for bit.
func sqDiffGrad(g, a, b ag.Var, c float64) ag.Var {
	const op = "ops.SumSquaredDiffGrad"
	g.Check(op)
	a.Check(op)
	b.Check(op)
	dt := a.DType()
	out := ag.NewResult(sqDiffGradOp, dt, a.Shape(), g, a, b)
	out.SetFloat(c)
	if dt == ag.Float32 {
		sqDiffGradLoop(out.Data32(), g.Data32()[0]*float32(c), a.Data32(), b.Data32())
	} else {
		sqDiffGradLoop(out.Data64(), g.Data64()[0]*c, a.Data64(), b.Data64())
	}
	return out
}

func sqDiffGradLoop[T float](o []T, gc T, a, b []T) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = gc * T(2*(a[i]-b[i]))
	}
}
