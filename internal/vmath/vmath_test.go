package vmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// ulp64 returns the number of float64 values between a and b (0 when they are
// equal or both NaN, MaxUint64 when only one is NaN).
func ulp64(a, b float64) uint64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		if math.IsNaN(a) && math.IsNaN(b) {
			return 0
		}
		return math.MaxUint64
	}
	ia, ib := ordered64(a), ordered64(b)
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// ordered64 maps float64 values to integers in the same order, ±0 to 0.
func ordered64(f float64) int64 {
	i := int64(math.Float64bits(f))
	if i < 0 {
		i = math.MinInt64 - i
	}
	return i
}

// ulp32 is ulp64 for float32.
func ulp32(a, b float32) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	ia, ib := ordered32(a), ordered32(b)
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

func ordered32(f float32) int64 {
	i := int64(int32(math.Float32bits(f)))
	if i < 0 {
		i = math.MinInt32 - i
	}
	return i
}

// The references: math.Exp, and the sigmoid computed from it in float64.

// refExp64 is math.Exp but for x in (709, 710), where math.Exp on amd64
// overflows early (from about 709.44): there it is e^(x−1)·e with e as a
// double-double, one more rounding; and for x < −744, where math.Exp on arm64
// underflows early (it returns 0 from about −744.7, where e^x still rounds to
// the smallest subnormal 2^−1074 down to −745.13): there it is the correctly
// rounded value of bigExp.
func refExp64(x float64) float64 {
	if x < -744 && x > -746 { // below −746 e^x rounds to 0, which math.Exp returns everywhere
		return round64(bigExp(x))
	}
	if x > 709 && x < 710 {
		const eHi, eLo = 0x1.5bf0a8b145769p+01, 0x1.4d57ee2b1013ap-53
		a := math.Exp(x - 1)
		return math.FMA(a, eHi, a*eLo)
	}
	return math.Exp(x)
}

func refExp32(x float32) float32 { return float32(math.Exp(float64(x))) }

func refSigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := refExp64(x)
	return e / (1 + e)
}

func refSigmoid32(x float32) float32 { return float32(refSigmoid64(float64(x))) }

// forKernels runs f as a subtest with each implementation in impl.
func forKernels(t *testing.T, f func(t *testing.T)) {
	for _, k := range allKernels() {
		t.Run(k.name, func(t *testing.T) {
			saved := impl
			impl = k
			defer func() { impl = saved }()
			f(t)
		})
	}
}

// exact64 reports whether want, the reference at x, must be matched exactly:
// at x = 0 and at the extremes 0, ±Inf and NaN.
func exact64(x, want float64) bool {
	return x == 0 || want == 0 || math.IsInf(want, 0) || math.IsNaN(want)
}

// check64 compares fn(xs) with ref within maxUlp and returns the largest error.
func check64(t *testing.T, name string, fn func(o, x []float64), ref func(float64) float64, xs []float64, maxUlp uint64) uint64 {
	t.Helper()
	o := make([]float64, len(xs))
	fn(o, xs)
	var worst uint64
	fails := 0
	for i, x := range xs {
		want := ref(x)
		d := ulp64(o[i], want)
		if exact64(x, want) && d != 0 || d > maxUlp {
			if fails++; fails <= 10 {
				t.Errorf("%s(%v) = %v (%#x), want %v (%#x): %d ulp", name, x, o[i], math.Float64bits(o[i]), want, math.Float64bits(want), d)
			}
		}
		if d > worst {
			worst = d
			t.Logf("%s(%v) = %v, want %v: %d ulp", name, x, o[i], want, d)
		}
	}
	return worst
}

// check32 is check64 for float32.
func check32(t *testing.T, name string, fn func(o, x []float32), ref func(float32) float32, xs []float32, maxUlp uint64) uint64 {
	t.Helper()
	o := make([]float32, len(xs))
	fn(o, xs)
	var worst uint64
	fails := 0
	for i, x := range xs {
		want := ref(x)
		d := ulp32(o[i], want)
		if exact64(float64(x), float64(want)) && d != 0 || d > maxUlp {
			if fails++; fails <= 10 {
				t.Errorf("%s(%v) = %v (%#x), want %v (%#x): %d ulp", name, x, o[i], math.Float32bits(o[i]), want, math.Float32bits(want), d)
			}
		}
		if d > worst {
			worst = d
			t.Logf("%s(%v) = %v, want %v: %d ulp", name, x, o[i], want, d)
		}
	}
	return worst
}

