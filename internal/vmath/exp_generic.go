package vmath

import "math"

// The algorithm, shared by the pure-Go code below and the assembly kernels
// (gen_kernels.go emits the same operations in the same order, so both give
// bit-identical results):
//
//  1. Clamp x to [lo, hi], a range just wider than the one where e^x is a
//     finite non-zero float, so ±Inf need no special case. NaN passes through.
//  2. t = fma(x, log2e, 1.5·2^52): the addition of the "shifter" rounds
//     x·log2(e) to the nearest integer n, which can be read both as the float
//     n = t − 1.5·2^52 and from the low bits of t.
//  3. r = fma(−n, ln2Hi, x) is exact (x and n·ln2Hi are multiples of ulp(ln2Hi)/2
//     and |r| < 1/2), and r = fma(−n, ln2Lo, r) rounds once; |r| ≲ ln2/2.
//  4. e^r = 1 + (r + r²·h(r)), h(r) = Σ_{k≥2} r^(k−2)/k! by Horner's rule
//     with FMA. Adding the small r²·h to r in one FMA, and only then 1, keeps
//     the rounding errors of h and r² well under the change of e^x between
//     neighbouring floats, so that the result is monotonic in x (plain Horner
//     down to the constant 1 is not: it was off by an ulp in the wrong
//     direction at thousands of float32 inputs in (−0.25, 0)).
//  5. Scale by 2^n in two steps, 2^n1 · 2^n2 with n1 + n2 = n, built by
//     putting n1 + bias and n2 + bias in the exponent field, so results that
//     overflow or are subnormal round once, in the second multiplication.
//
// Coefficients: the Taylor coefficients 1/k!, correctly rounded. For |r| ≤
// ln2/2 the truncation error of degree 13 (float64) is r^14/14! ≤ 4.2e-18,
// 0.02 ulp of e^r ≥ 0.7; of degree 7 (float32) it is r^8/8! ≤ 5.2e-9, 0.09 ulp.
// What remains is the rounding of the last steps: measured, every result is
// within 1 ulp of the correctly rounded e^x (TestCorrectlyRounded, and for
// float32 TestExhaustive32, which also checks monotonicity of every float).

// float64 constants.
const (
	log2e64   = 0x1.71547652b82fep+00 // log2(e) rounded to float64
	shifter64 = 0x1.8p52              // adding it rounds to an integer
	ln2Hi64   = 0x1.62e42fefa39efp-01 // ln 2 rounded to float64
	ln2Lo64   = 0x1.abc9e3b39803fp-56 // ln 2 − ln2Hi64, rounded
	expLo64   = -746.0                // e^x rounds to 0 below −745.14
	expHi64   = 710.0                 // e^x overflows above 709.79
	// mBias64 turns the bits of t into m = n + 2·1023, so that m>>1 and
	// m − m>>1 are both biased exponents of normal floats for |n| ≤ 1076.
	mBias64 = 0x4338000000000000 - 2*1023
)

// Taylor coefficients 1/k! for e^r, float64, k = 0..13.
var coef64 = [...]float64{
	1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
	1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
	1.0 / 479001600, 1.0 / 6227020800,
}

// float32 constants; see the float64 ones.
const (
	log2e32   = 0x1.715476p+00
	shifter32 = 0x1.8p23
	ln2Hi32   = 0x1.62e43p-01
	ln2Lo32   = -0x1.05c61p-29
	expLo32   = -104.0 // e^x rounds to 0 below −103.98
	expHi32   = 89.0   // e^x overflows above 88.73
	mBias32   = 0x4b400000 - 2*127
)

// Taylor coefficients 1/k! for e^r, float32, k = 0..7.
var coef32 = [...]float32{
	1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
}

// exp64 returns e^x by the algorithm above.
func exp64(x float64) float64 {
	if x > expHi64 {
		x = expHi64
	}
	if x < expLo64 {
		x = expLo64
	}
	t := math.FMA(x, log2e64, shifter64)
	n := t - shifter64
	r := math.FMA(-n, ln2Hi64, x)
	r = math.FMA(-n, ln2Lo64, r)
	h := coef64[len(coef64)-1]
	for k := len(coef64) - 2; k >= 2; k-- {
		h = math.FMA(h, r, coef64[k])
	}
	r2 := float64(r * r)
	p := 1 + math.FMA(r2, h, r)
	m := math.Float64bits(t) - mBias64
	m1 := m >> 1
	m2 := m - m1
	p *= math.Float64frombits(m1 << 52)
	return p * math.Float64frombits(m2<<52)
}

