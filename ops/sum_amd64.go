//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// The AVX forms of sumRow's blocks (ops/sum_amd64.s): the eight running sums of sumBlockOf are
// the lanes of vector registers, so a block takes eight vector additions where the Go loop
// takes 64 scalar ones, with the same additions in the same order.

//go:noescape
func sumBlocks32AVX(x *float32, blocks int) float64

//go:noescape
func sumBlocks64AVX(x *float64, blocks int) float64

// sumAsm enables the assembly loops; tests turn it off to check the Go ones.
var sumAsm = cpu.X86.HasAVX

// sumBlocksVec returns the float64 total of the block sums of row's whole blocks of sumBlock
// elements, added in order as sumRow adds them, and the rest of row; with no assembly loop it
// returns 0 and row.
func sumBlocksVec[T float](row []T) (float64, []T) {
	n := len(row) / sumBlock
	if !sumAsm || n == 0 {
		return 0, row
	}
	var total float64
	if isF32[T]() {
		total = sumBlocks32AVX(&as32(row)[0], n)
	} else {
		total = sumBlocks64AVX(&as64(row)[0], n)
	}
	return total, row[n*sumBlock:]
}
