package ops

import (
	"math"

	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// fillTask sets every element of o to v for the worker pool: a closure given to parallel.For
// escapes to the heap at every call, and a task from the free list does not, so that clearing
// an embedding table's gradient or broadcasting a loss's seed allocates nothing.
type fillTask[T float] struct {
	o []T
	v T
}

// Run fills o[lo:hi].
func (t *fillTask[T]) Run(lo, hi int) {
	if t.v == 0 && !math.Signbit(float64(t.v)) {
		clear(t.o[lo:hi])
		return
	}
	fillSlice(t.o[lo:hi], t.v)
}

var (
	fillTasks32 freelist.List[fillTask[float32]]
	fillTasks64 freelist.List[fillTask[float64]]
)

// fillPar sets every element of o to v, on several cores when large.
func fillPar[T float](o []T, v T) {
	if !parallel.Worth(len(o), grain) {
		(&fillTask[T]{o, v}).Run(0, len(o))
		return
	}
	var pool any = &fillTasks64
	if isF32[T]() {
		pool = &fillTasks32
	}
	list := pool.(*freelist.List[fillTask[T]])
	t := list.Get()
	t.o, t.v = o, v
	parallel.ForTask(len(o), grain, t)
	t.o = nil
	list.Put(t)
}
