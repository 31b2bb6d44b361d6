package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// LogSumExp returns log Σ exp(a) over axis ax, dropping it as Sum and Max do, as
// torch.logsumexp(a, ax) does by default (keepdim=False); LogSumExpKeepDims keeps it. It is
// computed as m + log Σ exp(a − m) with m the (detached) maximum, so inputs around ±1e4 neither
// overflow nor underflow; an infinite maximum is replaced by 0, as in PyTorch, so that a row of
// −Inf gives −Inf and a row holding +Inf gives +Inf instead of NaN. The gradient is softmax(a).
// LogSumExp panics if ax is out of range or names an empty axis.
func LogSumExp(a ag.Var, ax int) ag.Var {
	const op = "ops.LogSumExp"
	checkSoftmaxAxis(op, a, ax)
	var d dims
	return Reshape(logSumExpKeep(a, ax), dropShape(op, a.Shape(), []int{ax}, &d)...)
}

// LogSumExpKeepDims is LogSumExp keeping axis ax with size 1, as torch.logsumexp(a, ax,
// keepdim=True), so that the result broadcasts against a. It panics as LogSumExp does.
func LogSumExpKeepDims(a ag.Var, ax int) ag.Var {
	checkSoftmaxAxis("ops.LogSumExpKeepDims", a, ax)
	return logSumExpKeep(a, ax)
}

// logSumExpKeep is LogSumExpKeepDims after the checks.
func logSumExpKeep(a ag.Var, ax int) ag.Var {
	m := ag.Detach(MaxKeepDims(a, ax))
	m = Where(Equal(Abs(m), ScalarLike(m, math.Inf(1))), ScalarLike(m, 0), m)
	return Add(Log(SumKeepDims(Exp(Sub(a, m)), ax)), m)
}

// LogSoftmax returns a − LogSumExp(a) along axis ax: log-probabilities, stable for large inputs.
// It is computed as (a − m) − log Σ exp(a − m) with m the (detached) maximum: subtracting m
// first is exact for the entries near the maximum, where a − (m + log Σ) would lose |m|·ε.
func LogSoftmax(a ag.Var, ax int) ag.Var {
	checkSoftmaxAxis("ops.LogSoftmax", a, ax)
	z := Sub(a, ag.Detach(MaxKeepDims(a, ax)))
	return Sub(z, Log(SumKeepDims(Exp(z), ax)))
}

// Softmax returns exp(a) / Σ exp(a) along axis ax: probabilities in [0, 1] that sum to 1,
// computed as exp(a − m) / Σ exp(a − m) with m the (detached) maximum, so that large inputs
// neither overflow nor lose accuracy.
func Softmax(a ag.Var, ax int) ag.Var {
	checkSoftmaxAxis("ops.Softmax", a, ax)
	if r := len(a.Shape()); ax == -1 || ax == r-1 {
		return softmaxLast(a) // ops/softmaxrows.go
	}
	e := Exp(Sub(a, ag.Detach(MaxKeepDims(a, ax))))
	return Div(e, SumKeepDims(e, ax))
}

// checkSoftmaxAxis panics, naming op, unless ax is an axis of a with at least one element: a
// softmax over nothing has no value.
func checkSoftmaxAxis(op string, a ag.Var, ax int) {
	shape := a.Check(op).Shape()
	ax = checkAxis(op, ax, shape)
	if shape[ax] == 0 {
		ag.Panicf(op, ag.ErrShape, "axis %d of %s is empty", ax, shapeStr(shape))
	}
}

// OneHot returns a constant of shape (len(labels), classes) on tape t (on the heap if t is nil)
// with a 1 at each label's column. OneHot panics with ag.ErrValue naming the row if a label is
// outside [0, classes).
func OneHot(t *ag.Tape, dt ag.DType, labels []int, classes int) ag.Var {
	if classes <= 0 {
		ag.Panicf("ops.OneHot", ag.ErrValue, "%d classes; want at least 1", classes)
	}
	if classes > ag.MaxElements/max(1, len(labels)) {
		ag.Panicf("ops.OneHot", ag.ErrShape, "%d labels of %d classes make more than MaxElements (2^40) elements", len(labels), classes)
	}
	for i, l := range labels {
		if l < 0 || l >= classes {
			ag.Panicf("ops.OneHot", ag.ErrValue, "label %d at row %d is outside [0, %d)", l, i, classes)
		}
	}
	out := t.Zeros(dt, len(labels), classes)
	for i, l := range labels {
		if dt == ag.Float32 {
			out.Data32()[i*classes+l] = 1
		} else {
			out.Data64()[i*classes+l] = 1
		}
	}
	return out
}
