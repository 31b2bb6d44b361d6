package gemm

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func minTime(f func(), calls int) float64 {
	best := math.Inf(1)
	for r := 0; r < 200; r++ {
		t := time.Now()
		for i := 0; i < calls; i++ {
			f()
		}
		d := float64(time.Since(t).Nanoseconds()) / float64(calls)
		best = min(best, d)
	}
	return best
}

func TestZZProbe(t *testing.T) {
	for _, s := range []benchShape{{m: 32, n: 32, k: 32}, {m: 48, n: 48, k: 48}, {m: 64, n: 64, k: 64}, {m: 80, n: 80, k: 80}, {m: 96, n: 96, k: 96}, {m: 128, n: 128, k: 128}, {m: 160, n: 160, k: 160},
		{m: 64, n: 64, k: 64, transA: true}, {m: 64, n: 64, k: 64, transB: true}, {m: 256, n: 10, k: 64}, {m: 64, n: 10, k: 256, transB: true}, {m: 256, n: 64, k: 10, transA: true}, {m: 64, n: 256, k: 32}} {
		a, b, c, lda, ldb, ldc := operands[float64](s)
		a32, b32, c32, _, _, _ := operands[float32](s)
		calls := max(1, 2000000/(s.m*s.n*s.k))
		line := fmt.Sprintf("%3dx%3dx%3d tA=%v tB=%v:", s.m, s.n, s.k, s.transA, s.transB)
		for _, mode := range []string{"direct", "serial", "split"} {
			dw, pw := directWork, parallelWork
			switch mode {
			case "direct":
				directWork, directK = math.MaxInt, math.MaxInt
			case "serial":
				directWork, parallelWork = 0, math.MaxInt
			case "split":
				directWork, parallelWork = 0, 0
			}
			d := minTime(func() { Dgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, ldc) }, calls)
			f := minTime(func() { Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a32, lda, b32, ldb, 0, c32, ldc) }, calls)
			directWork, parallelWork, directK = dw, pw, 256
			fl := 2 * float64(s.m*s.n*s.k)
			line += fmt.Sprintf("  %s %5.1f/%5.1f", mode, fl/d, fl/f)
		}
		fmt.Println(line)
	}
}
