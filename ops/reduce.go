package ops

import (
	"slices"

	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// SumTo sums a down to shape, which must broadcast to a's shape (the inverse of BroadcastTo).
// It is the one summing primitive: Sum, Mean and every broadcasting rule use it. SumTo panics if
// shape does not broadcast to a's shape.
func SumTo(a ag.Var, shape ...int) ag.Var {
	const op = "ops.SumTo"
	sa := a.Check(op).Shape() // the accessors, not Operand: see unary
	if slices.Equal(sa, shape) {
		return a
	}
	if len(sa) > maxRank || !canBroadcastTo(shape, sa) {
		ag.Panicf(op, ag.ErrShape, "%s cannot be summed to %s: %s does not broadcast to %s", shapeStr(sa), shapeStr(shape), shapeStr(shape), shapeStr(sa))
	}
	dt := a.DType()
	out := ag.NewResult(sumToOp, dt, shape, a)
	if dt == ag.Float32 {
		reduceTo(out.Data32(), a.Data32(), sa, shape, false)
	} else {
		reduceTo(out.Data64(), a.Data64(), sa, shape, false)
	}
	return out
}

// maxTo is SumTo with max instead of sum; see MaxKeepDims.
func maxTo(a ag.Var, shape []int) ag.Var {
	out := ag.NewResult(maxToOp, a.DType(), shape, a)
	if a.DType() == ag.Float32 {
		reduceTo(out.Data32(), a.Data32(), a.Shape(), shape, true)
	} else {
		reduceTo(out.Data64(), a.Data64(), a.Shape(), shape, true)
	}
	return out
}

// reduceTo reduces a (shape sa) into o (shape so, which broadcasts to sa) by sum or max. Max
// propagates NaN.
func reduceTo[T float](o, a []T, sa, so []int, isMax bool) {
	init := T(0)
	if isMax {
		init = T(math.Inf(-1))
	}
	for i := range o {
		o[i] = init
	}
	accumulateTo(o, a, sa, so, isMax)
}

// accumulateTo is reduceTo without the start from 0 (or −∞): it adds a's sums to o's values, or
// takes their maxima with them.
func accumulateTo[T float](o, a []T, sa, so []int, isMax bool) {
	if len(o) == 1 {
		if isMax {
			o[0] = reduceAll(a, o[0], true)
		} else {
			sumAllInto(o, a)
		}
		return
	}
	if n := sa[len(sa)-1]; !isMax && len(o) == n && n > 0 && so[len(so)-1] == n {
		// the sum over every row, as a bias gradient is
		if !sumBiasInto(o, a, n) {
			columnSums64(o, a, n)
		}
		return
	}
	// Adjacent axes that both operands walk as one are merged, so that rows are as long as they
	// can be: a per-channel sum of images, (N, C, H, W) to (1, C, 1, 1), goes by rows of H·W.
	t := reduceTask[T]{o: o, a: a, isMax: isMax}
	t.st = [4]dims{contiguousStrides(sa), broadcastStrides(so, sa)}
	copy(t.shape[:], sa)
	t.rank = coalesce(&t.shape, len(sa), &t.st, 2)
	t.ax = keptAxis(t.shape[:t.rank], &t.st)
	if t.ax < 0 || !parallel.Worth(len(a), grain) {
		reduceRows(o, a, t.shape[:t.rank], &t.st, isMax)
		return
	}
	var pool any = &reduceTasks64
	if isF32[T]() {
		pool = &reduceTasks32
	}
	list := pool.(*freelist.List[reduceTask[T]])
	pt := list.Get()
	*pt = t
	d := t.shape[t.ax]
	parallel.ForTask(d, max(1, grain/(len(a)/d)), pt)
	*pt = reduceTask[T]{}
	list.Put(pt)
}

// reduceRows is accumulateTo's loop: every row (along the last axis) of a, of the given shape and
// strides st[0], summed (or maxed) into o at strides st[1].
func reduceRows[T float](o, a []T, shape []int, st *[4]dims, isMax bool) {
	r := len(shape)
	n := shape[r-1]
	inner := st[1][r-1]
	forRows(shape, st, func(off [4]int) {
		row := a[off[0] : off[0]+n]
		if inner == 0 {
			o[off[1]] = reduceRow(row, o[off[1]], isMax)
			return
		}
		dst := o[off[1] : off[1]+n]
		if isMax {
			for i, v := range row {
				if v > dst[i] || v != v {
					dst[i] = v
				}
			}
		} else {
			for i, v := range row {
				dst[i] += v
			}
		}
	})
}

// keptAxis returns the outermost axis but the last of shape that the result keeps (a non-zero
// stride in st[1]) and that has two indices or more, or −1 if there is none. The cores can split
// it: each takes results of its own, summed in the order one core would sum them (the per-channel
// sums of a batch of images split by channels), so the bits do not depend on the split.
func keptAxis(shape []int, st *[4]dims) int {
	for ax := 0; ax < len(shape)-1; ax++ {
		if st[1][ax] != 0 && shape[ax] > 1 {
			return ax
		}
	}
	return -1
}

// reduceTask is accumulateTo's loop over a range of indices of axis ax for the worker pool, from a
// free list so that a steady step allocates nothing.
type reduceTask[T float] struct {
	o, a  []T
	shape dims
	rank  int
	st    [4]dims
	ax    int
	isMax bool
}

// Run reduces the rows whose index along axis ax lies in [lo, hi).
func (t *reduceTask[T]) Run(lo, hi int) {
	shape := t.shape
	shape[t.ax] = hi - lo
	reduceRows(t.o[lo*t.st[1][t.ax]:], t.a[lo*t.st[0][t.ax]:], shape[:t.rank], &t.st, t.isMax)
}

var (
	reduceTasks32 freelist.List[reduceTask[float32]]
	reduceTasks64 freelist.List[reduceTask[float64]]
)

// reduceAll reduces all of a into acc, on several cores for large a: each chunk is reduced
// alone and the partial results are combined in chunk order, so the result is reproducible.
func reduceAll[T float](a []T, acc T, isMax bool) T {
	if !parallel.Worth(len(a), grain) {
		return reduceRow(a, acc, isMax)
	}
	var pool any = &reduceAllTasks64
	if isF32[T]() {
		pool = &reduceAllTasks32
	}
	list := pool.(*freelist.List[reduceAllTask[T]])
	t := list.Get()
	defer list.Put(t)
	k := parallel.Chunks(len(a), grain)
	parts := t.buf[:0]
	if k > len(t.buf) {
		parts = make([]T, 0, k)
	}
	t.a, t.parts, t.chunk, t.acc, t.isMax = a, parts[:k], (len(a)+k-1)/k, acc, isMax
	parallel.ForTask(len(a), grain, t)
	parts, t.a, t.parts = t.parts, nil, nil // the task must not keep a alive
	if isMax {
		return reduceRow(parts, acc, true)
	}
	s := T(0)
	for _, p := range parts {
		s += p
	}
	return s
}

func reduceRow[T float](row []T, acc T, isMax bool) T {
	if isMax {
		for _, v := range row {
			if v > acc || v != v {
				acc = v
			}
		}
		return acc
	}
	return acc + sumRow(row)
}

// sumRow adds up row with eight running sums, so that the additions do not wait on each other
// (one running sum is bound by the latency of an addition; on the 2-core AMD EPYC test machine
// eight summed 524,288 float32 values 22% faster than four, measured side by side). It sums
// blocks of sumBlock elements in T and adds the blocks' sums in float64: float32 running sums over
// millions of values drift by percents (0.1 added 4M times comes to 4% short), while PyTorch's
// cascaded float32 sums stay within a few ulps; float64 sums of every element would cost float32
// a tenth of its speed.
func sumRow[T float](row []T) T {
	total, row := sumBlocksVec(row) // the whole blocks with AVX (ops/sum_amd64.go), if any
	for len(row) > 0 {
		n := min(len(row), sumBlock)
		total += float64(sumBlockOf(row[:n]))
		row = row[n:]
	}
	return T(total)
}

// sumBlock is the block length of sumRow: eight additions per running sum.
const sumBlock = 64

func sumBlockOf[T float](row []T) T {
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	i := 0
	for ; i+8 <= len(row); i += 8 {
		r := row[i : i+8 : i+8]
		s0 += r[0]
		s1 += r[1]
		s2 += r[2]
		s3 += r[3]
		s4 += r[4]
		s5 += r[5]
		s6 += r[6]
		s7 += r[7]
	}
	for ; i < len(row); i++ {
		s0 += row[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// keepShape returns a's shape with the given axes (all when none) set to 1, checking them.
func keepShape(op string, sa []int, axes []int, buf *dims) []int {
	checkRank(op, sa)
	s := buf[:len(sa)]
	copy(s, sa)
	if len(axes) == 0 {
		for i := range s {
			s[i] = 1
		}
		return s
	}
	var seen dims
	for _, ax := range axes {
		i := checkAxis(op, ax, sa)
		if seen[i] != 0 {
			ag.Panicf(op, ag.ErrValue, "axes %v name axis %d of shape %s twice", append([]int(nil), axes...), i, shapeStr(sa))
		}
		seen[i] = 1
		s[i] = 1
	}
	return s
}

// dropShape returns sa without the given axes (all when none).
func dropShape(op string, sa []int, axes []int, buf *dims) []int {
	if len(axes) == 0 {
		return buf[:0]
	}
	checkRank(op, sa)
	var drop dims
	for _, ax := range axes {
		i := checkAxis(op, ax, sa)
		if drop[i] != 0 {
			ag.Panicf(op, ag.ErrValue, "axes %v name axis %d of shape %s twice", append([]int(nil), axes...), i, shapeStr(sa))
		}
		drop[i] = 1
	}
	s := buf[:0]
	for i, d := range sa {
		if drop[i] == 0 {
			s = append(s, d)
		}
	}
	return s
}

// Sum sums a over the given axes (all axes when none), dropping them: Sum(x) is a scalar. Sum
// panics if an axis is out of range, as do all reductions.
func Sum(a ag.Var, axes ...int) ag.Var {
	var k, d dims
	sa := a.Operand("ops.Sum").Shape
	if len(axes) == 0 { // a scalar broadcasts to every shape: one SumTo node, no Reshape
		checkRank("ops.Sum", sa)
		return SumTo(a)
	}
	return Reshape(SumTo(a, keepShape("ops.Sum", sa, axes, &k)...), dropShape("ops.Sum", sa, axes, &d)...)
}

// SumKeepDims sums a over the given axes (all when none), keeping them with size 1.
func SumKeepDims(a ag.Var, axes ...int) ag.Var {
	var k dims
	a.Check("ops.SumKeepDims")
	return SumTo(a, keepShape("ops.SumKeepDims", a.Shape(), axes, &k)...)
}

// Mean averages a over the given axes (all when none), dropping them.
func Mean(a ag.Var, axes ...int) ag.Var {
	var k dims
	keepShape("ops.Mean", a.Check("ops.Mean").Shape(), axes, &k)
	return MulScalar(Sum(a, axes...), 1/float64(reducedCount(a.Shape(), axes)))
}

// MeanKeepDims averages a over the given axes (all when none), keeping them with size 1.
func MeanKeepDims(a ag.Var, axes ...int) ag.Var {
	var k dims
	keepShape("ops.MeanKeepDims", a.Check("ops.MeanKeepDims").Shape(), axes, &k)
	return MulScalar(SumKeepDims(a, axes...), 1/float64(reducedCount(a.Shape(), axes)))
}

func reducedCount(sa []int, axes []int) int {
	if len(axes) == 0 {
		return numel(sa)
	}
	n := 1
	for _, ax := range axes {
		n *= sa[checkAxis("ops.Mean", ax, sa)]
	}
	return n
}

// MaxKeepDims returns the maximum of a over the given axes (all when none), keeping them with
// size 1. The gradient goes to the elements that attain the maximum, split evenly between ties.
// MaxKeepDims panics if a reduced axis is empty (an empty axis that is kept gives an empty result).
func MaxKeepDims(a ag.Var, axes ...int) ag.Var {
	const op = "ops.Max"
	sa := a.Operand(op).Shape
	var k dims
	s := keepShape(op, sa, axes, &k)
	for i, d := range sa {
		if d == 0 && s[i] == 1 {
			ag.Panicf(op, ag.ErrShape, "maximum over the empty axis %d of %s", i, shapeStr(sa))
		}
	}
	if slices.Equal(s, sa) {
		return a
	}
	return maxTo(a, s)
}

// Max returns the maximum of a over the given axes (all when none), dropping them.
func Max(a ag.Var, axes ...int) ag.Var {
	var d dims
	return Reshape(MaxKeepDims(a, axes...), dropShape("ops.Max", a.Shape(), axes, &d)...)
}

// MinKeepDims returns the minimum of a over the given axes, keeping them: −max(−a).
func MinKeepDims(a ag.Var, axes ...int) ag.Var {
	var k dims
	keepShape("ops.Min", a.Check("ops.Min").Shape(), axes, &k)
	return Neg(MaxKeepDims(Neg(a), axes...))
}

// Min returns the minimum of a over the given axes (all when none), dropping them.
func Min(a ag.Var, axes ...int) ag.Var {
	var k dims
	keepShape("ops.Min", a.Check("ops.Min").Shape(), axes, &k)
	return Neg(Max(Neg(a), axes...))
}

// reduceAllTask reduces the chunks of a into parts (buf, unless there are more chunks) for the
// worker pool. reduceAll lends the pool one from a free list rather than a closure, which would
// allocate at every call.
type reduceAllTask[T float] struct {
	a, parts []T
	chunk    int
	acc      T
	isMax    bool
	buf      [64]T
}

// Run reduces a[lo:hi], chunk lo/chunk.
func (t *reduceAllTask[T]) Run(lo, hi int) {
	t.parts[lo/t.chunk] = reduceRow(t.a[lo:hi], t.acc, t.isMax)
}

var (
	reduceAllTasks32 freelist.List[reduceAllTask[float32]]
	reduceAllTasks64 freelist.List[reduceAllTask[float64]]
)
