package ops

import (
	"slices"
	"sync"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// columnSums64 adds the rows of a (of n columns) into o, accumulating in float64: float32 column
// sums over millions of rows would drift as whole sums do (see sumRow). Each column's sum adds
// its rows in order, acc[j] += float64(a[i][j]), whether the columns go through the vector loop
// (colSums32Vec, one column a lane) or the Go one, and whichever core takes them: the
// bits do not depend on the path. Large inputs (the bias gradients of a transformer's layers,
// 2048×1024) are split over the cores by blocks of columns.
func columnSums64[T float](o, a []T, n int) {
	accp := columnAcc.Get().(*[]float64)
	acc := slices.Grow((*accp)[:0], n)[:n]
	clear(acc)
	if blocks := (n + colBlock - 1) / colBlock; isF32[T]() && blocks > 1 && parallel.Worth(len(a), grain) {
		t := colSumTasks.Get()
		t.acc, t.a, t.n = acc, as32(a), n
		parallel.ForTask(blocks, max(1, grain/(len(a)/n*colBlock)), t) // chunks of at least grain elements
		*t = colSumTask{}
		colSumTasks.Put(t)
	} else {
		columnSumsRange(acc, a, n, 0, n)
	}
	for j := range o {
		o[j] += T(acc[j])
	}
	*accp = acc
	columnAcc.Put(accp)
}

// columnSumsRange adds columns [lo, hi) of the rows of a (of n columns) into acc.
func columnSumsRange[T float](acc []float64, a []T, n, lo, hi int) {
	if isF32[T]() {
		lo = colSums32Vec(acc, as32(a), n, lo, hi)
	}
	for i := 0; i < len(a); i += n {
		row := a[i+lo : i+hi : i+hi]
		for j, v := range row {
			acc[lo+j] += float64(v)
		}
	}
}

// colBlock is how many columns a core takes at a time in columnSums64's split.
const colBlock = 256

// colSumTask is columnSums64's loop over blocks of columns for the worker pool, from a free list
// so that a steady step allocates nothing. Only float32 gets here: float64 column sums add
// whole rows with addRowInto instead.
type colSumTask struct {
	acc []float64
	a   []float32
	n   int
}

// Run adds the columns of blocks [lo, hi).
func (t *colSumTask) Run(lo, hi int) {
	columnSumsRange(t.acc, t.a, t.n, lo*colBlock, min(hi*colBlock, t.n))
}

var colSumTasks freelist.List[colSumTask]

// columnAcc holds columnSums64's accumulators, reused so that a steady step allocates nothing.
var columnAcc = sync.Pool{New: func() any { return new([]float64) }}