var (
	inf = math.Inf(1)
	nan = math.NaN()
)

// specials64 are inputs at the edges of every range.
var specials64 = []float64{
	0, math.Copysign(0, -1), inf, -inf, nan, 1, -1, 0.5, -0.5, 1e-300, -1e-300,
	5e-324, -5e-324, 1e-17, -1e-17, math.Ln2 / 2, -math.Ln2 / 2, math.Ln2, 20, -20,
	709.78, 709.782712893384, 709.7827128933841, 709.79, 710, 711, 1000, 1e30, 1e300, math.MaxFloat64,
	-708, -708.4, -708.3964185322641, -709, -720, -740, -745, -745.1, -745.13321910194110,
	-745.1332191019412, -745.14, -746, -800, -1e30, -1e300, -math.MaxFloat64,
}

var specials32 = []float32{
	0, float32(math.Copysign(0, -1)), float32(inf), float32(-inf), float32(nan), 1, -1, 0.5, -0.5,
	1e-40, -1e-40, 1e-7, -1e-7, math.Ln2 / 2, -math.Ln2 / 2, 20, -20,
	88, 88.72, 88.7228, 88.72284, 88.7229, 89, 90, 1e30, math.MaxFloat32,
	-87, -87.3, -88, -90, -100, -103, -103.27, -103.28, -103.9, -103.973, -104, -105, -1e30, -math.MaxFloat32,
}

// rand64 returns n values uniform in [lo, hi).
func rand64(r *rand.Rand, n int, lo, hi float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*r.Float64()
	}
	return xs
}

// randBits64 returns n values with random bits (all magnitudes and NaNs).
func randBits64(r *rand.Rand, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Float64frombits(r.Uint64())
	}
	return xs
}

func rand32(r *rand.Rand, n int, lo, hi float32) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*r.Float32()
	}
	return xs
}

func randBits32(r *rand.Rand, n int) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = math.Float32frombits(r.Uint32())
	}
	return xs
}

func samples() int {
	if testing.Short() || raceEnabled {
		return 1 << 16
	}
	return 1 << 21
}

func TestExp64(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		cases := []struct {
			name string
			xs   []float64
		}{
			{"specials", specials64},
			{"[-745,710]", rand64(r, samples(), -745, 710)},
			{"[-1,1]", rand64(r, samples()/4, -1, 1)},
			{"subnormal results", rand64(r, samples()/4, -745.2, -708)},
			{"random bits", randBits64(r, samples()/4)},
		}
		for _, c := range cases {
			worst := check64(t, "Exp64", Exp64, refExp64, c.xs, 2)
			t.Logf("%s: max error %d ulp", c.name, worst)
		}
	})
}

func TestExp32(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		cases := []struct {
			name string
			xs   []float32
		}{
			{"specials", specials32},
			{"[-104,89]", rand32(r, samples(), -104, 89)},
			{"[-1,1]", rand32(r, samples()/4, -1, 1)},
			{"subnormal results", rand32(r, samples()/4, -104, -87)},
			{"random bits", randBits32(r, samples()/4)},
		}
		for _, c := range cases {
			worst := check32(t, "Exp32", Exp32, refExp32, c.xs, 2)
			t.Logf("%s: max error %d ulp", c.name, worst)
		}
	})
}

func TestSigmoid64(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		cases := []struct {
			name string
			xs   []float64
		}{
			{"specials", specials64},
			{"[-800,800]", rand64(r, samples(), -800, 800)},
			{"[-40,40]", rand64(r, samples(), -40, 40)},
			{"[-1,1]", rand64(r, samples()/4, -1, 1)},
			{"random bits", randBits64(r, samples()/4)},
		}
		for _, c := range cases {
			worst := check64(t, "Sigmoid64", Sigmoid64, refSigmoid64, c.xs, 3)
			t.Logf("%s: max error %d ulp", c.name, worst)
		}
		o := make([]float64, 6)
		Sigmoid64(o, []float64{0, inf, -inf, 1e30, -1e30, nan})
		for i, want := range []float64{0.5, 1, 0, 1, 0, nan} {
			if ulp64(o[i], want) != 0 {
				t.Errorf("Sigmoid64 special %d: got %v, want %v", i, o[i], want)
			}
		}
	})
}

