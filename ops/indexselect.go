package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// IndexSelect picks whole slices of a along axis ax, as torch.index_select but with an index of
// any shape (the embedding lookup): the result has shape a.Shape()[:ax] + index.Shape() +
// a.Shape()[ax+1:], and out[…, j…, …] = a[…, index[j…], …]. The gradient adds g's slices back
// with IndexAdd, so a position used several times accumulates. IndexSelect panics with an
// *autograd.Error if a position is outside [0, a.Shape()[ax]).
func IndexSelect(a ag.Var, ax int, index Index) ag.Var { return IndexSelectOn(nil, a, ax, index) }

// IndexSelectOn is IndexSelect recorded on t when a is a parameter (an embedding table looked up
// by positions, with no operand on a tape), rather than on the heap: the result, and the
// gradient of the table that Backward computes from it, then live in t's reused buffers. A nil
// t, or an a on a tape, gives IndexSelect. IndexSelectOn panics as IndexSelect does, and with an
// *autograd.Error wrapping ErrTapes if a is on a tape other than t.
func IndexSelectOn(t *ag.Tape, a ag.Var, ax int, index Index) ag.Var {
	const op = "ops.IndexSelect"
	x := a.Operand(op)
	sa := x.Shape
	checkRank(op, sa)
	ax = checkAxis(op, ax, sa)
	index.checkRange(op, ax, sa[ax])
	var buf [2 * maxRank]int
	shape := selectShape(op, buf[:0], sa, ax, index.Shape())
	out := ag.NewResultOn(t, indexSelectOp, x.DType, shape, a)
	out.SetAux(index.attr(ax))
	o := out.Operand(op)
	outer, inner := axisBlocks(sa, ax)
	if x.DType == ag.Float32 {
		indexSelect(o.F32, x.F32, outer, sa[ax], inner, index.data)
	} else {
		indexSelect(o.F64, x.F64, outer, sa[ax], inner, index.data)
	}
	return out
}

// IndexAdd returns a copy of a with the slices of src added at the positions index names along
// axis ax, as torch's a.index_add(ax, index, src) with an index of any shape: src has shape
// a.Shape()[:ax] + index.Shape() + a.Shape()[ax+1:], and out[…, index[j…], …] += src[…, j…, …].
// Repeated positions accumulate. IndexAdd is the adjoint of IndexSelect: ∂a = g, ∂src =
// IndexSelect(g, ax, index). IndexAdd panics with an *autograd.Error if a position is out of
// range, src's shape does not fit, or the dtypes differ.
func IndexAdd(a ag.Var, ax int, index Index, src ag.Var) ag.Var {
	const op = "ops.IndexAdd"
	sa := a.Operand(op).Shape
	checkRank(op, sa)
	return indexAddTo(a, sa, checkAxis(op, ax, sa), index, src)
}

// indexAddTo is the primitive: IndexAdd into a, or into zeros of shape sa when a is the zero Var
// (IndexSelect's rule), which saves copying a zero operand as large as an embedding table. src
// is always the last input.
func indexAddTo(a ag.Var, sa []int, ax int, index Index, src ag.Var) ag.Var {
	fits := func(op string, ss []int) {
		var buf [2 * maxRank]int
		if want := selectShape(op, buf[:0], sa, ax, index.Shape()); !slices.Equal(ss, want) {
			ag.Panicf(op, ag.ErrShape, "src %s does not fit operand %s and index %s along axis %d: want %s", shapeStr(ss), shapeStr(sa), shapeStr(index.Shape()), ax, shapeStr(want))
		}
	}
	outer, inner := axisBlocks(sa, ax)
	return addAt(indexAddOp, a, sa, ax, index, src, fits,
		func(o, s []float32) { indexAdd(o, s, outer, sa[ax], inner, index.data) },
		func(o, s []float64) { indexAdd(o, s, outer, sa[ax], inner, index.data) })
}

// selectShape appends sa[:ax] + si + sa[ax+1:] to buf, checking the rank.
func selectShape(op string, buf []int, sa []int, ax int, si []int) []int {
	s := append(append(append(buf, sa[:ax]...), si...), sa[ax+1:]...)
	checkRank(op, s)
	return s
}

// copyPar copies src into dst, on several cores when large.
func copyPar[T float](dst, src []T) {
	if parallel.Worth(len(dst), grain) {
		runMap(copySlice[T], nil, dst, src[:len(dst)], nil, grain)
		return
	}
	copy(dst, src)
}

func copySlice[T float](o, a []T) { copy(o, a) }

// clearPar zeroes o, on several cores when large.
func clearPar[T float](o []T) { fillPar(o, 0) }

