package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Gather picks elements of a along axis ax by index, as torch.gather: the result has index's
// shape, and
//
//	out[i₀, …, iₙ] = a[i₀, …, index[i₀, …, iₙ], …, iₙ]    (the index replaces i_ax)
//
// The index must have a's rank and be no larger than a in every axis but ax; its positions must
// lie in [0, a.Shape()[ax]). The gradient is ScatterAdd of g into zeros, so repeated positions
// accumulate. Gather panics with an *autograd.Error if an index is out of range or the shapes do
// not fit.
func Gather(a ag.Var, ax int, index Index) ag.Var {
	const op = "ops.Gather"
	x := a.Operand(op)
	sa := x.Shape
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	checkIndexShape(op, sa, ax, index.Shape(), false)
	index.checkRange(op, ax, sa[ax])
	out := ag.NewResult(gatherOp, x.DType, index.Shape(), a)
	out.SetAux(index.attr(ax))
	o := out.Operand(op)
	if x.DType == ag.Float32 {
		gather(o.F32, x.F32, sa, ax, index)
	} else {
		gather(o.F64, x.F64, sa, ax, index)
	}
	return out
}

// ScatterAdd returns a copy of a with the elements of src added at the positions index names
// along axis ax, as torch's a.scatter_add(ax, index, src): with the index replacing i_ax,
//
//	out[i₀, …, index[i₀, …, iₙ], …, iₙ] += src[i₀, …, iₙ]
//
// Repeated positions accumulate. src must have index's shape, and index a's rank, no larger
// than a in every axis but ax. ScatterAdd is the adjoint of Gather: ∂a = g, ∂src = Gather(g, ax,
// index). ScatterAdd panics with an *autograd.Error if an index is out of range, the shapes do
// not fit, or the dtypes differ.
func ScatterAdd(a ag.Var, ax int, index Index, src ag.Var) ag.Var {
	const op = "ops.ScatterAdd"
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	return scatterAddTo(a, sa, checkAxis(op, ax, sa), index, src)
}

// scatterAddTo is the primitive: ScatterAdd into a, or into zeros of shape sa when a is the
// zero Var (Gather's rule), which saves copying a zero operand. src is always the last input.
func scatterAddTo(a ag.Var, sa []int, ax int, index Index, src ag.Var) ag.Var {
	fits := func(op string, ss []int) {
		if !slices.Equal(ss, index.Shape()) {
			ag.Panicf(op, ag.ErrShape, "src %s and index %s differ in shape", shapeStr(ss), shapeStr(index.Shape()))
		}
		checkIndexShape(op, sa, ax, index.Shape(), false)
	}
	return addAt(scatterAddOp, a, sa, ax, index, src, fits,
		func(o, s []float32) { scatterAdd(o, s, sa, ax, index) },
		func(o, s []float64) { scatterAdd(o, s, sa, ax, index) })
}

// addAt is the frame of the two adding primitives, ScatterAdd and IndexAdd (op, src always its
// last input): it checks that a (unless the zero Var) and src have one dtype, that src's shape
// fits (fits panics naming the op otherwise) and that the positions lie along axis ax of sa,
// records op's result of shape sa, sets it to a's values, or zeros when a is the zero Var, and
// lets add32 or add64 add src's values at the positions.
func addAt(op *ag.Op, a ag.Var, sa []int, ax int, index Index, src ag.Var, fits func(op string, srcShape []int), add32 func(o, s []float32), add64 func(o, s []float64)) ag.Var {
	s := src.Operand(op.Name)
	dt := s.DType
	if !a.IsNil() && a.DType() != dt {
		ag.Panicf(op.Name, ag.ErrDType, "a is %v, src is %v", a.DType(), dt)
	}
	fits(op.Name, s.Shape)
	index.checkRange(op.Name, ax, sa[ax])
	var out ag.Var
	if a.IsNil() {
		out = ag.NewResult(op, dt, sa, src)
	} else {
		out = ag.NewResult(op, dt, sa, a, src)
	}
	out.SetAux(index.attr(ax))
	o := out.Operand(op.Name)
	if dt == ag.Float32 {
		baseInto(o.F32, a, func(v ag.Var) []float32 { return v.Data32() })
		add32(o.F32, s.F32)
	} else {
		baseInto(o.F64, a, func(v ag.Var) []float64 { return v.Data64() })
		add64(o.F64, s.F64)
	}
	return out
}

