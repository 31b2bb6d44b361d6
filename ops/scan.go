package ops

import (
	"math"
	"slices"
	"sort"

	ag "github.com/gograd/gograd/autograd"
)

// Cumsum returns the running sums of a along axis ax, as torch.cumsum: out[…, i, …] =
// Σ_{j ≤ i} a[…, j, …]. The gradient is the running sum of g taken from the other end. Cumsum
// panics with an *autograd.Error if ax is out of range.
func Cumsum(a ag.Var, ax int) ag.Var {
	const op = "ops.Cumsum"
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	return cumsum(a, checkAxis(op, ax, sa), false)
}

// cumsum is the primitive: running sums along ax, from the far end when reverse is set.
func cumsum(a ag.Var, ax int, reverse bool) ag.Var {
	const op = "ops.Cumsum"
	x := a.Operand(op)
	out := ag.NewResult(cumsumOp, x.DType, x.Shape, a)
	rev := 0
	if reverse {
		rev = 1
	}
	out.SetInts(ax, rev)
	o := out.Operand(op)
	outer, inner := axisBlocks(x.Shape, ax)
	if x.DType == ag.Float32 {
		runningSum(o.F32, x.F32, outer, x.Shape[ax], inner, reverse)
	} else {
		runningSum(o.F64, x.F64, outer, x.Shape[ax], inner, reverse)
	}
	return out
}

// runningSum writes the running sums of a (outer blocks of n slices of inner elements) along the
// middle axis into o, from the last slice back when reverse is set.
func runningSum[T float](o, a []T, outer, n, inner int, reverse bool) {
	for b := range outer {
		blk, ob := a[b*n*inner:(b+1)*n*inner], o[b*n*inner:(b+1)*n*inner]
		for s := range n {
			i, prev := s, s-1
			if reverse {
				i, prev = n-1-s, n-s
			}
			cur, dst := blk[i*inner:(i+1)*inner], ob[i*inner:(i+1)*inner]
			if s == 0 {
				copy(dst, cur)
				continue
			}
			p := ob[prev*inner : (prev+1)*inner]
			for k, v := range cur {
				dst[k] = p[k] + v
			}
		}
	}
}

// ArgMax returns the positions of the maxima of a along axis ax, shaped like a without ax, as
// torch.argmax: the first position at ties, and a NaN counts as the maximum. No gradient flows
// through positions. ArgMax panics with an *autograd.Error if ax is out of range or the axis is
// empty.
func ArgMax(a ag.Var, ax int) Index { return argExtreme("ops.ArgMax", a, ax, 1) }

// ArgMin returns the positions of the minima of a along axis ax; see ArgMax.
func ArgMin(a ag.Var, ax int) Index { return argExtreme("ops.ArgMin", a, ax, -1) }

func argExtreme(op string, a ag.Var, ax int, sign float64) Index {
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	if sa[ax] == 0 {
		ag.Panicf(op, ag.ErrShape, "empty axis %d of %s", ax, shapeStr(sa))
	}
	outer, inner := axisBlocks(sa, ax)
	n := sa[ax]
	vals := a.Float64s()
	data := make([]int, outer*inner)
	for b := range outer {
		for k := range inner {
			best, bi := 0.0, 0
			for i := range n {
				v := sign * vals[(b*n+i)*inner+k]
				if i == 0 || v > best || v != v && best == best {
					best, bi = v, i
				}
			}
			data[b*inner+k] = bi
		}
	}
	shape := slices.Delete(slices.Clone(sa), ax, ax+1)
	x := Index{data: data, shape: shape}
	x.bounds()
	return x
}

// TopK returns the k largest elements of a along axis ax in descending order, and their
// positions, as torch.topk (ties keep the lower position first; a NaN counts as the largest).
// The values are a Gather of a, so the gradient flows to the picked elements. TopK panics with an
// *autograd.Error if ax is out of range or k is outside [0, a.Shape()[ax]].
func TopK(a ag.Var, k, ax int) (ag.Var, Index) {
	const op = "ops.TopK"
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	n := sa[ax]
	if k < 0 || k > n {
		ag.Panicf(op, ag.ErrValue, "k = %d is outside [0, %d] for axis %d of %s", k, n, ax, shapeStr(sa))
	}
	outer, inner := axisBlocks(sa, ax)
	vals := a.Float64s()
	shape := slices.Clone(sa)
	shape[ax] = k
	data := make([]int, outer*k*inner)
	order := make([]int, n)
	for b := range outer {
		for c := range inner {
			at := func(i int) float64 { return vals[(b*n+i)*inner+c] }
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(i, j int) bool {
				x, y := at(order[i]), at(order[j])
				return x > y || x != x && y == y
			})
			for j := range k {
				data[(b*k+j)*inner+c] = order[j]
			}
		}
	}
	x := Index{data: data, shape: shape}
	x.bounds()
	return Gather(a, ax, x), x
}

// Var returns the variance of a over the given axes (all when none), dropping them, with
// Bessel's correction c: Σ(a − mean)² / (N − c), as torch.var(correction=c) (c = 1 is the
// unbiased estimate, 0 the population variance). N − c ≤ 0 gives Inf or NaN, as in PyTorch.
// Var panics with an *autograd.Error if an axis is out of range or named twice.
func Var(a ag.Var, correction float64, axes ...int) ag.Var {
	var k, d dims
	sa := a.Operand("ops.Var").Shape
	keepShape("ops.Var", sa, axes, &k)
	n := float64(reducedCount(sa, axes))
	dev := Sub(a, MeanKeepDims(a, axes...))
	ss := SumTo(Square(dev), keepShape("ops.Var", sa, axes, &k)...)
	return MulScalar(Reshape(ss, dropShape("ops.Var", sa, axes, &d)...), 1/(n-correction))
}

// Std returns the standard deviation of a over the given axes with correction c: √Var(a, c).
func Std(a ag.Var, correction float64, axes ...int) ag.Var {
	return Sqrt(Var(a, correction, axes...))
}

// Norm returns the p-norm of a over the given axes (all when none), dropping them, for p = 1
// (Σ|a|), 2 (√Σa²) and +Inf (max |a|), as torch.linalg.vector_norm. The gradient at a zero
// vector is NaN for p = 2 (0/0); PyTorch gives 0 there. Norm panics with an *autograd.Error for
// another p.
func Norm(a ag.Var, p float64, axes ...int) ag.Var {
	const op = "ops.Norm"
	a.Check(op)
	switch {
	case p == 1:
		return Sum(Abs(a), axes...)
	case p == 2:
		return Sqrt(Sum(Square(a), axes...))
	case math.IsInf(p, 1):
		return Max(Abs(a), axes...)
	}
	ag.Panicf(op, ag.ErrValue, "p = %g; want 1, 2 or +Inf", p)
	return ag.Var{}
}
