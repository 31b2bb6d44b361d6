package data

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Accuracy returns the fraction of predictions equal to their labels. It
// returns an error matching ErrLength if the slices differ in length and
// one matching ErrEmpty if they are empty.
func Accuracy(pred, labels []int) (float64, error) {
	if len(pred) != len(labels) {
		return 0, &Error{Err: ag.Errorf("", ErrLength, "%d predictions for %d labels", len(pred), len(labels))}
	}
	if len(pred) == 0 {
		return 0, &Error{Err: ag.Errorf("", ErrEmpty, "no predictions")}
	}
	right := 0
	for i, p := range pred {
		if p == labels[i] {
			right++
		}
	}
	return float64(right) / float64(len(pred)), nil
}

// Argmax appends to dst[:0] the index of the largest value in each row of
// the row-major matrix x with cols columns, such as the class scores of a
// batch, and returns it; it allocates only if dst is too short. Ties go
// to the first index; NaN values are skipped, and a row of NaN gives 0.
// Argmax panics with an *Error matching ErrRange if cols < 1, and with
// one matching ErrLength if len(x) is not a multiple of cols.
func Argmax(dst []int, x []float64, cols int) []int {
	const op = "data.Argmax"
	if cols < 1 {
		panicf(op, ErrRange, "cols %d; want at least 1", cols)
	}
	if len(x)%cols != 0 {
		panicf(op, ErrLength, "%d values in rows of %d columns; want a multiple of %d", len(x), cols, cols)
	}
	dst = dst[:0]
	for lo := 0; lo < len(x); lo += cols {
		best := 0
		bestV := math.NaN()
		for j, v := range x[lo : lo+cols] {
			if !math.IsNaN(v) && (math.IsNaN(bestV) || v > bestV) {
				best, bestV = j, v
			}
		}
		dst = append(dst, best)
	}
	return dst
}
