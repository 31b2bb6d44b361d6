package ops

import (
	"math"
	"testing"
)

// reluSpecials64 are the values at the edges of the bit ranges relu64 and reluGrad64 select
// by: zeros, denormals, infinities and NaNs of either sign, and ordinary numbers.
var reluSpecials64 = []float64{
	0, math.Copysign(0, -1), 1, -1, 2.5, -2.5, 5e-324, -5e-324, math.MaxFloat64, -math.MaxFloat64,
	math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
	math.Float64frombits(0x7ff0000000000001), math.Float64frombits(0xfff0000000000001),
	math.Float64frombits(0xffffffffffffffff),
}

// reluSpecials32 are reluSpecials64's edges in float32.
var reluSpecials32 = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 2.5, -2.5, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1)),
	math.Float32frombits(0x7fc00000), math.Float32frombits(0xffc00000),
	math.Float32frombits(0x7f800001), math.Float32frombits(0xff800001), math.Float32frombits(0xffffffff),
}

// reluWant is ReLU by its definition: x where x > 0 or x is NaN (kept bit for bit), else +0.
func reluWant[T float](x T) T {
	if x > 0 || x != x {
		return x
	}
	return 0
}

// reluGradWant is ReLU's backward by its definition: g where a > 0, else +0.
func reluGradWant[T float](g, a T) T {
	if a > 0 {
		return g
	}
	return 0
}

// TestReLUKernelsBitExact compares the branch-free loops with the definitions, bit for bit, on
// every pair of special values.
func TestReLUKernelsBitExact(t *testing.T) {
	t.Run("f64", func(t *testing.T) {
		xs := reluSpecials64
		o := make([]float64, len(xs))
		reluT(o, xs)
		for i, x := range xs {
			if got, want := math.Float64bits(o[i]), math.Float64bits(reluWant(x)); got != want {
				t.Errorf("relu(%v = %#x) = %#x, want %#x", x, math.Float64bits(x), got, want)
			}
		}
		for _, g := range xs {
			gs := make([]float64, len(xs))
			for i := range gs {
				gs[i] = g
			}
			reluGradLoop(o, gs, xs)
			for i, a := range xs {
				if got, want := math.Float64bits(o[i]), math.Float64bits(reluGradWant(g, a)); got != want {
					t.Errorf("reluGrad(g %v, a %v = %#x) = %#x, want %#x", g, a, math.Float64bits(a), got, want)
				}
			}
		}
	})
	t.Run("f32", func(t *testing.T) {
		xs := reluSpecials32
		o := make([]float32, len(xs))
		reluT(o, xs)
		for i, x := range xs {
			if got, want := math.Float32bits(o[i]), math.Float32bits(reluWant(x)); got != want {
				t.Errorf("relu(%v = %#x) = %#x, want %#x", x, math.Float32bits(x), got, want)
			}
		}
		for _, g := range xs {
			gs := make([]float32, len(xs))
			for i := range gs {
				gs[i] = g
			}
			reluGradLoop(o, gs, xs)
			for i, a := range xs {
				if got, want := math.Float32bits(o[i]), math.Float32bits(reluGradWant(g, a)); got != want {
					t.Errorf("reluGrad(g %v, a %v = %#x) = %#x, want %#x", g, a, math.Float32bits(a), got, want)
				}
			}
		}
	})
}