func TestSigmoid32(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		cases := []struct {
			name string
			xs   []float32
		}{
			{"specials", specials32},
			{"[-120,120]", rand32(r, samples(), -120, 120)},
			{"[-20,20]", rand32(r, samples(), -20, 20)},
			{"[-1,1]", rand32(r, samples()/4, -1, 1)},
			{"random bits", randBits32(r, samples()/4)},
		}
		for _, c := range cases {
			worst := check32(t, "Sigmoid32", Sigmoid32, refSigmoid32, c.xs, 3)
			t.Logf("%s: max error %d ulp", c.name, worst)
		}
		o := make([]float32, 6)
		Sigmoid32(o, []float32{0, float32(inf), float32(-inf), 1e30, -1e30, float32(nan)})
		for i, want := range []float32{0.5, 1, 0, 1, 0, float32(nan)} {
			if ulp32(o[i], want) != 0 {
				t.Errorf("Sigmoid32 special %d: got %v, want %v", i, o[i], want)
			}
		}
	})
}

// grid64 returns sorted inputs: a dense grid on [lo, hi] and, around each of
// the points at, the 2·span floats nearest to it, where the reduction switches
// from n to n+1 and a polynomial error could break monotonicity.
func grid64(lo, hi float64, n int, at []float64, span int) []float64 {
	var xs []float64
	for i := 0; i <= n; i++ {
		xs = append(xs, lo+(hi-lo)*float64(i)/float64(n))
	}
	for _, a := range at {
		x := a
		for range span {
			x = math.Nextafter(x, -inf)
		}
		for range 2 * span {
			xs = append(xs, x)
			x = math.Nextafter(x, inf)
		}
	}
	slices.Sort(xs)
	return xs
}

// switchPoints returns the points (i+1/2)·ln2 for −k ≤ i < k, where the
// reduction switches from n = i to i+1, and ±2^−j for 1 ≤ j ≤ 6, below which
// the spacing of the floats, and so the step of e^x, halves.
func switchPoints(k int) []float64 {
	var at []float64
	for i := -k; i < k; i++ {
		at = append(at, (float64(i)+0.5)*math.Ln2)
	}
	for j := 1; j <= 6; j++ {
		at = append(at, math.Ldexp(1, -j), -math.Ldexp(1, -j))
	}
	return at
}

func TestMonotonic64(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		xs := grid64(-50, 50, 1<<20, switchPoints(4), 1<<14)
		for _, f := range []struct {
			name string
			fn   func(o, x []float64)
		}{{"Exp64", Exp64}, {"Sigmoid64", Sigmoid64}} {
			o := make([]float64, len(xs))
			f.fn(o, xs)
			for i := 1; i < len(o); i++ {
				if o[i] < o[i-1] {
					t.Fatalf("%s not monotonic: f(%v) = %v > f(%v) = %v", f.name, xs[i-1], o[i-1], xs[i], o[i])
				}
			}
		}
	})
}

func TestMonotonic32(t *testing.T) {
	forKernels(t, func(t *testing.T) {
		var xs []float32
		for i := 0; i <= 1<<20; i++ {
			xs = append(xs, float32(-50+100*float64(i)/(1<<20)))
		}
		for _, a := range switchPoints(4) {
			x := float32(a)
			for range 1 << 12 {
				x = math.Nextafter32(x, float32(-inf))
			}
			for range 1 << 13 {
				xs = append(xs, x)
				x = math.Nextafter32(x, float32(inf))
			}
		}
		slices.Sort(xs)
		for _, f := range []struct {
			name string
			fn   func(o, x []float32)
		}{{"Exp32", Exp32}, {"Sigmoid32", Sigmoid32}} {
			o := make([]float32, len(xs))
			f.fn(o, xs)
			for i := 1; i < len(o); i++ {
				if o[i] < o[i-1] {
					t.Fatalf("%s not monotonic: f(%v) = %v > f(%v) = %v", f.name, xs[i-1], o[i-1], xs[i], o[i])
				}
			}
		}
	})
}

