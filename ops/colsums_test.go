package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestColumnSums checks the float32 column sums of more than sumBlock rows (a bias gradient: SumTo
// of rows×n to n, which adds fewer rows in float32) against
// each column added up row by row in float64 and rounded once, bit for bit, with the assembly
// loop and without it, on one core and split over the cores (the last three shapes, on a machine
// with more than one core), for widths
// around the loop's 32 columns, with signed zeros, infinities, NaNs and values whose float32 sum
// would overflow.
func TestColumnSums(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	shapes := [][2]int{{65, 1}, {65, 7}, {65, 32}, {70, 33}, {100, 64}, {97, 100}, {128, 256}, {65, 1000}, {2048, 1024}, {80, 1500}}
	for _, sh := range shapes {
		rows, n := sh[0], sh[1]
		a := make([]float32, rows*n)
		for i := range a {
			a[i] = float32(r.NormFloat64() * math.Exp(r.NormFloat64()*3))
			switch r.IntN(60) {
			case 0:
				a[i] = float32(math.Copysign(0, -1))
			case 1:
				a[i] = 3e38
			case 2:
				a[i] = float32(math.Inf(-1))
			case 3:
				a[i] = float32(math.NaN())
			}
		}
		want := make([]float32, n)
		for j := range n {
			var acc float64
			for i := range rows {
				acc += float64(a[i*n+j])
			}
			want[j] = float32(acc)
			if acc == 0 {
				want[j] = 0 // the sum starts at +0: −0 + −0 … is +0 + −0 = +0
			}
		}
		for _, asm := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d/asm=%v", rows, n, asm), func(t *testing.T) {
				saved := sumAsm
				sumAsm = asm && saved
				defer func() { sumAsm = saved }()
				got := make([]float32, n)
				reduceTo(got, a, []int{rows, n}, []int{n}, false) // columnSums64, rows > sumBlock
				for j := range n {
					if math.Float32bits(got[j]) != math.Float32bits(want[j]) && !(got[j] != got[j] && want[j] != want[j]) {
						t.Fatalf("column %d: got %v (%#x), want %v (%#x)", j, got[j], math.Float32bits(got[j]), want[j], math.Float32bits(want[j]))
					}
				}
			})
		}
	}
}

// BenchmarkColumnSums: SumTo of a float32 2048×1024 gradient to its 1024 columns, the bias
// gradient of a transformer block's first MLP layer (BenchmarkTransformerStep).
func BenchmarkColumnSums(b *testing.B) {
	const rows, n = 2048, 1024
	a, o := make([]float32, rows*n), make([]float32, n)
	for i := range a {
		a[i] = float32(i%13) * 0.25
	}
	sa, so := []int{rows, n}, []int{n}
	for _, asm := range []bool{true, false} {
		b.Run(fmt.Sprintf("asm=%v", asm), func(b *testing.B) {
			saved := sumAsm
			sumAsm = asm && saved
			defer func() { sumAsm = saved }()
			for b.Loop() {
				reduceTo(o, a, sa, so, false)
			}
		})
	}
}
