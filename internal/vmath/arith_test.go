package vmath

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The references: the plain Go loops the kernels must match bit for bit.

func goAdd64(o, a, b []float64) {
	for i := range o {
		o[i] = a[i] + b[i]
	}
}

func goSub64(o, a, b []float64) {
	for i := range o {
		o[i] = a[i] - b[i]
	}
}

func goMul64(o, a, b []float64) {
	for i := range o {
		o[i] = a[i] * b[i]
	}
}

func goSigmoidGrad64(o, g, y []float64) {
	for i := range o {
		o[i] = g[i] * y[i] * (1 - y[i])
	}
}

func goAdd32(o, a, b []float32) {
	for i := range o {
		o[i] = a[i] + b[i]
	}
}

func goSub32(o, a, b []float32) {
	for i := range o {
		o[i] = a[i] - b[i]
	}
}

func goMul32(o, a, b []float32) {
	for i := range o {
		o[i] = a[i] * b[i]
	}
}

func goSigmoidGrad32(o, g, y []float32) {
	for i := range o {
		o[i] = g[i] * y[i] * (1 - y[i])
	}
}

type vvCase[T float32 | float64] struct {
	name     string
	fn, want func(o, a, b []T)
}

var vvCases64 = []vvCase[float64]{
	{"AddVV64", AddVV64, goAdd64},
	{"SubVV64", SubVV64, goSub64},
	{"MulVV64", MulVV64, goMul64},
	{"SigmoidGrad64", SigmoidGrad64, goSigmoidGrad64},
	{"AddScaled64(−0.37)", func(o, a, b []float64) { AddScaled64(o, a, b, -0.37) }, func(o, a, b []float64) { goAddScaled(o, a, b, -0.37) }},
	{"AddScaled64(1e300)", func(o, a, b []float64) { AddScaled64(o, a, b, 1e300) }, func(o, a, b []float64) { goAddScaled(o, a, b, 1e300) }},
}

var vvCases32 = []vvCase[float32]{
	{"AddVV32", AddVV32, goAdd32},
	{"SubVV32", SubVV32, goSub32},
	{"MulVV32", MulVV32, goMul32},
	{"SigmoidGrad32", SigmoidGrad32, goSigmoidGrad32},
	{"AddScaled32(−0.37)", func(o, a, b []float32) { AddScaled32(o, a, b, -0.37) }, func(o, a, b []float32) { goAddScaled(o, a, b, -0.37) }},
	{"AddScaled32(3e30)", func(o, a, b []float32) { AddScaled32(o, a, b, 3e30) }, func(o, a, b []float32) { goAddScaled(o, a, b, 3e30) }},
}

// goAddScaled is the Go loop of AddScaled: the product rounded on its own. Only
// an explicit conversion in non-generic code forbids fusing the product into
// the sum (the specification allows fusion across statements, and arm64 fused
// a generic loop), so each dtype has its own loop.
func goAddScaled[T float32 | float64](o, a, b []T, c T) {
	if o64, ok := any(o).([]float64); ok {
		a64, b64, c64 := any(a).([]float64), any(b).([]float64), float64(c)
		for i := range o64 {
			o64[i] = a64[i] + float64(c64*b64[i])
		}
		return
	}
	o32, a32, b32, c32 := any(o).([]float32), any(a).([]float32), any(b).([]float32), float32(c)
	for i := range o32 {
		o32[i] = a32[i] + float32(c32*b32[i])
	}
}

// sameBits reports whether x and y have the same bits, or are both NaN (the
// payload of a NaN result is not specified). float64(x) is exact and keeps
// the sign of zero.
func sameBits[T float32 | float64](x, y T) bool {
	return x != x && y != y || math.Float64bits(float64(x)) == math.Float64bits(float64(y))
}

// mixed returns n inputs: mostly in [−2, 2], a quarter with random bits (all
// magnitudes, subnormals, infinities and NaNs) and some specials.
func mixed[T float32 | float64](r *rand.Rand, n int, uniform func(*rand.Rand, int, T, T) []T, bits func(*rand.Rand, int) []T, specials []T) []T {
	xs := uniform(r, n, -2, 2)
	rb := bits(r, n)
	for i := range xs {
		switch k := r.IntN(8); {
		case k < 2:
			xs[i] = rb[i]
		case k == 2:
			xs[i] = specials[r.IntN(len(specials))]
		}
	}
	return xs
}