// TestLengths checks every length 0..70 and a large one against the pure-Go
// kernels bit for bit, that nothing past len(o) is written, and that o may
// be x itself.
func TestLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	lengths := make([]int, 0, 72)
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100003)
	forKernels(t, func(t *testing.T) {
		for _, n := range lengths {
			x64 := rand64(r, n+3, -50, 50)
			x32 := rand32(r, n+3, -50, 50)
			for _, f := range []struct {
				name     string
				fn, want func(o, x []float64)
			}{{"Exp64", Exp64, exp64Generic}, {"Sigmoid64", Sigmoid64, sigmoid64Generic}} {
				want := make([]float64, n)
				f.want(want, x64)
				o := make([]float64, n+3)
				o[n], o[n+1], o[n+2] = -1, -2, -3
				f.fn(o[:n], x64) // x longer than o
				for i := range n {
					if math.Float64bits(o[i]) != math.Float64bits(want[i]) {
						t.Fatalf("%s len %d: o[%d] = %v for x = %v, pure Go gives %v", f.name, n, i, o[i], x64[i], want[i])
					}
				}
				if o[n] != -1 || o[n+1] != -2 || o[n+2] != -3 {
					t.Fatalf("%s len %d wrote past the end: %v", f.name, n, o[n:])
				}
				alias := append([]float64(nil), x64[:n]...)
				f.fn(alias, alias)
				for i := range n {
					if math.Float64bits(alias[i]) != math.Float64bits(want[i]) {
						t.Fatalf("%s len %d in place: o[%d] = %v, want %v", f.name, n, i, alias[i], want[i])
					}
				}
			}
			for _, f := range []struct {
				name     string
				fn, want func(o, x []float32)
			}{{"Exp32", Exp32, exp32Generic}, {"Sigmoid32", Sigmoid32, sigmoid32Generic}} {
				want := make([]float32, n)
				f.want(want, x32)
				o := make([]float32, n+3)
				o[n], o[n+1], o[n+2] = -1, -2, -3
				f.fn(o[:n], x32)
				for i := range n {
					if math.Float32bits(o[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s len %d: o[%d] = %v for x = %v, pure Go gives %v", f.name, n, i, o[i], x32[i], want[i])
					}
				}
				if o[n] != -1 || o[n+1] != -2 || o[n+2] != -3 {
					t.Fatalf("%s len %d wrote past the end: %v", f.name, n, o[n:])
				}
				alias := append([]float32(nil), x32[:n]...)
				f.fn(alias, alias)
				for i := range n {
					if math.Float32bits(alias[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s len %d in place: o[%d] = %v, want %v", f.name, n, i, alias[i], want[i])
					}
				}
			}
		}
	})
}

// TestSameBits checks the assembly kernels against the pure-Go ones bit for
// bit on inputs of every magnitude, NaNs included.
func TestSameBits(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	x64 := append(randBits64(r, samples()/2), specials64...)
	x64 = append(x64, rand64(r, samples()/2, -750, 750)...)
	x32 := append(randBits32(r, samples()/2), specials32...)
	x32 = append(x32, rand32(r, samples()/2, -110, 110)...)
	want64, got64 := make([]float64, len(x64)), make([]float64, len(x64))
	want32, got32 := make([]float32, len(x32)), make([]float32, len(x32))
	forKernels(t, func(t *testing.T) {
		for _, f := range []struct {
			name     string
			fn, want func(o, x []float64)
		}{{"Exp64", Exp64, exp64Generic}, {"Sigmoid64", Sigmoid64, sigmoid64Generic}} {
			f.want(want64, x64)
			f.fn(got64, x64)
			for i, x := range x64 {
				if ulp64(got64[i], want64[i]) != 0 {
					t.Fatalf("%s(%v) = %v, pure Go gives %v", f.name, x, got64[i], want64[i])
				}
			}
		}
		for _, f := range []struct {
			name     string
			fn, want func(o, x []float32)
		}{{"Exp32", Exp32, exp32Generic}, {"Sigmoid32", Sigmoid32, sigmoid32Generic}} {
			f.want(want32, x32)
			f.fn(got32, x32)
			for i, x := range x32 {
				if ulp32(got32[i], want32[i]) != 0 {
					t.Fatalf("%s(%v) = %v, pure Go gives %v", f.name, x, got32[i], want32[i])
				}
			}
		}
	})
}

func TestPanics(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"Exp64", func() { Exp64(make([]float64, 3), make([]float64, 2)) }},
		{"Exp32", func() { Exp32(make([]float32, 3), make([]float32, 2)) }},
		{"Sigmoid64", func() { Sigmoid64(make([]float64, 3), make([]float64, 2)) }},
		{"Sigmoid32", func() { Sigmoid32(make([]float32, 3), make([]float32, 2)) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with len(x) < len(o) did not panic", c.name)
				}
			}()
			c.f()
		}()
	}
}

