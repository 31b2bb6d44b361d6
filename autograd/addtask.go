package autograd

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// sliceTask is the parallel loop of addInto (dst = a + b) or copyInto (dst = a, b nil) over
// one dtype. A closure given to parallel.For escapes to the heap at every call; these tasks come
// from a free list, so that accumulating large gradients in a steady training step allocates
// nothing (issue 12).
type sliceTask[T float32 | float64] struct{ dst, a, b []T }

// Run runs the loop over [lo, hi).
func (t *sliceTask[T]) Run(lo, hi int) {
	if t.b == nil {
		copy(t.dst[lo:hi], t.a[lo:hi])
		return
	}
	addSlices(t.dst[lo:hi], t.a[lo:hi], t.b[lo:hi])
}

var (
	sliceTasks32 freelist.List[sliceTask[float32]]
	sliceTasks64 freelist.List[sliceTask[float64]]
)

// runSliceTask runs dst = a + b (or dst = a when b is nil) over the cores.
func runSliceTask[T float32 | float64](list *freelist.List[sliceTask[T]], dst, a, b []T) {
	t := list.Get()
	t.dst, t.a, t.b = dst, a, b
	parallel.ForTask(len(dst), parallel.Grain, t)
	*t = sliceTask[T]{}
	list.Put(t)
}
