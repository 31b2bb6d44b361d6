package parallel

import (
	"fmt"
	"testing"
)

// BenchmarkFor measures a memory-bound loop (o = a·b) run serially and split by For at sizes
// around the grain, where splitting starts to pay.
func BenchmarkFor(b *testing.B) {
	for _, n := range []int{1 << 13, 1 << 15, 1 << 17} {
		x, y, o := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = float64(i%7), 1.5
		}
		mul := func(lo, hi int) {
			for i := lo; i < hi; i++ {
				o[i] = x[i] * y[i]
			}
		}
		b.Run(fmt.Sprintf("n=%d/serial", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				mul(0, n)
			}
		})
		b.Run(fmt.Sprintf("n=%d/split", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				For(n, n/2, mul)
			}
		})
	}
}
