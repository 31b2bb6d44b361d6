package ops

import (
	"fmt"
	"math"
	"testing"
)

// TestGELUKernelsBitExact compares geluFwd32 and geluBwd (float32) with the assembly loops (where the CPU has them)
// against the Go loops, bit for bit, on a grid of [−12, 12], on reluSpecials32 (zeros,
// denormals, extremes, infinities, NaNs), and at every length up to a few vectors (the
// loops' masked tails, and the scratch buffer's chunking past 256 elements).
func TestGELUKernelsBitExact(t *testing.T) {
	if !geluAsm {
		t.Skip("no AVX-512: geluFwd32 runs only the Go loops")
	}
	defer func() { geluAsm = true }()
	x := append([]float32(nil), reluSpecials32...)
	for i := range 3001 {
		x = append(x, float32(-12+24*float64(i)/3000))
	}
	// geluBwd's upstream gradients: signed values that differ from x, and its GELU(x).
	g := make([]float32, len(x))
	for i := range g {
		g[i] = float32(i%7) - 3.25
	}
	y := make([]float32, len(x))
	geluFwd32(y, x)
	run := func(useAsm bool, x []float32) []float32 {
		geluAsm = useAsm
		o := make([]float32, 2*len(x))
		geluFwd32(o[:len(x)], x)
		geluBwd(o[len(x):], x, g, y)
		return o
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 17, 255, 256, 257, 300, len(x)} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			want, got := run(false, x[:n]), run(true, x[:n])
			for i := range 2 * n {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) &&
					!(got[i] != got[i] && want[i] != want[i]) {
					what := "GELU"
					if i >= n {
						what = "GELU's backward at"
					}
					t.Errorf("%s %g: assembly %g (%#x), Go %g (%#x)", what, x[i%n], got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		})
	}
}
