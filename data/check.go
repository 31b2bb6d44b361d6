package data

import "fmt"

// Check returns an error matching ErrLength if the slices of d do not
// match its dimensions: Rows or Cols negative, len(X) other than
// Rows·Cols (an overflowing product included), or Y or T neither nil nor
// of length Rows. The functions of this package that take a Dataset check
// it first, so that such a data set is reported instead of surfacing as an
// index out of range.
func (d *Dataset) Check() error {
	var msg string
	switch {
	case d.Rows < 0 || d.Cols < 0:
		msg = fmt.Sprintf("data set of %d rows and %d columns", d.Rows, d.Cols)
	case d.Cols != 0 && d.Rows > len(d.X)/d.Cols || d.Rows*d.Cols != len(d.X):
		msg = fmt.Sprintf("data set of %d rows × %d columns has %d values in X", d.Rows, d.Cols, len(d.X))
	case d.Y != nil && len(d.Y) != d.Rows:
		msg = fmt.Sprintf("data set of %d rows has %d labels in Y", d.Rows, len(d.Y))
	case d.T != nil && len(d.T) != d.Rows:
		msg = fmt.Sprintf("data set of %d rows has %d targets in T", d.Rows, len(d.T))
	default:
		return nil
	}
	return &Error{Err: errorf(ErrLength, msg)}
}

// mustCheck panics naming op with the error of d.Check, if any.
func (d *Dataset) mustCheck(op string) {
	if err := d.Check(); err != nil {
		panic(&Error{Op: op, Err: err.(*Error).Err})
	}
}
