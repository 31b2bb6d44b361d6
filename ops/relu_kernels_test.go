package ops

import (
	"fmt"
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

// TestReLUKernelsBitExact compares the loops (assembly where the CPU has it, and Go) with the
// definitions, bit for bit, on every pair of special values, at every length up to three
// times the specials (vector bodies and every tail length).
func TestReLUKernelsBitExact(t *testing.T) {
	asm := reluAsm
	defer func() { reluAsm = asm }()
	for _, useAsm := range []bool{false, true} {
		if useAsm && !asm {
			continue
		}
		reluAsm = useAsm
		t.Run(fmt.Sprintf("f64 asm=%v", useAsm), func(t *testing.T) { checkReLUKernels(t, reluSpecials64, math.Float64bits) })
		t.Run(fmt.Sprintf("f32 asm=%v", useAsm), func(t *testing.T) { checkReLUKernels(t, reluSpecials32, math.Float32bits) })
	}
}

// checkReLUKernels runs reluT and reluGradLoop on prefixes of the specials repeated three times
// against reluWant and reluGradWant, comparing bits.
func checkReLUKernels[T float, U uint32 | uint64](t *testing.T, specials []T, bits func(T) U) {
	xs := append(append(append([]T(nil), specials...), specials...), specials...)
	for n := 0; n <= len(xs); n++ {
		x := xs[:n]
		o := make([]T, n)
		reluT(o, x)
		for i, v := range x {
			if got, want := bits(o[i]), bits(reluWant(v)); got != want {
				t.Fatalf("length %d: relu(%v = %#x) at %d = %#x, want %#x", n, v, bits(v), i, got, want)
			}
		}
		for _, g := range specials {
			gs := make([]T, n)
			for i := range gs {
				gs[i] = g
			}
			reluGradLoop(o, gs, x)
			for i, a := range x {
				if got, want := bits(o[i]), bits(reluGradWant(g, a)); got != want {
					t.Fatalf("length %d: reluGrad(g %v, a %v = %#x) at %d = %#x, want %#x", n, g, a, bits(a), i, got, want)
				}
			}
		}
	}
}
