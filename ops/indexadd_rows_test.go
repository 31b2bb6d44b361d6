package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestIndexAddRowsMatchesLoop checks IndexAdd along axis 0 of a table, where whole rows are
// added by the vector kernel (rows of 16 elements and more, on several cores when large),
// bit for bit against the plain loop over positions and columns, with many repeated positions.
func TestIndexAddRowsMatchesLoop(t *testing.T) {
	for _, c := range []struct{ v, d, n int }{{7, 16, 40}, {300, 128, 4096}, {5, 19, 9}, {2, 15, 6}} {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			t.Run(fmt.Sprintf("%dx%d/%d positions/%v", c.v, c.d, c.n, dt), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(c.v), uint64(c.n)))
				a, src := make([]float64, c.v*c.d), make([]float64, c.n*c.d)
				for i := range a {
					a[i] = r.NormFloat64()
				}
				for i := range src {
					src[i] = r.NormFloat64() * math.Exp(4*r.NormFloat64())
				}
				pos := make([]int, c.n)
				for j := range pos {
					pos[j] = r.IntN(c.v)
				}
				got := IndexAdd(Cast(ag.Const(a, c.v, c.d), dt), 0, NewIndex(pos), Cast(ag.Const(src, c.n, c.d), dt))
				want := make([]float64, len(a))
				if dt == ag.Float32 { // the loop in float32 arithmetic
					w32 := make([]float32, len(a))
					for i, x := range a {
						w32[i] = float32(x)
					}
					for j, p := range pos {
						for i := range c.d {
							w32[p*c.d+i] += float32(src[j*c.d+i])
						}
					}
					for i, x := range w32 {
						want[i] = float64(x)
					}
				} else {
					copy(want, a)
					for j, p := range pos {
						for i := range c.d {
							want[p*c.d+i] += src[j*c.d+i]
						}
					}
				}
				for i, g := range got.Float64s() {
					if math.Float64bits(g) != math.Float64bits(want[i]) {
						t.Fatalf("element %d (row %d) = %v, want %v (plain loop)", i, i/c.d, g, want[i])
					}
				}
			})
		}
	}
}
