package ops

import (
	"fmt"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestBroadcastLarge checks a ⊙ b for large operands broadcast along leading and inner axes,
// which run on several cores (runBcast, and runRowVec for a row vector), against the same
// arithmetic element by element at indices found independently (each output index taken apart
// into its coordinates), bit for bit, in both dtypes; and that a steady step of one allocates
// nothing.
func TestBroadcastLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ a, b []int }{
		{[]int{64, 32, 26, 26}, []int{1, 32, 1, 1}}, // a per-channel scale of a batch of images
		{[]int{16, 256, 128}, []int{256, 1}},        // a column vector added to every column
		{[]int{8, 1, 5, 300}, []int{7, 1, 300}},     // both operands broadcast
		{[]int{3, 4000, 7}, []int{3, 1, 7}},         // short rows
		{[]int{2000, 1}, []int{1, 600}},             // an outer sum
		{[]int{4096, 256}, []int{256}},              // a row vector: a layer's bias
		{[]int{50000, 3}, []int{3}},                 // short rows (the kernels' rows loop)
		{[]int{3001, 37}, []int{37}},
	} {
		var buf dims
		out := append([]int(nil), broadcastShape("test", c.a, c.b, &buf)...)
		as, bs := make([]float64, numel(c.a)), make([]float64, numel(c.b))
		for i := range as {
			as[i] = rng.NormFloat64()
		}
		for i := range bs {
			bs[i] = 0.5 + rng.Float64()
		}
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			a, b := Cast(tp.Const(as, c.a...), dt), Cast(tp.Const(bs, c.b...), dt)
			av, bv := a.Float64s(), b.Float64s()
			for _, op := range []struct {
				name string
				f    func(a, b ag.Var) ag.Var
				want func(x, y float64) float64
			}{
				{"Add", Add, func(x, y float64) float64 { return x + y }},
				{"Sub", Sub, func(x, y float64) float64 { return x - y }},
				{"Mul", Mul, func(x, y float64) float64 { return x * y }},
				{"Div", Div, func(x, y float64) float64 { return x / y }},
			} {
				name := fmt.Sprintf("%s %v %v ⊙ %v", op.name, dt, c.a, c.b)
				got := op.f(a, b).Float64s()
				for i, g := range got {
					want := op.want(av[broadcastIndex(i, out, c.a)], bv[broadcastIndex(i, out, c.b)])
					if dt == ag.Float32 {
						want = float64(float32(want)) // one float32 rounding of the exact float64 result
					}
					if g != want {
						t.Fatalf("%s: element %d = %v, want %v", name, i, g, want)
					}
				}
			}
			step := func() {
				tp.Reset()
				Mul(Cast(tp.Const(as, c.a...), dt), Cast(tp.Const(bs, c.b...), dt))
			}
			step()
			if n := testing.AllocsPerRun(5, step); n != 0 && !raceEnabled {
				t.Errorf("%v %v ⊙ %v: %v allocations a step, want 0", dt, c.a, c.b, n)
			}
		}
	}
}

// broadcastIndex returns the index in an operand of shape s (which broadcasts to out) of the
// element that output element i reads.
func broadcastIndex(i int, out, s []int) int {
	idx, stride := 0, 1
	for ax := 1; ax <= len(out); ax++ {
		coord := i % out[len(out)-ax]
		i /= out[len(out)-ax]
		if ax <= len(s) {
			if d := s[len(s)-ax]; d != 1 {
				idx += coord * stride
			}
			stride *= s[len(s)-ax]
		}
	}
	return idx
}
