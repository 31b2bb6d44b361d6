package ops

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// rowVecTask applies a binary kernel to every row of a and one row vector b (a layer's bias or
// scale) for the worker pool, from a free list so that a steady step allocates nothing.
type rowVecTask[T float] struct {
	k       *binFns[T]
	o, a, b []T
}

// Run runs the kernel on rows [lo, hi).
func (t *rowVecTask[T]) Run(lo, hi int) {
	n := len(t.b)
	rowVecLoop(t.k, t.o[lo*n:hi*n], t.a[lo*n:hi*n], t.b)
}

var (
	rowVecTasks32 freelist.List[rowVecTask[float32]]
	rowVecTasks64 freelist.List[rowVecTask[float64]]
)

// runRowVec sets o = a ⊙ b, b broadcast to every row of a (len(b) > 0 elements a row), on
// several cores when o is large. This case of runBinary ran on one core before: in a CPU profile
// of BenchmarkTransformerForward (22 ms), its LayerNorms' scales and shifts and its attention's
// output bias, on 2048×256 elements each, took about 2 ms of one core.
func runRowVec[T float](k *binFns[T], o, a, b []T) {
	if !parallel.Worth(len(o), grain) {
		rowVecLoop(k, o, a, b)
		return
	}
	var pool any = &rowVecTasks64
	if isF32[T]() {
		pool = &rowVecTasks32
	}
	list := pool.(*freelist.List[rowVecTask[T]])
	t := list.Get()
	t.k, t.o, t.a, t.b = k, o, a, b
	parallel.ForTask(len(o)/len(b), max(1, grain/len(b)), t)
	*t = rowVecTask[T]{}
	list.Put(t)
}

// rowVecLoop is runRowVec on the calling goroutine: short rows in one call of the kernel's rows
// loop, without index arithmetic, longer ones row by row.
func rowVecLoop[T float](k *binFns[T], o, a, b []T) {
	n := len(b)
	if k.rows != nil && n < shortRow {
		k.rows(o, a, b)
		return
	}
	for i := 0; i < len(o); i += n {
		k.vv(o[i:i+n], a[i:i+n], b)
	}
}
