package ops

import (
	"math"
	"testing"
)

// TestTanh32 compares tanh32 with math.Tanh rounded to float32 on every 251st float32 (bit
// patterns, so every binade from the subnormals to the largest floats and both signs, about
// 17 million values) and on the special values: at most one ulp apart, the same sign, NaN for NaN.
func TestTanh32(t *testing.T) {
	stride := uint32(251)
	if testing.Short() {
		stride = 4093
	}
	var xs []float32
	for b := uint64(0); b < 1<<32; b += uint64(stride) {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	xs = append(xs, 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), 0x1p-12, -0x1p-12, math.Nextafter32(0x1p-12, 0), 1e-30, 9.01, 10, -20)
	got := make([]float32, len(xs))
	tanh32(got, xs)
	for i, x := range xs {
		want := float32(math.Tanh(float64(x)))
		g := got[i]
		if want != want {
			if g == g {
				t.Fatalf("tanh32(%v) = %v, want NaN", x, g)
			}
			continue
		}
		if math.Signbit(float64(g)) != math.Signbit(float64(want)) || ulps32(g, want) > 1 {
			t.Fatalf("tanh32(%v) = %v (%#x), want %v (%#x)", x, g, math.Float32bits(g), want, math.Float32bits(want))
		}
	}
}

// ulps32 is the number of float32s between a and b of the same sign.
func ulps32(a, b float32) uint32 {
	ia, ib := math.Float32bits(a)&0x7fffffff, math.Float32bits(b)&0x7fffffff
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

// BenchmarkTanh32: tanh of 4096 float32 by tanh32 and by math.Tanh element by element.
func BenchmarkTanh32(b *testing.B) {
	x, o := make([]float32, 4096), make([]float32, 4096)
	for i := range x {
		x[i] = float32(i-2048) / 512
	}
	b.Run("tanh32", func(b *testing.B) {
		for b.Loop() {
			tanh32(o, x)
		}
	})
	b.Run("math.Tanh", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				o[i] = float32(math.Tanh(float64(v)))
			}
		}
	})
}

// TestTanh32AllocatesNothing: tanh32's scratch comes from a free list (an array on the stack
// escapes through vmath's kernel table), so steady calls allocate nothing.
func TestTanh32AllocatesNothing(t *testing.T) {
	x, o := make([]float32, 1000), make([]float32, 1000)
	tanh32(o, x)
	if n := testing.AllocsPerRun(10, func() { tanh32(o, x) }); n != 0 {
		t.Errorf("tanh32 of 1000 elements allocates %v times a call, want 0", n)
	}
}
