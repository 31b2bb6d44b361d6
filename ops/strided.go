package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// End, as a Range's Stop, runs the range to the end of the axis in the direction of its step:
// past the last element for a positive step, before the first for a negative one (Python's
// omitted stop, a[start::step]).
const End = math.MaxInt

// Range selects start:stop:step along one axis, as a Python slice: negative Start and Stop count
// from the end of the axis, values beyond either end are clamped, Step may be negative (read
// backwards), and Step 0 means 1. Use End as Stop for an open end.
type Range struct {
	Axis, Start, Stop, Step int
}

// bounds returns the first position, the step and the number of elements r selects on an axis
// of size n, as Python's slice.indices.
func (r Range) bounds(n int) (start, step, count int) {
	step = r.Step
	if step == 0 {
		step = 1
	}
	lower, upper := 0, n
	if step < 0 {
		lower, upper = -1, n-1
	}
	clamp := func(i int) int {
		if i < 0 {
			i += n
			if i < lower {
				i = lower
			}
		} else if i > upper {
			i = upper
		}
		return i
	}
	start = clamp(r.Start)
	stop := upper
	if step < 0 {
		stop = lower
	}
	if r.Stop != End {
		stop = clamp(r.Stop)
	}
	switch {
	case step > 0 && stop > start:
		count = (stop-start-1)/step + 1
	case step < 0 && start > stop:
		count = (start-stop-1)/(-step) + 1
	}
	return start, step, count
}

// SliceAxes returns a[r₀, r₁, …]: on every axis a Range names, the elements it selects; other
// axes whole (NumPy's basic slicing, a[1:5:2, ::-1]). The result is a copy. Its gradient
// places g back at the selected positions, zero elsewhere. SliceAxes panics with an
// *autograd.Error if an axis is out of range or named twice.
func SliceAxes(a ag.Var, ranges ...Range) ag.Var {
	const op = "ops.SliceAxes"
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	r := len(sa)
	var starts, steps, counts, seen dims
	for d := range r {
		steps[d], counts[d] = 1, sa[d]
	}
	for _, rg := range ranges {
		d := checkAxis(op, rg.Axis, sa)
		if seen[d] != 0 {
			ag.Panicf(op, ag.ErrValue, "axis %d of shape %s is sliced twice", d, shapeStr(sa))
		}
		seen[d] = 1
		starts[d], steps[d], counts[d] = rg.bounds(sa[d])
	}
	return stridedSlice(a, starts[:r], steps[:r], counts[:r])
}

// Flip reverses a along the given axes (all when none), as torch.flip. Flip panics with an
// *autograd.Error if an axis is out of range or named twice.
func Flip(a ag.Var, axes ...int) ag.Var {
	const op = "ops.Flip"
	sa := a.Operand(op).Shape
	var k dims
	keepShape(op, sa, axes, &k) // checks the axes
	rs := make([]Range, 0, len(sa))
	if len(axes) == 0 {
		for d := range sa {
			rs = append(rs, Range{Axis: d, Start: -1, Stop: End, Step: -1})
		}
	}
	for _, ax := range axes {
		rs = append(rs, Range{Axis: checkAxis(op, ax, sa), Start: -1, Stop: End, Step: -1})
	}
	return SliceAxes(a, rs...)
}

// stridedSlice is the primitive: out[i] = a[start + i·step] on every axis.
func stridedSlice(a ag.Var, starts, steps, counts []int) ag.Var {
	const op = "ops.SliceAxes"
	x := a.Operand(op)
	out := ag.NewResult(stridedSliceOp, x.DType, counts, a)
	out.SetInts(stridedInts(starts, steps, x.Shape)...)
	o := out.Operand(op)
	if x.DType == ag.Float32 {
		stridedCopy(o.F32, x.F32, x.Shape, starts, steps, counts, false)
	} else {
		stridedCopy(o.F64, x.F64, x.Shape, starts, steps, counts, false)
	}
	return out
}

// stridedScatter is the adjoint of stridedSlice: zeros of shape with g placed at start + i·step.
func stridedScatter(g ag.Var, shape, starts, steps []int) ag.Var {
	const op = "ops.StridedScatter"
	x := g.Operand(op)
	out := ag.NewResult(stridedScatterOp, x.DType, shape, g)
	out.SetInts(stridedInts(starts, steps, shape)...)
	o := out.Operand(op)
	if x.DType == ag.Float32 {
		clear(o.F32)
		stridedCopy(x.F32, o.F32, shape, starts, steps, x.Shape, true)
	} else {
		clear(o.F64)
		stridedCopy(x.F64, o.F64, shape, starts, steps, x.Shape, true)
	}
	return out
}

// stridedInts packs the attributes of both strided primitives: starts, then steps, then the
// full shape (a's for the slice, the output's for the scatter).
func stridedInts(starts, steps, full []int) []int {
	s := make([]int, 0, 3*len(full))
	return append(append(append(s, starts...), steps...), full...)
}

// stridedAttrs unpacks stridedInts.
func stridedAttrs(y ag.Var) (starts, steps, full []int) {
	s := y.Ints()
	r := len(s) / 3
	return s[:r], s[r : 2*r], s[2*r:]
}

// stridedCopy copies between the dense array small (shape counts) and the positions start +
// i·step of big (shape full): small ← big, or big ← small when scatter is set.
func stridedCopy[T float](small, big []T, full, starts, steps, counts []int, scatter bool) {
	if numel(counts) == 0 {
		return
	}
	r := len(full)
	if r == 0 {
		if scatter {
			big[0] = small[0]
		} else {
			small[0] = big[0]
		}
		return
	}
	fs := contiguousStrides(full)
	var st [4]dims
	st[0] = contiguousStrides(counts)
	base := 0
	for d := range r {
		st[1][d] = fs[d] * steps[d]
		base += starts[d] * fs[d]
	}
	n, inner := counts[r-1], st[1][r-1]
	forRows(counts, &st, func(off [4]int) {
		s, j := small[off[0]:off[0]+n], base+off[1]
		if inner == 1 {
			if scatter {
				copy(big[j:j+n], s)
			} else {
				copy(s, big[j:j+n])
			}
			return
		}
		for k := range s {
			if scatter {
				big[j] = s[k]
			} else {
				s[k] = big[j]
			}
			j += inner
		}
	})
}
