package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// softmaxLast returns the softmax of a along its last axis in one pass per row: the row's
// maximum m, e^(a−m) with the SIMD exponential, and the division by their sum (accumulated in
// float64). It is a primitive for speed (issue 12): attention's scores go through it at every
// step, and the composite exp(a − m)/Σ reads and writes them about six times forward and eight
// times backward; softmaxGrad is its one-pass backward.
func softmaxLast(a ag.Var) ag.Var {
	const op = "ops.Softmax"
	x := a.Operand(op)
	out := ag.NewResult(softmaxOp, x.DType, x.Shape, a)
	o := out.Operand(op)
	n := x.Shape[len(x.Shape)-1]
	if x.DType == ag.Float32 {
		runRows(&rowTasks32, softmaxRow[float32], nil, o.F32, x.F32, nil, n)
	} else {
		runRows(&rowTasks64, softmaxRow[float64], nil, o.F64, x.F64, nil, n)
	}
	return out
}

// softmaxGrad returns y·(g − Σ g·y) along the last axis, the softmax's derivative applied to g,
// in one pass per row.
func softmaxGrad(g, y ag.Var) ag.Var {
	const op = "ops.SoftmaxGrad"
	gv, yv := g.Operand(op), y.Operand(op)
	out := ag.NewResult(softmaxGradOp, yv.DType, yv.Shape, g, y)
	o := out.Operand(op)
	n := yv.Shape[len(yv.Shape)-1]
	if yv.DType == ag.Float32 {
		runRows(&rowTasks32, nil, softmaxGradRow[float32], o.F32, gv.F32, yv.F32, n)
	} else {
		runRows(&rowTasks64, nil, softmaxGradRow[float64], o.F64, gv.F64, yv.F64, n)
	}
	return out
}

// subRowMax sets o = x − max(x) (of o's length), the shift that keeps softmax's exponentials
// finite; a NaN in x is the maximum, so that the whole row becomes NaN.
func subRowMax[T float](o, x []T) {
	x = x[:len(o)]
	m := x[0]
	for _, v := range x[1:] {
		if v > m || v != v {
			m = v
		}
	}
	for i, v := range x {
		o[i] = v - m
	}
}

func softmaxRow[T float](o, x []T) {
	if isF32[T]() {
		softmaxRow32(as32(o), as32(x))
		return
	}
	subRowMax(o, x)
	vmath.Exp64(as64(o), as64(o))
	var s float64
	for _, v := range o {
		s += float64(v)
	}
	for i := range o {
		o[i] = T(float64(o[i]) / s)
	}
}

func softmaxGradRow[T float](o, g, y []T) {
	if isF32[T]() {
		softmaxGradRow32(as32(o), as32(g), as32(y))
		return
	}
	g, y = g[:len(o)], y[:len(o)]
	var s float64
	for i, v := range y {
		s += float64(g[i]) * float64(v)
	}
	for i, v := range y {
		o[i] = T(float64(v) * (float64(g[i]) - s))
	}
}

// rowTask runs a row kernel over whole rows of n elements for the worker pool, from a free list
// so that a steady step allocates nothing.
type rowTask[T float] struct {
	f1      func(o, a []T)
	f2      func(o, a, b []T)
	o, a, b []T
	n       int
}

// Run runs the kernel on rows [lo, hi).
func (t *rowTask[T]) Run(lo, hi int) {
	for r := lo; r < hi; r++ {
		s, e := r*t.n, (r+1)*t.n
		if t.f1 != nil {
			t.f1(t.o[s:e], t.a[s:e])
		} else {
			t.f2(t.o[s:e], t.a[s:e], t.b[s:e])
		}
	}
}

var (
	rowTasks32 freelist.List[rowTask[float32]]
	rowTasks64 freelist.List[rowTask[float64]]
)

func runRows[T float](list *freelist.List[rowTask[T]], f1 func(o, a []T), f2 func(o, a, b []T), o, a, b []T, n int) {
	if n == 0 || len(o) == 0 {
		return
	}
	t := list.Get()
	t.f1, t.f2, t.o, t.a, t.b, t.n = f1, f2, o, a, b, n
	parallel.ForTask(len(o)/n, max(1, grain/n), t)
	*t = rowTask[T]{}
	list.Put(t)
}
