package data

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// ExampleShape returns the shape of one example: d.Shape, or (d.Cols)
// when d.Shape is nil. The result shares memory with d.Shape and must not
// be modified.
func (d *Dataset) ExampleShape() []int {
	if d.Shape == nil {
		return []int{d.Cols}
	}
	return d.Shape
}

// BatchShape appends to dst[:0] the shape of the whole data set as a
// tensor, (d.Rows, d.ExampleShape()...), and returns it; it allocates only
// if dst is too short, so a training loop can reuse one buffer.
func (d *Dataset) BatchShape(dst []int) []int {
	dst = append(dst[:0], d.Rows)
	if d.Shape == nil {
		return append(dst, d.Cols)
	}
	return append(dst, d.Shape...)
}

// Validate returns an error matching ErrShape if Rows or Cols is negative,
// Shape has a negative dimension, Shape's product is not Cols or
// Rows × Cols overflows an int, and one matching ErrLength if X does not
// hold Rows × Cols values, Y is neither nil nor of length Rows, or T is
// neither nil nor of length Rows × TargetCols (a negative TargetCols
// matches ErrShape).
// The error names the sizes at fault. Functions that take a Dataset and
// return an error call Validate first; functions that panic on misuse
// panic with its error.
func (d *Dataset) Validate() error {
	shapeErr := func(format string, args ...any) error {
		return &Error{Err: ag.Errorf("", ErrShape, format, args...)}
	}
	if d.TargetCols < 0 {
		return shapeErr("TargetCols %d; want at least 0 (0 means one target per row)", d.TargetCols)
	}
	if d.Rows < 0 || d.Cols < 0 {
		return shapeErr("data set of %d rows and %d columns; want both at least 0", d.Rows, d.Cols)
	}
	if d.Shape != nil {
		n := 1
		for _, k := range d.Shape {
			if k < 0 {
				return shapeErr("example shape %v has a negative dimension", d.Shape)
			}
			if k != 0 && n > math.MaxInt/k {
				return shapeErr("example shape %v has more than %d elements", d.Shape, math.MaxInt)
			}
			n *= k
		}
		if n != d.Cols {
			return shapeErr("example shape %v has %d elements but the data set has %d columns", d.Shape, n, d.Cols)
		}
	}
	if d.Cols != 0 && d.Rows > math.MaxInt/d.Cols {
		return shapeErr("%d rows of %d columns overflow an int", d.Rows, d.Cols)
	}
	if len(d.X) != d.Rows*d.Cols {
		if d.Shape == nil {
			return &Error{Err: ag.Errorf("", ErrLength, "data set of %d rows × %d columns needs %d values in X, has %d", d.Rows, d.Cols, d.Rows*d.Cols, len(d.X))}
		}
		return &Error{Err: ag.Errorf("", ErrLength, "data set of %d examples of shape %v needs %d values in X, has %d", d.Rows, d.Shape, d.Rows*d.Cols, len(d.X))}
	}
	if d.Y != nil && len(d.Y) != d.Rows {
		return &Error{Err: ag.Errorf("", ErrLength, "data set of %d rows has %d labels in Y; want one per row", d.Rows, len(d.Y))}
	}
	if tc := d.Targets(); d.T != nil && (d.Rows > math.MaxInt/tc || len(d.T) != d.Rows*tc) {
		if tc == 1 {
			return &Error{Err: ag.Errorf("", ErrLength, "data set of %d rows has %d targets in T; want one per row", d.Rows, len(d.T))}
		}
		return &Error{Err: ag.Errorf("", ErrLength, "data set of %d rows has %d targets in T; want %d per row (TargetCols)", d.Rows, len(d.T), tc)}
	}
	return nil
}

// mustValidate panics with Validate's error, naming the function op.
func (d *Dataset) mustValidate(op string) {
	if err := d.Validate(); err != nil {
		e := err.(*Error)
		e.Op = op
		panic(e)
	}
}
