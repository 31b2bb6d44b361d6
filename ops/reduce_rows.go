package ops

import (
	"unsafe"

	"github.com/gograd/gograd/internal/vmath"
)

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
