package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// Standardize returns x standardised over its last axes axes: (x − mean)/√(var + eps), with
// the mean and the biased variance taken over those axes of each example (LayerNorm before
// its scale and shift). It is a primitive for speed (issue 12): composed of means,
// differences, squares and powers it reads and writes its array about eight times forward
// and twelve times backward, where the primitive takes one pass over each row forward
// (its sums in float64) and one backward (standardizeGrad). Standardize panics with an
// *autograd.Error wrapping ErrValue if axes is not in [1, rank of x] or eps is negative or NaN.
func Standardize(x ag.Var, axes int, eps float64) ag.Var {
	const op = "ops.Standardize"
	xv := x.Operand(op)
	if axes < 1 || axes > len(xv.Shape) {
		ag.Panicf(op, ag.ErrValue, "%d axes of an input of shape %s; want 1 to %d", axes, ag.FormatShape(xv.Shape), len(xv.Shape))
	}
	if !(eps >= 0) {
		ag.Panicf(op, ag.ErrValue, "eps %g; want a value ≥ 0", eps)
	}
	out := ag.NewResult(standardizeOp, xv.DType, xv.Shape, x)
	out.SetInts(axes)
	out.SetFloat(eps)
	runStandardize(out, x, ag.Var{}, axes, eps)
	return out
}

// standardizeGrad returns Standardize's derivative at x applied to h, along each row of the
// last axes axes: r·(h − mean(h) − x̂·mean(h·x̂)), x̂ = (x − mean)·r, r = 1/√(var + eps), in one
// pass per row (mean and r recomputed from x, which costs less than keeping them).
func standardizeGrad(h, x ag.Var, axes int, eps float64) ag.Var {
	const op = "ops.StandardizeGrad"
	h.Operand(op)
	xv := x.Operand(op)
	out := ag.NewResult(standardizeGradOp, xv.DType, xv.Shape, h, x)
	out.SetInts(axes)
	out.SetFloat(eps)
	runStandardize(out, x, h, axes, eps)
	return out
}

// runStandardize fills out with Standardize(x) when h is nil, else with standardizeGrad(h, x),
// rows in parallel.
func runStandardize(out, x, h ag.Var, axes int, eps float64) {
	const op = "ops.Standardize"
	o, xv := out.Operand(op), x.Operand(op)
	n := 1
	for _, d := range xv.Shape[len(xv.Shape)-axes:] {
		n *= d
	}
	var hv ag.Operand
	if !h.IsNil() {
		hv = h.Operand(op)
	}
	if xv.DType == ag.Float32 {
		runNorm(&normTasks32, o.F32, xv.F32, hv.F32, n, eps)
	} else {
		runNorm(&normTasks64, o.F64, xv.F64, hv.F64, n, eps)
	}
}

// rowStats returns the mean of x and 1/√(var + eps), summed in float64 with four
// accumulators (float64 rows; float32 ones go through rowStats32).
func rowStats[T float](x []T, eps float64) (mean, rstd float64) {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i])
		s1 += float64(x[i+1])
		s2 += float64(x[i+2])
		s3 += float64(x[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i])
	}
	mean = (s0 + s1 + s2 + s3) / float64(len(x))
	s0, s1, s2, s3 = 0, 0, 0, 0
	i = 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1, d2, d3 := float64(x[i])-mean, float64(x[i+1])-mean, float64(x[i+2])-mean, float64(x[i+3])-mean
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := float64(x[i]) - mean
		s0 += d * d
	}
	return mean, 1 / math.Sqrt((s0+s1+s2+s3)/float64(len(x))+eps)
}

// standardizeRow sets o = (x − mean)·r for one row.
func standardizeRow[T float](o, x []T, eps float64) {
	if isF32[T]() {
		standardizeRow32(as32(o), as32(x), eps)
		return
	}
	x = x[:len(o)]
	mean, r := rowStats(x, eps)
	for i, v := range x {
		o[i] = T((float64(v) - mean) * r)
	}
}