// baseInto sets o to a's values, or to zeros when a is the zero Var.
func baseInto[T float](o []T, a ag.Var, data func(ag.Var) []T) {
	if a.IsNil() {
		clearPar(o)
		return
	}
	copyPar(o, data(a))
}

// checkIndexShape panics unless an index of shape si fits a of shape sa along axis ax: the same
// rank, and no larger in the other axes (exactly equal when exact is set).
func checkIndexShape(op string, sa []int, ax int, si []int, exact bool) {
	if len(si) != len(sa) {
		ag.Panicf(op, ag.ErrShape, "index %s and operand %s differ in rank", shapeStr(si), shapeStr(sa))
	}
	for d := range si {
		if d != ax && (si[d] > sa[d] || exact && si[d] != sa[d]) {
			ag.Panicf(op, ag.ErrShape, "index %s is larger than operand %s in axis %d (only axis %d may differ)", shapeStr(si), shapeStr(sa), d, ax)
		}
	}
}

// gatherStrides returns the strides for forRows over the index shape si: the index's own
// (contiguous) and a's, with a's stride along ax set to 0 (the index supplies that coordinate),
// and a's stride along ax.
func gatherStrides(sa []int, ax int, si []int) (st [4]dims, axStride int) {
	st[0] = contiguousStrides(si)
	st[1] = contiguousStrides(sa)
	axStride = st[1][ax]
	st[1][ax] = 0
	return st, axStride
}

// gather sets o (index's shape) to the elements of a (shape sa) that index names along ax.
func gather[T float](o, a []T, sa []int, ax int, index Index) { walkIndex(a, sa, o, ax, index, false) }

// scatterAdd adds src (index's shape) into o (shape so) at the positions index names along ax.
func scatterAdd[T float](o, src []T, so []int, ax int, index Index) {
	walkIndex(o, so, src, ax, index, true)
}

// walkIndex pairs each element of flat (index's shape) with the element of dense (shape sd)
// that index names along ax, and copies the dense element to flat (gather), or adds the flat
// element to the dense one (scatter, add set). The choice is made per row, outside the loops.
func walkIndex[T float](dense []T, sd []int, flat []T, ax int, index Index, add bool) {
	si := index.Shape()
	if len(flat) == 0 {
		return
	}
	if len(si) == 0 {
		if add {
			dense[index.data[0]] += flat[0]
		} else {
			flat[0] = dense[index.data[0]]
		}
		return
	}
	st, axs := gatherStrides(sd, ax, si)
	idx := index.data
	n := si[len(si)-1]
	last := ax == len(si)-1
	forRows(si, &st, func(off [4]int) {
		row, pos, base := flat[off[0]:off[0]+n], idx[off[0]:off[0]+n], off[1]
		switch {
		case last && add:
			for k, p := range pos {
				dense[base+p] += row[k]
			}
		case last:
			for k, p := range pos {
				row[k] = dense[base+p]
			}
		case add:
			for k, p := range pos {
				dense[base+k+p*axs] += row[k]
			}
		default:
			for k, p := range pos {
				row[k] = dense[base+k+p*axs]
			}
		}
	})
}

// Take returns the elements of a at the given flat (row-major) positions, shaped like index, as
// torch.take. Its gradient scatters g back, accumulating repeated positions. Take panics with an
// *autograd.Error if a position is outside [0, a.Len()).
func Take(a ag.Var, index Index) ag.Var {
	a.Check("ops.Take")
	index.checkRange("ops.Take", 0, a.Len())
	return IndexSelect(Reshape(a, -1), 0, index)
}
