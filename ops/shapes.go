package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Reshape returns a view of a with a new shape and the same elements; no data is copied. One
// dimension may be −1, inferred from the others. Reshape panics if the element counts differ.
func Reshape(a ag.Var, shape ...int) ag.Var {
	const op = "ops.Reshape"
	a.Check(op)
	var buf dims
	if len(shape) > maxRank {
		ag.Panicf(op, ag.ErrShape, "rank %d exceeds the supported %d", len(shape), maxRank)
	}
	s := buf[:len(shape)]
	copy(s, shape)
	infer, known := -1, 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			ag.Panicf(op, ag.ErrShape, "%s to %s: bad dimension %d", shapeStr(a.Shape()), shapeStr(shape), d)
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || a.Len()%known != 0 {
			ag.Panicf(op, ag.ErrShape, "cannot reshape %s (%d elements) to %s", shapeStr(a.Shape()), a.Len(), shapeStr(shape))
		}
		s[infer] = a.Len() / known
	}
	if slices.Equal(s, a.Shape()) {
		return a
	}
	if numel(s) != a.Len() {
		ag.Panicf(op, ag.ErrShape, "cannot reshape %s (%d elements) to %s (%d elements)", shapeStr(a.Shape()), a.Len(), shapeStr(s), numel(s))
	}
	return ag.View(reshapeOp, a, s)
}

// Flatten reshapes a to a vector.
func Flatten(a ag.Var) ag.Var { return Reshape(a, -1) }

// BroadcastTo expands a to shape by NumPy's rules (Expand in PyTorch). BroadcastTo panics if a
// does not broadcast to shape.
func BroadcastTo(a ag.Var, shape ...int) ag.Var {
	const op = "ops.BroadcastTo"
	sa := a.Check(op).Shape() // the accessors, not Operand: see unary
	if slices.Equal(sa, shape) {
		return a
	}
	if len(shape) > maxRank || !canBroadcastTo(sa, shape) {
		ag.Panicf(op, ag.ErrShape, "%s does not broadcast to %s", shapeStr(sa), shapeStr(shape))
	}
	dt := a.DType()
	out := ag.NewResult(broadcastOp, dt, shape, a)
	if dt == ag.Float32 {
		broadcastCopy(out.Data32(), a.Data32(), sa, shape)
	} else {
		broadcastCopy(out.Data64(), a.Data64(), sa, shape)
	}
	return out
}

func broadcastCopy[T float](o, a []T, sa, shape []int) {
	if len(a) == 1 {
		fillPar(o, a[0])
		return
	}
	st := [4]dims{contiguousStrides(shape), broadcastStrides(sa, shape)}
	r := len(shape)
	n := shape[r-1]
	inner := st[1][r-1]
	forRows(shape, &st, func(off [4]int) {
		if inner == 1 {
			copy(o[off[0]:off[0]+n], a[off[1]:off[1]+n])
			return
		}
		v := a[off[1]]
		for i := off[0]; i < off[0]+n; i++ {
			o[i] = v
		}
	})
}

func fillSlice[T float](o []T, v T) {
	// A loop storing v element by element ran at several nanoseconds an element; copying a
	// filled head onto the rest moves memory at copy's speed. The head doubles up to
	// fillHead elements and is then copied as is: a head that kept doubling would be read from
	// beyond the L1 cache, and filling 2 MB took 2.4 times as long (62 against 25 µs).
	n := min(len(o), 32)
	for i := range o[:n] {
		o[i] = v
	}
	for n < len(o) && n < fillHead {
		n += copy(o[n:], o[:n])
	}
	head := o[:n]
	for n < len(o) {
		n += copy(o[n:], head)
	}
}

// fillHead is how long fillSlice's head grows: 4 KB of float32, 8 KB of float64, well inside
// an L1 data cache.
const fillHead = 1024

