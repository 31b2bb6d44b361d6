//go:build !amd64 || purego

package ops

// sumAsm is false: no assembly loops on this architecture or with the purego tag.
var sumAsm = false

// sumBlocksVec returns 0 and row: sumRow runs the Go loop.
func sumBlocksVec[T float](row []T) (float64, []T) { return 0, row }

// colSums32Vec returns lo: columnSums64 runs the Go loop.
func colSums32Vec(acc []float64, a []float32, n, lo, hi int) int { return lo }
