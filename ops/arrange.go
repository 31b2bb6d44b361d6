package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// The operations of this file rearrange elements and are composed from the primitives Reshape,
// BroadcastTo, Slice, Concat and Where, so their gradients come from those rules.

// Unsqueeze inserts an axis of size 1 at position ax of the result, as torch.unsqueeze: ax lies
// in [−r−1, r] for a of rank r, negative values counting from the end. Unsqueeze panics with an
// *autograd.Error if ax is out of range.
func Unsqueeze(a ag.Var, ax int) ag.Var {
	const op = "ops.Unsqueeze"
	sa := a.Operand(op).Shape
	r := len(sa)
	if ax < 0 {
		ax += r + 1
	}
	if ax < 0 || ax > r {
		ag.Panicf(op, ag.ErrValue, "axis %d out of range for inserting into shape %s", ax, shapeStr(sa))
	}
	if r+1 > maxRank {
		return Reshape(a, slices.Insert(slices.Clone(sa), ax, 1)...)
	}
	var buf dims // no allocation for the usual ranks
	shape := buf[:r+1]
	copy(shape, sa[:ax])
	shape[ax] = 1
	copy(shape[ax+1:], sa[ax:])
	return Reshape(a, shape...)
}

// Squeeze removes the given axes if they have size 1, leaving other named axes as they are (as
// torch.squeeze); with no axes it removes every axis of size 1. Squeeze panics with an
// *autograd.Error if an axis is out of range.
func Squeeze(a ag.Var, axes ...int) ag.Var {
	const op = "ops.Squeeze"
	sa := a.Operand(op).Shape
	drop := make([]bool, len(sa))
	for d, n := range sa {
		drop[d] = len(axes) == 0 && n == 1
	}
	for _, ax := range axes {
		d := checkAxis(op, ax, sa)
		drop[d] = sa[d] == 1
	}
	shape := make([]int, 0, len(sa))
	for d, n := range sa {
		if !drop[d] {
			shape = append(shape, n)
		}
	}
	return Reshape(a, shape...)
}

// Expand broadcasts a to shape, as torch.expand: −1 keeps a dimension of a, and new leading
// axes may be added. Expand panics with an *autograd.Error if a does not broadcast to shape.
func Expand(a ag.Var, shape ...int) ag.Var {
	const op = "ops.Expand"
	sa := a.Operand(op).Shape
	if len(shape) < len(sa) {
		ag.Panicf(op, ag.ErrShape, "%s cannot expand to the lower rank of %s", shapeStr(sa), shapeStr(shape))
	}
	s := slices.Clone(shape)
	lead := len(s) - len(sa)
	for i, d := range s {
		if d == -1 {
			if i < lead {
				ag.Panicf(op, ag.ErrShape, "−1 in the new leading axis %d of %s", i, shapeStr(shape))
			}
			s[i] = sa[i-lead]
		}
	}
	if !canBroadcastTo(sa, s) {
		ag.Panicf(op, ag.ErrShape, "%s does not broadcast to %s", shapeStr(sa), shapeStr(s))
	}
	return BroadcastTo(a, s...)
}

// Stack joins xs, which must share one shape and dtype, along a new axis ax of the result, as
// torch.stack. Stack panics with an *autograd.Error if xs is empty, or shapes or dtypes differ.
func Stack(ax int, xs ...ag.Var) ag.Var {
	const op = "ops.Stack"
	if len(xs) == 0 {
		ag.Panicf(op, ag.ErrValue, "no operands")
	}
	s0 := xs[0].Operand(op).Shape
	us := make([]ag.Var, len(xs))
	for i, x := range xs {
		if s := x.Operand(op).Shape; !slices.Equal(s, s0) {
			ag.Panicf(op, ag.ErrShape, "operand %d has shape %s, operand 0 has %s", i, shapeStr(s), shapeStr(s0))
		}
		us[i] = Unsqueeze(x, ax)
	}
	return Concat(ax, us...)
}

// Split cuts a along axis ax into consecutive pieces of the given sizes, which must add up to
// the axis's size (torch.split with a list). Split panics with an *autograd.Error if a size is
// negative or the sizes do not add up.
func Split(a ag.Var, ax int, sizes ...int) []ag.Var {
	const op = "ops.Split"
	sa := a.Operand(op).Shape
	ax = checkAxis(op, ax, sa)
	total := 0
	for _, n := range sizes {
		if n < 0 {
			ag.Panicf(op, ag.ErrValue, "negative size in %v", slices.Clone(sizes))
		}
		total += n
	}
	if total != sa[ax] {
		ag.Panicf(op, ag.ErrValue, "sizes %v add up to %d, axis %d of %s has %d", slices.Clone(sizes), total, ax, shapeStr(sa), sa[ax])
	}
	out := make([]ag.Var, len(sizes))
	start := 0
	for i, n := range sizes {
		out[i] = Slice(a, ax, start, start+n)
		start += n
	}
	return out
}

