package ops

import (
	"math"
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// SoftmaxCrossEntropy returns the scalar c·Σ_rows −Σ_j t_j·log softmax(x)_j, the softmax taken
// along the last axis of x and t, which have one shape and dtype: losses.CrossEntropy with
// one-hot targets t and c = 1/rows for the mean. Targets of 0 select nothing, so a logit of −Inf
// where the target is 0 (a class masked out) adds 0, not 0·Inf = NaN; a NaN logit makes its
// row's loss NaN. Its gradient is c·g·(softmax(x)·Σ_j t_j − t) for x (softmaxCEGrad, one pass
// per row) and −c·g·log softmax(x) for t, where t is 0 too.
//
// With finite logits it equals MulScalar(Sum(Neg(Mul(t, LogSoftmax(x, -1)))), c), value and
// gradients, up to rounding. It is a primitive for speed (issue 16): on BenchmarkMLPStep's 64×10
// logits the composite recorded 13 nodes forward and ran 10 rules backward, and the loss with its
// backward took 13.8-14.4 µs against 4.0-4.1 µs for this (BenchmarkCrossEntropy, float64, 3
// runs). Under anomaly detection it records the composite, with Where selecting the targets that
// are not 0, so that a report names the step that produced a NaN or Inf. SoftmaxCrossEntropy
// panics if x or t is nil or stale, if their shapes or dtypes differ, if x is a scalar or its
// last axis is empty, or if they are on different tapes.
func SoftmaxCrossEntropy(x, t ag.Var, c float64) ag.Var {
	const op = "ops.SoftmaxCrossEntropy"
	sx, st := x.Check(op).Shape(), t.Check(op).Shape()
	if dx, dt := x.DType(), t.DType(); dx != dt {
		ag.Panicf(op, ag.ErrDType, "logits are %v, targets %v; want one dtype", dx, dt)
	}
	if !slices.Equal(sx, st) {
		ag.Panicf(op, ag.ErrShape, "logits of shape %s, targets %s; want one shape", shapeStr(sx), shapeStr(st))
	}
	checkSoftmaxAxis(op, x, -1)
	tx, tt := x.Tape(), t.Tape()
	if tx != nil && tt != nil && tx != tt {
		ag.Panicf(op, ag.ErrTapes, "operands are recorded on different tapes; compute them on one tape")
	}
	if tx.AnomalyDetection() || tt.AnomalyDetection() {
		picked := Where(Equal(t, zeroLike(t)), zeroLike(t), Mul(t, LogSoftmax(x, -1)))
		return MulScalar(Sum(Neg(picked)), c)
	}
	dt := x.DType()
	out := ag.NewResult(softmaxCEOp, dt, nil, x, t)
	out.SetFloat(c)
	n := sx[len(sx)-1]
	tp := TapeOf(out)
	loss := tp.Zeros(ag.Float64, x.Len()/n).Data64() // each row's loss, summed in order below
	if dt == ag.Float32 {
		e := tp.Zeros(dt, x.Len()).Data32() // the exponentials
		runCE(&ceTask[float32]{loss: loss, e: e, x: x.Data32(), t: t.Data32(), n: n})
	} else {
		e := tp.Zeros(dt, x.Len()).Data64()
		runCE(&ceTask[float64]{loss: loss, e: e, x: x.Data64(), t: t.Data64(), n: n})
	}
	var total float64
	for _, l := range loss {
		total += l
	}
	if dt == ag.Float32 {
		out.Data32()[0] = float32(c * total)
	} else {
		out.Data64()[0] = c * total
	}
	return out
}

// ceTask is the loop of SoftmaxCrossEntropy over rows of n elements, or with grad set that of
// softmaxCEGrad, handed to the worker pool for large inputs; runCE copies it into a task from a
// free list, so that a steady step allocates nothing.
type ceTask[T float] struct {
	grad bool
	loss []float64 // forward: each row's loss
	e    []T       // forward: the exponentials
	o    []T       // backward: the gradient
	gc   T         // backward: c·g
	x, t []T
	n    int
}

var (
	ceTasks32 freelist.List[ceTask[float32]]
	ceTasks64 freelist.List[ceTask[float64]]
)

// runCE runs w over every row, split over the cores when there are enough elements, each row
// computed alike either way.
func runCE[T float](w *ceTask[T]) {
	rows := len(w.x) / w.n
	if !parallel.Worth(len(w.x), grain) {
		w.Run(0, rows)
		return
	}
	var pool any = &ceTasks64
	if isF32[T]() {
		pool = &ceTasks32
	}
	list := pool.(*freelist.List[ceTask[T]])
	task := list.Get()
	*task = *w
	parallel.ForTask(rows, max(1, grain/w.n), task)
	*task = ceTask[T]{}
	list.Put(task)
}

// Run computes rows [lo, hi); it implements parallel.Task.
func (w *ceTask[T]) Run(lo, hi int) {
	a, b := lo*w.n, hi*w.n
	if w.grad {
		softmaxCEGradRows(w.o[a:b], w.gc, w.x[a:b], w.t[a:b], w.n)
		return
	}
	softmaxCERows(w.loss[lo:hi], w.e[a:b], w.x[a:b], w.t[a:b], w.n)
}

// softmaxCERows sets loss[r] = Σ_{j: t_j ≠ 0} t_j·(log s − z_j) for each row r of n elements,
// with z = x − m, m the row's maximum, and s = Σ e^z: −Σ t·log softmax(x). e receives e^z, all
// rows in one call of the exponential, which costs a short row several times its length.
func softmaxCERows[T float](loss []float64, e, x, t []T, n int) {
	for r := range loss {
		subRowMax(e[r*n:(r+1)*n], x[r*n:(r+1)*n])
		var tz float64 // Σ t·z over the targets that are not 0
		for j, tj := range t[r*n : (r+1)*n] {
			if tj != 0 {
				tz += float64(tj) * float64(e[r*n+j])
			}
		}
		loss[r] = -tz
	}
	expInPlace(e)
	for r := range loss {
		var s, ts float64 // Σ e^z, and Σ t over the targets that are not 0
		for j, tj := range t[r*n : (r+1)*n] {
			s += float64(e[r*n+j])
			if tj != 0 {
				ts += float64(tj)
			}
		}
		loss[r] += ts * math.Log(s)
	}
}

// softmaxCEGrad returns c·g·(softmax(x)·Σ_j t_j − t) along the last axis for a scalar g: ∂x of
// SoftmaxCrossEntropy(x, t, c), one node computed row by row (softmaxCEGradRows).
func softmaxCEGrad(g, x, t ag.Var, c float64) ag.Var {
	const op = "ops.SoftmaxCrossEntropyGrad"
	g.Check(op)
	x.Check(op)
	t.Check(op)
	dt := x.DType()
	out := ag.NewResult(softmaxCEGradOp, dt, x.Shape(), g, x, t)
	out.SetFloat(c)
	n := x.Shape()[len(x.Shape())-1]
	if dt == ag.Float32 {
		runCE(&ceTask[float32]{grad: true, o: out.Data32(), gc: float32(float64(g.Data32()[0]) * c), x: x.Data32(), t: t.Data32(), n: n})
	} else {
		runCE(&ceTask[float64]{grad: true, o: out.Data64(), gc: g.Data64()[0] * c, x: x.Data64(), t: t.Data64(), n: n})
	}
	return out
}

// softmaxCEGradRows sets o = gc·(softmax(x)·Σ_j t_j − t) row by row, rows of n elements, the
// exponentials of all rows in one call, as softmaxCERows.
func softmaxCEGradRows[T float](o []T, gc T, x, t []T, n int) {
	for r := 0; r < len(o); r += n {
		subRowMax(o[r:r+n], x[r:r+n])
	}
	expInPlace(o)
	for r := 0; r < len(o); r += n {
		or, tr := o[r:r+n], t[r:r+n]
		var s, st float64
		for j, v := range or {
			s += float64(v)
			st += float64(tr[j])
		}
		k := st / s
		for j, v := range or {
			or[j] = gc * T(float64(v)*k-float64(tr[j]))
		}
	}
}
