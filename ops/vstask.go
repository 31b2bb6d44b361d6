package ops

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// vsTask is a loop of an array and a scalar handed to the worker pool: vs(o, a, c) or
// sv(o, c, a) over a range. Like mapTask, it comes from a free list, so that a steady training
// step with large scalar kernels (MulScalar, a bias added to every element) allocates
// nothing, where a closure given to parallel.For escapes to the heap at every call.
type vsTask[T float] struct {
	vs   func(o, a []T, c T)
	sv   func(o []T, c T, a []T)
	o, a []T
	c    T
}

// Run runs the loop over [lo, hi).
func (t *vsTask[T]) Run(lo, hi int) {
	if t.vs != nil {
		t.vs(t.o[lo:hi], t.a[lo:hi], t.c)
		return
	}
	t.sv(t.o[lo:hi], t.c, t.a[lo:hi])
}

var (
	vsTasks32 freelist.List[vsTask[float32]]
	vsTasks64 freelist.List[vsTask[float64]]
)

// runVS runs vs(o, a, c) or sv(o, c, a) over the cores, with a task from the pool.
func runVS[T float](vs func(o, a []T, c T), sv func(o []T, c T, a []T), o, a []T, c T) {
	var pool any = &vsTasks64
	if isF32[T]() {
		pool = &vsTasks32
	}
	list := pool.(*freelist.List[vsTask[T]])
	t := list.Get()
	t.vs, t.sv, t.o, t.a, t.c = vs, sv, o, a, c
	parallel.ForTask(len(o), grain, t)
	*t = vsTask[T]{}
	list.Put(t)
}