// Chunk cuts a along axis ax into n pieces of ⌈size/n⌉ elements, the last one smaller, as
// torch.chunk (which may return fewer than n pieces). Chunk panics with an *autograd.Error if
// n < 1.
func Chunk(a ag.Var, n, ax int) []ag.Var {
	const op = "ops.Chunk"
	sa := a.Operand(op).Shape
	ax = checkAxis(op, ax, sa)
	if n < 1 {
		ag.Panicf(op, ag.ErrValue, "%d chunks; want at least 1", n)
	}
	size := sa[ax]
	step := max(1, (size+n-1)/n)
	var sizes []int
	for s := 0; s < size; s += step {
		sizes = append(sizes, min(step, size-s))
	}
	if size == 0 {
		sizes = []int{0}
	}
	return Split(a, ax, sizes...)
}

// Repeat tiles a reps[i] times along axis i, as torch.Tensor.repeat: reps may be longer than a's
// rank, which then gains leading axes. Repeat panics with an *autograd.Error if reps is shorter
// than the rank or a count is negative.
func Repeat(a ag.Var, reps ...int) ag.Var {
	const op = "ops.Repeat"
	sa := a.Operand(op).Shape
	if len(reps) < len(sa) {
		ag.Panicf(op, ag.ErrShape, "%d repeats for shape %s; want at least its rank", len(reps), shapeStr(sa))
	}
	return tile(op, a, reps)
}

// Tile tiles a reps[i] times along axis i, as numpy.tile and torch.tile: reps shorter than the
// rank is padded with leading 1s, longer adds leading axes to a. Tile panics with an
// *autograd.Error if a count is negative.
func Tile(a ag.Var, reps ...int) ag.Var {
	const op = "ops.Tile"
	sa := a.Operand(op).Shape
	if len(reps) < len(sa) {
		reps = append(slices.Repeat([]int{1}, len(sa)-len(reps)), reps...)
	}
	return tile(op, a, reps)
}

func tile(op string, a ag.Var, reps []int) ag.Var {
	sa := a.Shape()
	for _, r := range reps {
		if r < 0 {
			ag.Panicf(op, ag.ErrValue, "negative count in %v", reps)
		}
	}
	shape := append(slices.Repeat([]int{1}, len(reps)-len(sa)), sa...)
	checkRank(op, shape)
	x := Reshape(a, shape...)
	for ax, r := range reps {
		switch r {
		case 0:
			x = Slice(x, ax, 0, 0)
		case 1:
		default:
			x = Concat(ax, slices.Repeat([]ag.Var{x}, r)...)
		}
	}
	return x
}

// Roll shifts the elements of a along axis ax by shift positions, wrapping around, as
// torch.roll: out[(i + shift) mod n] = a[i]. Roll panics with an *autograd.Error if ax is out of
// range.
func Roll(a ag.Var, shift, ax int) ag.Var {
	const op = "ops.Roll"
	sa := a.Operand(op).Shape
	ax = checkAxis(op, ax, sa)
	n := sa[ax]
	if n == 0 {
		return a
	}
	s := ((shift % n) + n) % n
	if s == 0 {
		return a
	}
	return Concat(ax, Slice(a, ax, n-s, n), Slice(a, ax, 0, n-s))
}

// Tril keeps the elements of a on and below the k-th diagonal of its last two axes and zeroes
// the rest, as torch.tril (k > 0 above the main diagonal, k < 0 below). Tril panics with an
// *autograd.Error if a has fewer than two axes.
func Tril(a ag.Var, k int) ag.Var { return triangle("ops.Tril", a, k, true) }

// Triu keeps the elements on and above the k-th diagonal of the last two axes; see Tril.
func Triu(a ag.Var, k int) ag.Var { return triangle("ops.Triu", a, k, false) }

func triangle(op string, a ag.Var, k int, lower bool) ag.Var {
	sa := a.Operand(op).Shape
	if len(sa) < 2 {
		ag.Panicf(op, ag.ErrShape, "%s has fewer than two axes", shapeStr(sa))
	}
	m, n := sa[len(sa)-2], sa[len(sa)-1]
	mask := make([]float64, m*n)
	for i := range m {
		for j := range n {
			if lower && j-i <= k || !lower && j-i >= k {
				mask[i*n+j] = 1
			}
		}
	}
	c := Cast(TapeOf(a).Const(mask, m, n), a.DType())
	return Where(c, a, zeroLike(a))
}

// MaskedFill returns a with value wherever mask is non-zero, as torch.masked_fill; mask
// broadcasts to a's shape and has a's dtype (a comparison's result, for instance). No gradient
// flows to the filled elements or to the mask. MaskedFill panics with an *autograd.Error if the
// shapes do not broadcast or the dtypes differ.
func MaskedFill(a, mask ag.Var, value float64) ag.Var {
	const op = "ops.MaskedFill"
	sa, sm := a.Operand(op).Shape, mask.Operand(op).Shape
	var b dims
	if s := broadcastShape(op, sa, sm, &b); !slices.Equal(s, sa) {
		ag.Panicf(op, ag.ErrShape, "mask %s does not broadcast to %s", shapeStr(sm), shapeStr(sa))
	}
	return Where(mask, ScalarLike(a, value), a)
}