// Transpose permutes the axes of a; with no permutation it reverses them (the matrix transpose
// for 2-D). Transpose panics if perm is not a permutation of a's axes.
func Transpose(a ag.Var, perm ...int) ag.Var {
	const op = "ops.Transpose"
	a.Check(op)
	sa := a.Shape()
	checkRank(op, sa)
	r := len(sa)
	var pbuf dims
	if len(perm) == 0 {
		perm = pbuf[:r]
		for i := range perm {
			perm[i] = r - 1 - i
		}
	}
	if len(perm) != r {
		badPerm(op, ag.ErrShape, "permutation %v for shape %s", perm, shapeStr(sa))
	}
	var seen dims
	var buf dims
	shape := buf[:r]
	for i, p := range perm {
		if p < 0 || p >= r || seen[p] != 0 {
			badPerm(op, ag.ErrValue, "%v is not a permutation of %d axes", perm, r)
		}
		seen[p] = 1
		shape[i] = sa[p]
	}
	out := ag.NewResult(transposeOp, a.DType(), shape, a)
	out.SetInts(perm...)
	if a.DType() == ag.Float32 {
		permute(out.Data32(), a.Data32(), sa, shape, perm)
	} else {
		permute(out.Data64(), a.Data64(), sa, shape, perm)
	}
	return out
}

// badPerm panics with a copy of perm, so that perm does not escape and a caller's permutation
// stays on its stack.
//
//go:noinline
func badPerm(op string, kind error, format string, perm []int, arg any) {
	ag.Panicf(op, kind, format, slices.Clone(perm), arg)
}

func permute[T float](o, a []T, sa, shape, perm []int) {
	if len(shape) == 0 {
		o[0] = a[0]
		return
	}
	src := contiguousStrides(sa)
	var st [4]dims
	st[0] = contiguousStrides(shape)
	for i, p := range perm {
		st[1][i] = src[p]
	}
	r := len(shape)
	n, inner := shape[r-1], st[1][r-1]
	forRows(shape, &st, func(off [4]int) {
		j := off[1]
		for i := off[0]; i < off[0]+n; i++ {
			o[i] = a[j]
			j += inner
		}
	})
}

// axisBlocks returns, for axis ax of shape, the number of outer blocks and the size of one
// element along ax (the product of the later dimensions).
func axisBlocks(shape []int, ax int) (outer, inner int) {
	return numel(shape[:ax]), numel(shape[ax+1:])
}

// checkAxis panics unless 0 ≤ ax < rank, and returns ax with negative values counted from the
// end.
func checkAxis(op string, ax int, shape []int) int {
	r := len(shape)
	a := ax
	if a < 0 {
		a += r
	}
	if a < 0 || a >= r {
		ag.Panicf(op, ag.ErrValue, "axis %d out of range for shape %s", ax, shapeStr(shape))
	}
	return a
}

// Slice returns the elements start..end−1 of a along axis ax. Slice panics if the range is not
// within the axis.
func Slice(a ag.Var, ax, start, end int) ag.Var {
	const op = "ops.Slice"
	a.Check(op)
	sa := a.Shape()
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	if start < 0 || end > sa[ax] || start > end {
		ag.Panicf(op, ag.ErrValue, "range %d:%d out of bounds for axis %d of shape %s", start, end, ax, shapeStr(sa))
	}
	var buf dims
	shape := buf[:len(sa)]
	copy(shape, sa)
	shape[ax] = end - start
	out := ag.NewResult(sliceOp, a.DType(), shape, a)
	out.SetInts(ax, start, end)
	outer, n, stride, off := sliceBlocks(sa, ax, start, end)
	if a.DType() == ag.Float32 {
		copyBlocks(out.Data32(), a.Data32(), outer, n, stride, off)
	} else {
		copyBlocks(out.Data64(), a.Data64(), outer, n, stride, off)
	}
	return out
}

// sliceBlocks returns where a[start:end] along axis ax of a tensor of shape sa lies in it: outer
// blocks of n elements, stride apart, the first at off.
func sliceBlocks(sa []int, ax, start, end int) (outer, n, stride, off int) {
	outer, inner := axisBlocks(sa, ax)
	return outer, (end - start) * inner, sa[ax] * inner, start * inner
}

