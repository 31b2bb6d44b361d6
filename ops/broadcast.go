package ops

import (
	"slices"

	"github.com/gograd/gograd/autograd"
)

// maxRank is the largest rank the strided kernels handle.
const maxRank = 8

type dims [maxRank]int

// broadcastShape returns the NumPy broadcast of shapes a and b, stored in buf, or panics naming
// op.
func broadcastShape(op string, a, b []int, buf *dims) []int {
	if slices.Equal(a, b) {
		return a
	}
	r := max(len(a), len(b))
	if r > maxRank {
		autograd.Panicf(op, autograd.ErrShape, "rank %d exceeds the supported %d", r, maxRank)
	}
	out := buf[:r]
	for i := 1; i <= r; i++ {
		da, db := dimFromEnd(a, i), dimFromEnd(b, i)
		switch {
		case da == db || db == 1:
			out[r-i] = da
		case da == 1:
			out[r-i] = db
		default:
			autograd.Panicf(op, autograd.ErrShape, "%s and %s do not broadcast: dimension %d is %d and %d",
				autograd.FormatShape(a), autograd.FormatShape(b), r-i, da, db)
		}
	}
	return out
}

// checkRank panics naming op if shape has more axes than the strided kernels handle.
func checkRank(op string, shape []int) {
	if len(shape) > maxRank {
		autograd.Panicf(op, autograd.ErrShape, "%s: rank %d exceeds the supported %d", shapeStr(shape), len(shape), maxRank)
	}
}

func dimFromEnd(s []int, i int) int {
	if i > len(s) {
		return 1
	}
	return s[len(s)-i]
}

// broadcastStrides returns the element strides of an operand of shape s read as shape out
// (which s broadcasts to): 0 along broadcast and missing leading dimensions.
func broadcastStrides(s, out []int) dims {
	var st dims
	stride := 1
	for i := 1; i <= len(s); i++ {
		d := s[len(s)-i]
		if d != 1 {
			st[len(out)-i] = stride
		}
		stride *= d
	}
	return st
}

// canBroadcastTo reports whether s broadcasts to out without changing out.
func canBroadcastTo(s, out []int) bool {
	if len(s) > len(out) {
		return false
	}
	for _, d := range out {
		if d < 0 {
			return false
		}
	}
	for i := 1; i <= len(s); i++ {
		if d := s[len(s)-i]; d != 1 && d != out[len(out)-i] {
			return false
		}
	}
	return true
}

// forRows calls fn once per row (run along the last axis) of shape, with the offset of that row
// in each of up to four operands whose strides are given. Rank-0 shapes have one row of one
// element.
func forRows(shape []int, st *[4]dims, fn func(off [4]int)) {
	if len(shape) == 0 {
		fn([4]int{})
		return
	}
	for _, d := range shape {
		if d == 0 {
			return
		}
	}
	var idx dims
	var off [4]int
	for {
		fn(off)
		if !nextRow(shape, st, &idx, &off) {
			return
		}
	}
}

// nextRow advances idx, the multi-index over all axes but the last of a row of shape, and off,
// its offsets in the operands of strides st, to the next row, and reports false after the last.
func nextRow(shape []int, st *[4]dims, idx *dims, off *[4]int) bool {
	for ax := len(shape) - 2; ax >= 0; ax-- {
		idx[ax]++
		for k := range off {
			off[k] += st[k][ax]
		}
		if idx[ax] < shape[ax] {
			return true
		}
		for k := range off {
			off[k] -= st[k][ax] * shape[ax]
		}
		idx[ax] = 0
	}
	return false
}

// seekRow sets idx and off as nextRow keeps them, for row number row of shape (row-major over
// all axes but the last).
func seekRow(shape []int, st *[4]dims, row int, idx *dims, off *[4]int) {
	*idx, *off = dims{}, [4]int{}
	for ax := len(shape) - 2; ax >= 0; ax-- {
		idx[ax] = row % shape[ax]
		row /= shape[ax]
		for k := range off {
			off[k] += idx[ax] * st[k][ax]
		}
	}
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func shapeStr(s []int) string { return autograd.FormatShape(s) }