func TestNoAllocs(t *testing.T) {
	x64, o64 := make([]float64, 1000), make([]float64, 1000)
	x32, o32 := make([]float32, 1000), make([]float32, 1000)
	forKernels(t, func(t *testing.T) {
		n := testing.AllocsPerRun(10, func() {
			Exp64(o64, x64)
			Sigmoid64(o64, x64)
			Exp32(o32, x32)
			Sigmoid32(o32, x32)
		})
		if n != 0 {
			t.Errorf("%v allocations per run, want 0", n)
		}
	})
}

func TestUseGeneric(t *testing.T) {
	defer useGeneric(false)
	useGeneric(true)
	if impl != genericKernels {
		t.Errorf("useGeneric(true): kernels %s, want generic", impl.name)
	}
	useGeneric(false)
	if impl != bestKernels() {
		t.Errorf("useGeneric(false): kernels %s, want %s", impl.name, bestKernels().name)
	}
}

// TestConstants checks the split of ln 2 and the Taylor coefficients against
// 200-bit values.
func TestConstants(t *testing.T) {
	ln2, _ := new(big.Float).SetPrec(200).SetString("0.6931471805599453094172321214581765680755001343602552541206800094933936219696947156")
	sum := new(big.Float).SetPrec(200).SetFloat64(ln2Hi64)
	sum.Add(sum, new(big.Float).SetFloat64(ln2Lo64))
	if d, _ := new(big.Float).Sub(sum, ln2).Float64(); math.Abs(d) > 0x1p-108 {
		t.Errorf("ln2Hi64 + ln2Lo64 − ln 2 = %g", d)
	}
	if hi, _ := ln2.Float64(); hi != ln2Hi64 {
		t.Errorf("ln2Hi64 = %v, want %v", ln2Hi64, hi)
	}
	sum32 := new(big.Float).SetPrec(200).SetFloat64(ln2Hi32)
	sum32.Add(sum32, new(big.Float).SetFloat64(ln2Lo32))
	if d, _ := new(big.Float).Sub(sum32, ln2).Float64(); math.Abs(d) > 0x1p-52 {
		t.Errorf("ln2Hi32 + ln2Lo32 − ln 2 = %g", d)
	}
	fact := new(big.Float).SetPrec(200).SetInt64(1)
	for k := range coef64 {
		if k > 0 {
			fact.Mul(fact, new(big.Float).SetInt64(int64(k)))
		}
		c := new(big.Float).SetPrec(200).Quo(big.NewFloat(1), fact)
		if want, _ := c.Float64(); coef64[k] != want {
			t.Errorf("coef64[%d] = %v, want 1/%d! = %v", k, coef64[k], k, want)
		}
		if k < len(coef32) {
			if want, _ := c.Float32(); coef32[k] != want {
				t.Errorf("coef32[%d] = %v, want 1/%d! = %v", k, coef32[k], k, want)
			}
		}
	}
}

// TestExhaustive32 checks Exp32 and Sigmoid32 on every float32 in [−105, 90]
// for accuracy and monotonicity. It takes about a minute; set
// VMATH_EXHAUSTIVE=1 to run it.
func TestExhaustive32(t *testing.T) {
	if os.Getenv("VMATH_EXHAUSTIVE") == "" {
		t.Skip("set VMATH_EXHAUSTIVE=1 to run")
	}
	const chunk = 1 << 20
	xs, o := make([]float32, 0, chunk), make([]float32, chunk)
	worst := map[string]uint64{}
	errs := 0
	prev := map[string]float32{"Exp32": 0, "Sigmoid32": 0}
	run := func() {
		for _, f := range []struct {
			name string
			fn   func(o, x []float32)
			ref  func(float32) float32
			max  uint64
		}{{"Exp32", Exp32, refExp32, 2}, {"Sigmoid32", Sigmoid32, refSigmoid32, 3}} {
			f.fn(o[:len(xs)], xs)
			for i, x := range xs {
				d := ulp32(o[i], f.ref(x))
				if d > f.max {
					t.Errorf("%s(%v) = %v, want %v: %d ulp", f.name, x, o[i], f.ref(x), d)
					errs++
				}
				if o[i] < prev[f.name] {
					t.Errorf("%s not monotonic at %v: %v after %v", f.name, x, o[i], prev[f.name])
					errs++
				}
				if errs > 20 {
					t.FailNow()
				}
				prev[f.name] = o[i]
				worst[f.name] = max(worst[f.name], d)
			}
		}
		xs = xs[:0]
	}
	for x := float32(-105); x <= 90; x = math.Nextafter32(x, 100) {
		if xs = append(xs, x); len(xs) == chunk {
			run()
		}
	}
	run()
	t.Logf("max errors: %v", worst)
}