// sigmoid64 returns 1/(1+e^−x) as 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0,
// where e = e^−|x| ≤ 1.
//
// The quotient num/(1+e) is not simply num/fl(1+e): for e < 1/7, e/fl(1+e)
// can decrease as e grows, because fl(1+e) moves in steps of several ulp(e).
// Instead 1+e is kept exactly as d + dl, and the quotient q = num·(1/d) is
// corrected once: r = num − q·(d+dl) with FMAs (num − q·d is exact), and the
// result q + r/d is num/(1+e) to about 2^−100, then rounded once. It is
// therefore monotonic in e, and within half an ulp plus e's error.
func sigmoid64(x float64) float64 {
	e := exp64(-math.Abs(x))
	d := 1 + e
	dl := (1 - d) + e // d + dl = 1 + e exactly
	y := 1 / d
	num := 1.0
	if math.Signbit(x) {
		num = e
	}
	q := float64(num * y)
	r := math.FMA(-q, d, num)
	r = math.FMA(-q, dl, r)
	return math.FMA(r, y, q)
}

// exp32 returns e^x by the algorithm above in float32 arithmetic.
func exp32(x float32) float32 {
	if x > expHi32 {
		x = expHi32
	}
	if x < expLo32 {
		x = expLo32
	}
	t := fma32(x, log2e32, shifter32)
	n := t - shifter32
	r := fma32(-n, ln2Hi32, x)
	r = fma32(-n, ln2Lo32, r)
	h := coef32[len(coef32)-1]
	for k := len(coef32) - 2; k >= 2; k-- {
		h = fma32(h, r, coef32[k])
	}
	r2 := float32(r * r)
	p := 1 + fma32(r2, h, r)
	m := math.Float32bits(t) - mBias32
	m1 := m >> 1
	m2 := m - m1
	p *= math.Float32frombits(m1 << 23)
	return p * math.Float32frombits(m2<<23)
}

// sigmoid32 is sigmoid64 in float32 arithmetic.
func sigmoid32(x float32) float32 {
	e := exp32(-abs32(x))
	d := 1 + e
	dl := (1 - d) + e
	y := 1 / d
	num := float32(1)
	if math.Signbit(float64(x)) {
		num = e
	}
	q := float32(num * y)
	r := fma32(-q, d, num)
	r = fma32(-q, dl, r)
	return fma32(r, y, q)
}

func abs32(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
}

// fma32 returns a·b + c rounded once to float32, as VFMADD…PS does. The
// product is exact in float64; the sum is rounded to odd (the last bit of a
// float64 records whether anything was lost), which makes the second rounding,
// to float32, the correct one.
func fma32(a, b, c float32) float32 {
	p := float64(float64(a) * float64(b))
	s := p + float64(c)
	// TwoSum: the exact error of s.
	v := s - p
	err := (p - (s - v)) + (float64(c) - v)
	if err != 0 {
		if u := math.Float64bits(s); u&1 == 0 {
			if (err > 0) == (s > 0) {
				u++
			} else {
				u--
			}
			s = math.Float64frombits(u)
		}
	}
	return float32(s)
}

// exp64Generic, sigmoid64Generic, exp32Generic and sigmoid32Generic are the
// pure-Go kernels; o and x have the same length.

func exp64Generic(o, x []float64) {
	for i, v := range x[:len(o)] {
		o[i] = exp64(v)
	}
}

func sigmoid64Generic(o, x []float64) {
	for i, v := range x[:len(o)] {
		o[i] = sigmoid64(v)
	}
}

func exp32Generic(o, x []float32) {
	for i, v := range x[:len(o)] {
		o[i] = exp32(v)
	}
}

func sigmoid32Generic(o, x []float32) {
	for i, v := range x[:len(o)] {
		o[i] = sigmoid32(v)
	}
}