// copyBlocks copies outer blocks of n elements from src (blocks srcStride apart, starting at
// srcOff) into consecutive blocks of dst.
func copyBlocks[T float](dst, src []T, outer, n, srcStride, srcOff int) {
	for i := 0; i < outer; i++ {
		copy(dst[i*n:(i+1)*n], src[i*srcStride+srcOff:])
	}
}

// Pad adds before and after zeros along axis ax. Pad panics if a count is negative or the result
// would have more than autograd.MaxElements elements.
func Pad(a ag.Var, ax, before, after int) ag.Var {
	const op = "ops.Pad"
	a.Check(op)
	sa := a.Shape()
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	if before < 0 || after < 0 {
		ag.Panicf(op, ag.ErrValue, "negative padding %d, %d", before, after)
	}
	if before > ag.MaxElements || after > ag.MaxElements {
		ag.Panicf(op, ag.ErrShape, "padding %d, %d of %s makes more than MaxElements (2^40) elements", before, after, ag.FormatShape(sa))
	}
	var buf dims
	shape := buf[:len(sa)]
	copy(shape, sa)
	shape[ax] += before + after
	out := ag.NewResult(padOp, a.DType(), shape, a)
	out.SetInts(ax, before, after)
	outer, inner := axisBlocks(sa, ax)
	if a.DType() == ag.Float32 {
		o := out.Data32()
		clear(o)
		scatterBlocks(o, a.Data32(), outer, sa[ax]*inner, shape[ax]*inner, before*inner)
	} else {
		o := out.Data64()
		clear(o)
		scatterBlocks(o, a.Data64(), outer, sa[ax]*inner, shape[ax]*inner, before*inner)
	}
	return out
}

// scatterBlocks copies consecutive blocks of n elements of src into dst, blocks dstStride apart
// starting at dstOff.
func scatterBlocks[T float](dst, src []T, outer, n, dstStride, dstOff int) {
	for i := 0; i < outer; i++ {
		copy(dst[i*dstStride+dstOff:i*dstStride+dstOff+n], src[i*n:(i+1)*n])
	}
}

// Concat joins xs along axis ax. Concat panics if xs is empty, or if shapes differ in another
// axis or dtypes differ.
func Concat(ax int, xs ...ag.Var) ag.Var {
	const op = "ops.Concat"
	if len(xs) == 0 {
		ag.Panicf(op, ag.ErrValue, "no operands")
	}
	for _, x := range xs {
		x.Check(op)
	}
	s0 := xs[0].Shape()
	checkRank(op, s0)
	ax = checkAxis(op, ax, s0)
	var buf dims
	shape := buf[:len(s0)]
	copy(shape, s0)
	shape[ax] = 0
	dt := xs[0].DType()
	for i, x := range xs {
		s := x.Shape()
		if x.DType() != dt {
			ag.Panicf(op, ag.ErrDType, "operand %d is %v, operand 0 is %v", i, x.DType(), dt)
		}
		if len(s) != len(s0) {
			ag.Panicf(op, ag.ErrShape, "operand %d has shape %s, operand 0 has %s", i, shapeStr(s), shapeStr(s0))
		}
		for d := range s {
			if d != ax && s[d] != s0[d] {
				ag.Panicf(op, ag.ErrShape, "operand %d has shape %s, operand 0 has %s: they differ outside axis %d", i, shapeStr(s), shapeStr(s0), ax)
			}
		}
		shape[ax] += s[ax]
	}
	out := ag.NewResult(concatOp, dt, shape, xs...)
	out.SetInts(ax)
	outer, inner := axisBlocks(shape, ax)
	off := 0
	for _, x := range xs {
		n := x.Shape()[ax] * inner
		if dt == ag.Float32 {
			scatterBlocks(out.Data32(), x.Data32(), outer, n, shape[ax]*inner, off)
		} else {
			scatterBlocks(out.Data64(), x.Data64(), outer, n, shape[ax]*inner, off)
		}
		off += n
	}
	return out
}
