package ops

import (
	"unsafe"

	"github.com/gograd/gograd/internal/vmath"
)

// sumBiasInto adds the sums of a's columns (rows of n elements) into o, as SumTo sums a bias
// gradient, and reports true; or, for float32 with more than sumBlock rows, which SumTo sums in
// float64 (columnSums64), reports false, changing nothing. One column is summed as SumTo sums a
// whole tensor (sumAllInto).
func sumBiasInto[T float](o, a []T, n int) bool {
	switch {
	case n == 1:
		sumAllInto(o, a)
	case isF32[T]() && len(a)/n > sumBlock:
		return false
	default:
		sumRowsInto(o, a, n)
	}
	return true
}

// sumAllInto adds the sum of every element of a to o[0].
func sumAllInto[T float](o, a []T) {
	if len(a) < 8 {
		// reduceAll's sum of fewer than eight elements without its calls: sumBlockOf adds them
		// in order from +0 into its first running sum, and the other seven and the float64
		// total add only +0
		s := T(0)
		for _, v := range a {
			s += v
		}
		o[0] += s
		return
	}
	o[0] = reduceAll(a, o[0], false)
}

// sumRowsInto adds every row of n elements of a into o (n elements), row after row: the sum over
// the rows, as a bias gradient is, added to o.
func sumRowsInto[T float](o, a []T, n int) {
	if n < 8 { // addRowInto's loop for short rows, without a call per row or a slice of one
		o = o[:n]
		j := 0
		for _, v := range a {
			o[j] += v
			if j++; j == n {
				j = 0
			}
		}
		return
	}
	for i := 0; i < len(a); i += n {
		addRowInto(o, a[i:i+n:i+n])
	}
}

// addRowInto sets o[j] += row[j] for every j with the vector kernels of vmath, which round each
// sum as the Go loop does: the column sums of a bias gradient, row after row, get the bits of
// the scalar loop at a fraction of its time. Rows shorter than a vector keep the loop.
func addRowInto[T float](o, row []T) {
	row = row[:len(o)]
	if len(o) < 8 {
		for j, v := range row {
			o[j] += v
		}
		return
	}
	if unsafe.Sizeof(o[0]) == 4 {
		vmath.AddVV32(as32(o), as32(o), as32(row))
		return
	}
	vmath.AddVV64(as64(o), as64(o), as64(row))
}