// checkSameVV runs c on inputs a and b (longer than n) and compares o[:n] bit for
// bit with the Go loop, checks that nothing past o[n] is written, and that o
// may be a, b, or both.
func checkSameVV[T float32 | float64](t *testing.T, c vvCase[T], n int, a, b []T) {
	t.Helper()
	want := make([]T, n)
	c.want(want, a, b)
	compare := func(how string, got, want []T, a, b []T) {
		t.Helper()
		for i := range want {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s len %d%s: o[%d] = %v for a = %v, b = %v; Go loop gives %v", c.name, n, how, i, got[i], a[i], b[i], want[i])
			}
		}
	}
	o := make([]T, n+3)
	o[n], o[n+1], o[n+2] = -1, -2, -3
	c.fn(o[:n], a, b) // a, b longer than o
	compare("", o, want, a, b)
	if o[n] != -1 || o[n+1] != -2 || o[n+2] != -3 {
		t.Fatalf("%s len %d wrote past the end: %v", c.name, n, o[n:])
	}
	oa := slices.Clone(a[:n])
	c.fn(oa, oa, b)
	compare(", o = a", oa, want, a, b)
	ob := slices.Clone(b[:n])
	c.fn(ob, a, ob)
	compare(", o = b", ob, want, a, b)
	wantAA := make([]T, n)
	c.want(wantAA, a, a)
	oaa := slices.Clone(a[:n])
	c.fn(oaa, oaa, oaa)
	compare(", o = a = b", oaa, wantAA, a, a)
}

// TestVV checks the elementwise kernels against the Go loops on every length
// 0..70 and a large one.
func TestVV(t *testing.T) {
	lengths := make([]int, 0, 72)
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100003)
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(15, 16))
		for _, n := range lengths {
			for _, c := range vvCases64 {
				a := mixed(r, n+3, rand64, randBits64, specials64)
				b := mixed(r, n+3, rand64, randBits64, specials64)
				checkSameVV(t, c, n, a, b)
			}
			for _, c := range vvCases32 {
				a := mixed(r, n+3, rand32, randBits32, specials32)
				b := mixed(r, n+3, rand32, randBits32, specials32)
				checkSameVV(t, c, n, a, b)
			}
		}
	})
}

// TestSigmoidGradRange checks SigmoidGrad on the inputs it is meant for,
// y = σ(x) in [0, 1], where (g·y)·(1−y) and g·(y−y·y) often differ.
func TestSigmoidGradRange(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(17, 18))
		const n = 4099
		g64, y64 := rand64(r, n, -3, 3), rand64(r, n, -20, 20)
		Sigmoid64(y64, y64)
		g32, y32 := rand32(r, n, -3, 3), rand32(r, n, -20, 20)
		Sigmoid32(y32, y32)
		checkSameVV(t, vvCases64[3], n, g64, y64)
		checkSameVV(t, vvCases32[3], n, g32, y32)
	})
}

func TestVVPanics(t *testing.T) {
	short64, long64 := make([]float64, 2), make([]float64, 3)
	short32, long32 := make([]float32, 2), make([]float32, 3)
	for _, c := range vvCases64 {
		for _, in := range [][2][]float64{{short64, long64}, {long64, short64}} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s with len(a), len(b) = %d, %d < len(o) = 3 did not panic", c.name, len(in[0]), len(in[1]))
					}
				}()
				c.fn(make([]float64, 3), in[0], in[1])
			}()
		}
	}
	for _, c := range vvCases32 {
		for _, in := range [][2][]float32{{short32, long32}, {long32, short32}} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s with len(a), len(b) = %d, %d < len(o) = 3 did not panic", c.name, len(in[0]), len(in[1]))
					}
				}()
				c.fn(make([]float32, 3), in[0], in[1])
			}()
		}
	}
}

func TestVVNoAllocs(t *testing.T) {
	a64, o64 := make([]float64, 1003), make([]float64, 1003)
	a32, o32 := make([]float32, 1003), make([]float32, 1003)
	forKernels(t, func(t *testing.T) {
		n := testing.AllocsPerRun(10, func() {
			for _, c := range vvCases64 {
				c.fn(o64, a64, a64)
			}
			for _, c := range vvCases32 {
				c.fn(o32, a32, a32)
			}
		})
		if n != 0 {
			t.Errorf("%v allocations per run, want 0", n)
		}
	})
}
