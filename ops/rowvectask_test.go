package ops

import (
	"fmt"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestRowVectorBroadcastLarge checks a ⊙ b for a row vector b broadcast to every row of a large
// a, which runs on several cores, against the same arithmetic element by element, bit for bit:
// rows long and short (the kernels' rows loop), in both dtypes.
func TestRowVectorBroadcastLarge(t *testing.T) {
	ops := []struct {
		name string
		f    func(a, b ag.Var) ag.Var
		want func(x, y float64) float64
	}{
		{"Add", Add, func(x, y float64) float64 { return x + y }},
		{"Sub", Sub, func(x, y float64) float64 { return x - y }},
		{"Mul", Mul, func(x, y float64) float64 { return x * y }},
		{"Div", Div, func(x, y float64) float64 { return x / y }},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, shape := range [][2]int{{4096, 256}, {50000, 3}, {3001, 37}} {
		rows, n := shape[0], shape[1]
		as, bs := make([]float64, rows*n), make([]float64, n)
		for i := range as {
			as[i] = rng.NormFloat64()
		}
		for i := range bs {
			bs[i] = 0.5 + rng.Float64()
		}
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			a, b := Cast(tp.Const(as, rows, n), dt), Cast(tp.Const(bs, n), dt)
			av, bv := a.Float64s(), b.Float64s()
			for _, op := range ops {
				name := fmt.Sprintf("%s %v (%d, %d) ⊙ (%d)", op.name, dt, rows, n, n)
				got := op.f(a, b).Float64s()
				for i, g := range got {
					want := op.want(av[i], bv[i%n])
					if dt == ag.Float32 {
						want = float64(float32(want)) // one float32 rounding of the exact float64 result
					}
					if g != want {
						t.Fatalf("%s: element %d = %v, want %v", name, i, g, want)
					}
				}
			}
		}
	}
}
