package losses

import (
	"errors"
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors. Errors returned by this package are *autograd.Error values wrapping one of
// them, so callers can test with errors.Is.
var (
	// ErrLabel reports a class label outside [0, classes).
	ErrLabel = errors.New("losses: label out of range")
	// ErrBatch reports predictions and targets of different batch sizes.
	ErrBatch = errors.New("losses: batch size mismatch")
	// ErrShape reports predictions and targets of the same batch size but different shapes.
	ErrShape = errors.New("losses: shape mismatch")
	// ErrEmpty reports an empty batch.
	ErrEmpty = errors.New("losses: empty batch")
)

// checkPair returns an error unless y and t have the same shape and at least one element. It
// panics, naming op, if either is nil or stale or their dtypes differ.
func checkPair(op string, y, t ag.Var) error {
	sy, st := y.Check(op).Shape(), t.Check(op).Shape()
	if dy, dt := y.DType(), t.DType(); dy != dt { // misuse, like any dtype mismatch: a panic
		ag.Panicf(op, ag.ErrDType, "predictions are %v, targets %v; convert one with ops.Cast", dy, dt)
	}
	if len(sy) > 0 && len(st) > 0 && sy[0] != st[0] {
		return ag.Errorf(op, ErrBatch, "predictions have batch size %d, targets %d", sy[0], st[0])
	}
	if !slices.Equal(sy, st) {
		return ag.Errorf(op, ErrShape, "predictions of shape %s, targets of shape %s", ag.FormatShape(sy), ag.FormatShape(st))
	}
	if y.Len() == 0 {
		return ag.Errorf(op, ErrEmpty, "predictions of shape %s have no elements", ag.FormatShape(sy))
	}
	return nil
}

// checkLabels returns an error unless x is a non-empty (batch, classes) matrix with one label
// in [0, classes) per row. It panics if x is not 2-D.
func checkLabels(op string, x ag.Var, labels []int) error {
	s := x.Check(op).Shape()
	if len(s) != 2 {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, classes)", ag.FormatShape(s))
	}
	if s[0] != len(labels) {
		return ag.Errorf(op, ErrBatch, "input has batch size %d, labels %d", s[0], len(labels))
	}
	if s[0] == 0 {
		return ag.Errorf(op, ErrEmpty, "no rows")
	}
	for i, l := range labels {
		if l < 0 || l >= s[1] {
			return ag.Errorf(op, ErrLabel, "label %d at row %d is outside [0, %d)", l, i, s[1])
		}
	}
	return nil
}
