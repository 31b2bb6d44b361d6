package ops

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// mapTask is an elementwise loop handed to the worker pool: f1 over (o, a) or f2 over (o, a, b).
// A closure given to parallel.For escapes to the heap at every call; these tasks come from a
// free list, so that a steady training step with large elementwise kernels allocates nothing.
type mapTask[T float] struct {
	f1      func(o, a []T)
	f2      func(o, a, b []T)
	o, a, b []T
}

// Run runs the loop over [lo, hi).
func (t *mapTask[T]) Run(lo, hi int) {
	if t.f2 != nil {
		t.f2(t.o[lo:hi], t.a[lo:hi], t.b[lo:hi])
		return
	}
	t.f1(t.o[lo:hi], t.a[lo:hi])
}

var (
	mapTasks32 freelist.List[mapTask[float32]]
	mapTasks64 freelist.List[mapTask[float64]]
)

// runMap runs f1(o, a) or f2(o, a, b) over the cores in chunks of at least g elements, with a
// task from the pool.
func runMap[T float](f1 func(o, a []T), f2 func(o, a, b []T), o, a, b []T, g int) {
	var pool any = &mapTasks64
	if isF32[T]() {
		pool = &mapTasks32
	}
	list := pool.(*freelist.List[mapTask[T]])
	t := list.Get()
	t.f1, t.f2, t.o, t.a, t.b = f1, f2, o, a, b
	parallel.ForTask(len(o), g, t)
	*t = mapTask[T]{}
	list.Put(t)
}