// indexSelect copies, for each of outer blocks of a (n slices of inner elements each), the
// slices that idx names into consecutive slices of o. Rows are split over the cores when large.
func indexSelect[T float](o, a []T, outer, n, inner int, idx []int) {
	k := indexTask[T]{o: o, a: a, n: n, inner: inner, idx: idx}
	rows := outer * len(idx)
	if inner > 0 && parallel.Worth(len(o), grain) {
		runIndexTask(&k, rows, max(1, grain/inner))
		return
	}
	k.selectRows(0, rows)
}

// indexAdd adds consecutive slices of src into the slices of o that idx names. Repeated
// positions make rows collide, so large updates are split over the cores by columns (each core
// owns a range of every row) rather than by rows; the rows of a table (outer = 1, the gradient
// of an embedding lookup) are added whole by vmath's vector kernel instead, each core adding
// the rows of its own range of positions.
func indexAdd[T float](o, src []T, outer, n, inner int, idx []int) {
	if outer == 1 && inner >= minVecRow {
		k := indexTask[T]{o: o, a: src, n: n, inner: inner, idx: idx, add: true, rows: true}
		if parallel.Worth(len(src), grain) && n >= 2 {
			runIndexTask(&k, n, max(1, n/64))
			return
		}
		k.addRows(0, n)
		return
	}
	k := indexTask[T]{o: o, a: src, outer: outer, n: n, inner: inner, idx: idx, add: true}
	if inner >= 64 && parallel.Worth(len(src), grain) {
		runIndexTask(&k, inner, 32)
		return
	}
	k.addColumns(0, inner)
}

// indexTask holds the operands of indexSelect (a's slices copied to o) or indexAdd (a's slices
// added into o) for the worker pool. Handing the pool a closure would allocate at every call;
// runIndexTask lends it a task from a free list instead, so that an embedding step allocates
// nothing.
type indexTask[T float] struct {
	o, a            []T
	outer, n, inner int
	idx             []int
	add, rows       bool
}

// minVecRow is the shortest row that indexAdd adds with the vector kernel: below it, the call
// costs more than the Go loop.
const minVecRow = 16

// Run runs rows [lo, hi) of a selection, columns [lo, hi) of an addition, or the rows at
// positions [lo, hi) of an addition of whole rows.
func (k *indexTask[T]) Run(lo, hi int) {
	if k.rows {
		k.addRows(lo, hi)
		return
	}
	if k.add {
		k.addColumns(lo, hi)
		return
	}
	k.selectRows(lo, hi)
}

// selectRows copies rows [lo, hi) of the selection: row r is position r%m of block r/m.
func (k *indexTask[T]) selectRows(lo, hi int) {
	m, inner := len(k.idx), k.inner
	for r := lo; r < hi; r++ {
		b, j := r/m, r%m
		src := (b*k.n + k.idx[j]) * inner
		copy(k.o[r*inner:(r+1)*inner], k.a[src:src+inner])
	}
}

// addRows adds row j of a into row idx[j] of o for every j whose position lies in [lo, hi), in
// the order of j. c·x + y with c = 1 is x + y exactly, so the sums are those of addColumns.
func (k *indexTask[T]) addRows(lo, hi int) {
	if isF32[T]() {
		vmath.AddScaledRows32(as32(k.o), as32(k.a), k.inner, k.idx, lo, hi, 1)
		return
	}
	vmath.AddScaledRows64(as64(k.o), as64(k.a), k.inner, k.idx, lo, hi, 1)
}

// addColumns adds columns [lo, hi) of every slice of a into o.
func (k *indexTask[T]) addColumns(lo, hi int) {
	m, inner := len(k.idx), k.inner
	for b := 0; b < k.outer; b++ {
		for j, p := range k.idx {
			s := k.a[(b*m+j)*inner+lo : (b*m+j)*inner+hi]
			d := k.o[(b*k.n+p)*inner+lo : (b*k.n+p)*inner+hi]
			d = d[:len(s)]
			for c, v := range s {
				d[c] += v
			}
		}
	}
}

var (
	indexTasks32 freelist.List[indexTask[float32]]
	indexTasks64 freelist.List[indexTask[float64]]
)

// runIndexTask runs k over [0, n) on the cores with a copy of k from the free list.
func runIndexTask[T float](k *indexTask[T], n, grain int) {
	var pool any = &indexTasks64
	if isF32[T]() {
		pool = &indexTasks32
	}
	list := pool.(*freelist.List[indexTask[T]])
	t := list.Get()
	*t = *k
	parallel.ForTask(n, grain, t)
	*t = indexTask[T]{}
	list.Put(t)
}