// standardizeGradRow sets o = r·(h − mean(h) − x̂·mean(h·x̂)) for one row.
func standardizeGradRow[T float](o, x, h []T, eps float64) {
	if isF32[T]() {
		standardizeGradRow32(as32(o), as32(x), as32(h), eps)
		return
	}
	x, h = x[:len(o)], h[:len(o)]
	mean, r := rowStats(x, eps)
	var a0, a1, b0, b1 float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		a0 += float64(h[i])
		a1 += float64(h[i+1])
		b0 += float64(h[i]) * (float64(x[i]) - mean)
		b1 += float64(h[i+1]) * (float64(x[i+1]) - mean)
	}
	for ; i < len(x); i++ {
		a0 += float64(h[i])
		b0 += float64(h[i]) * (float64(x[i]) - mean)
	}
	n := float64(len(x))
	a, beta := (a0+a1)/n, (b0+b1)*r/n // mean(h), mean(h·x̂)
	for i, v := range x {
		o[i] = T(r * (float64(h[i]) - a - (float64(v)-mean)*r*beta))
	}
}

// normTask runs standardizeRow (h nil) or standardizeGradRow over whole rows of n elements for
// the worker pool, from a free list so that a steady step allocates nothing.
type normTask[T float] struct {
	o, x, h []T
	n       int
	eps     float64
}

// Run runs the kernel on rows [lo, hi).
func (t *normTask[T]) Run(lo, hi int) {
	for r := lo; r < hi; r++ {
		s, e := r*t.n, (r+1)*t.n
		if t.h == nil {
			standardizeRow(t.o[s:e], t.x[s:e], t.eps)
		} else {
			standardizeGradRow(t.o[s:e], t.x[s:e], t.h[s:e], t.eps)
		}
	}
}

var (
	normTasks32 freelist.List[normTask[float32]]
	normTasks64 freelist.List[normTask[float64]]
)

func runNorm[T float](list *freelist.List[normTask[T]], o, x, h []T, n int, eps float64) {
	if n == 0 || len(o) == 0 {
		return
	}
	t := list.Get()
	t.o, t.x, t.h, t.n, t.eps = o, x, h, n, eps
	parallel.ForTask(len(o)/n, max(1, grain/n), t)
	*t = normTask[T]{}
	list.Put(t)
}

// standardizeParts returns, for the rules, x̂ = Standardize(x) and r = 1/√(var + eps) with the
// last axes axes kept as size 1, as graph ops.
func standardizeParts(x ag.Var, axes int, eps float64) (xhat, r ag.Var) {
	rank := len(x.Shape())
	ax := make([]int, axes)
	for i := range ax {
		ax[i] = rank - axes + i
	}
	c := Sub(x, MeanKeepDims(x, ax...))
	r = PowConst(Sqrt(AddScalar(MeanKeepDims(Square(c), ax...), eps)), -1)
	return Standardize(x, axes, eps), r
}

// standardizeGradDX is the rule of z = standardizeGrad(h, x) for x, applied to k:
// −r·(mean(k·z)·x̂ + mean(k·x̂)·z + mean(h·x̂)·standardizeGrad(k, x)), means over each row
// (the Jacobian in x is symmetric, so this is also its JVP).
func standardizeGradDX(k, z ag.Var) ag.Var {
	h, x := in(z, 0), in(z, 1)
	axes, eps := z.Ints()[0], z.FloatAttr()
	rank := len(x.Shape())
	ax := make([]int, axes)
	for i := range ax {
		ax[i] = rank - axes + i
	}
	xhat, r := standardizeParts(x, axes, eps)
	mean := func(a, b ag.Var) ag.Var { return MeanKeepDims(Mul(a, b), ax...) }
	sum := Add(Add(Mul(mean(k, z), xhat), Mul(mean(k, xhat), z)), Mul(mean(h, xhat), standardizeGrad(k, x, axes, eps)))
	return Neg(Mul(r, sum))
}
