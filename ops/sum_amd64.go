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

//go:noescape
func colSums32AVX(acc *float64, a *float32, rows, lda int)

// colSums32Vec adds columns [lo, lo+32k) of the rows of a (of n columns) into acc with the
// assembly loop, for the largest k that fits in [lo, hi), and returns lo+32k: each lane adds
// its column's rows in order, in float64, as the Go loop does.
func colSums32Vec(acc []float64, a []float32, n, lo, hi int) int {
	if !sumAsm || len(a) == 0 {
		return lo
	}
	rows := len(a) / n
	for ; lo+32 <= hi; lo += 32 {
		_ = a[(rows-1)*n+lo+31] // the last row's 32 columns are inside a
		colSums32AVX(&acc[lo : lo+32][0], &a[lo], rows, n)
	}
	return lo
}
