//go:build amd64 && !purego

package vmath

import "golang.org/x/sys/cpu"

// The assembly kernels in kernel_amd64.s set o[i] for i < n. The AVX-512 ones
// take any n ≥ 0; the AVX2 ones need n to be a multiple of the vector length
// (4 float64 or 8 float32).

//go:noescape
func exp64AVX512(o, x *float64, n int)

//go:noescape
func sigmoid64AVX512(o, x *float64, n int)

//go:noescape
func exp32AVX512(o, x *float32, n int)

//go:noescape
func sigmoid32AVX512(o, x *float32, n int)

//go:noescape
func exp64AVX2(o, x *float64, n int)

//go:noescape
func sigmoid64AVX2(o, x *float64, n int)

//go:noescape
func exp32AVX2(o, x *float32, n int)

//go:noescape
func sigmoid32AVX2(o, x *float32, n int)

// The elementwise kernels: o[i] = a[i] op b[i] for i < n, with the same
// conditions on n.

//go:noescape
func addVV64AVX512(o, a, b *float64, n int)

//go:noescape
func subVV64AVX512(o, a, b *float64, n int)

//go:noescape
func mulVV64AVX512(o, a, b *float64, n int)

//go:noescape
func sigmoidGrad64AVX512(o, a, b *float64, n int)

//go:noescape
func addVV32AVX512(o, a, b *float32, n int)

//go:noescape
func subVV32AVX512(o, a, b *float32, n int)

//go:noescape
func mulVV32AVX512(o, a, b *float32, n int)

//go:noescape
func sigmoidGrad32AVX512(o, a, b *float32, n int)

//go:noescape
func addVV64AVX2(o, a, b *float64, n int)

//go:noescape
func subVV64AVX2(o, a, b *float64, n int)

//go:noescape
func mulVV64AVX2(o, a, b *float64, n int)

//go:noescape
func sigmoidGrad64AVX2(o, a, b *float64, n int)

//go:noescape
func addVV32AVX2(o, a, b *float32, n int)

//go:noescape
func subVV32AVX2(o, a, b *float32, n int)

//go:noescape
func mulVV32AVX2(o, a, b *float32, n int)

//go:noescape
func sigmoidGrad32AVX2(o, a, b *float32, n int)

// The scaled additions: o[i] = a[i] + c·b[i] for i < n, with the same
// conditions on n.

//go:noescape
func addScaledVV64AVX512(o, a, b *float64, n int, c *float64)

//go:noescape
func addScaledVV32AVX512(o, a, b *float32, n int, c *float32)

//go:noescape
func addScaledVV64AVX2(o, a, b *float64, n int, c *float64)

//go:noescape
func addScaledVV32AVX2(o, a, b *float32, n int, c *float32)

// The updates of Adam (see Adam64), for i < n, with the same conditions on n;
// c points to an AdamCoef.

//go:noescape
func adam64AVX512(p, grad, m, v *float64, n int, c *float64)

//go:noescape
func adam32AVX512(p, grad, m, v *float32, n int, c *float32)

//go:noescape
func adam64AVX2(p, grad, m, v *float64, n int, c *float64)

//go:noescape
func adam32AVX2(p, grad, m, v *float32, n int, c *float32)

// The updates of Adadelta (see Adadelta64), for i < n, with the same conditions
// on n; c points to an AdadeltaCoef.

//go:noescape
func adadelta64AVX512(p, grad, m, v *float64, n int, c *float64)

//go:noescape
func adadelta32AVX512(p, grad, m, v *float32, n int, c *float32)

//go:noescape
func adadelta64AVX2(p, grad, m, v *float64, n int, c *float64)

//go:noescape
func adadelta32AVX2(p, grad, m, v *float32, n int, c *float32)

var (
	// The AVX-512 kernels use DQ's VPMOVQ2M and, for their last elements, VL's masked X and Y
	// registers (gen_kernels.go, maskedTail).
	hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

var avx512Kernels = &kernels{
	name:      "avx512",
	exp64:     exp64OnAVX512,
	sigmoid64: sigmoid64OnAVX512,
	exp32:     exp32OnAVX512,
	sigmoid32: sigmoid32OnAVX512,

	add64:         addVV64OnAVX512,
	sub64:         subVV64OnAVX512,
	mul64:         mulVV64OnAVX512,
	sigmoidGrad64: sigmoidGrad64OnAVX512,
	add32:         addVV32OnAVX512,
	sub32:         subVV32OnAVX512,
	mul32:         mulVV32OnAVX512,
	sigmoidGrad32: sigmoidGrad32OnAVX512,
	addScaled64:   addScaled64AVX512,
	addScaled32:   addScaled32AVX512,
	adam64:        adam64OnAVX512,
	adam32:        adam32OnAVX512,
	adadelta64:    adadelta64OnAVX512,
	adadelta32:    adadelta32OnAVX512,

	addScaledRows64: addScaledRows64AVX512,
	addScaledRows32: addScaledRows32AVX512,
}

// The AVX-512 kernels take any n, so each entry of avx512Kernels calls its kernel directly:
// through whole64's function value, a call of the assembly went through an ABI wrapper, which
// cost SigmoidGrad64 of 16 elements 15.4 ns against the kernel's 5.8.

func exp64OnAVX512(o, x []float64) {
	if len(o) > 0 {
		exp64AVX512(&o[0], &x[0], len(o))
	}
}

func sigmoid64OnAVX512(o, x []float64) {
	if len(o) > 0 {
		sigmoid64AVX512(&o[0], &x[0], len(o))
	}
}

func exp32OnAVX512(o, x []float32) {
	if len(o) > 0 {
		exp32AVX512(&o[0], &x[0], len(o))
	}
}

func sigmoid32OnAVX512(o, x []float32) {
	if len(o) > 0 {
		sigmoid32AVX512(&o[0], &x[0], len(o))
	}
}

func addVV64OnAVX512(o, a, b []float64) {
	if len(o) > 0 {
		addVV64AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func subVV64OnAVX512(o, a, b []float64) {
	if len(o) > 0 {
		subVV64AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func mulVV64OnAVX512(o, a, b []float64) {
	if len(o) > 0 {
		mulVV64AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func sigmoidGrad64OnAVX512(o, g, y []float64) {
	if len(o) > 0 {
		sigmoidGrad64AVX512(&o[0], &g[0], &y[0], len(o))
	}
}

func addVV32OnAVX512(o, a, b []float32) {
	if len(o) > 0 {
		addVV32AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func subVV32OnAVX512(o, a, b []float32) {
	if len(o) > 0 {
		subVV32AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func mulVV32OnAVX512(o, a, b []float32) {
	if len(o) > 0 {
		mulVV32AVX512(&o[0], &a[0], &b[0], len(o))
	}
}

func sigmoidGrad32OnAVX512(o, g, y []float32) {
	if len(o) > 0 {
		sigmoidGrad32AVX512(&o[0], &g[0], &y[0], len(o))
	}
}

var avx2Kernels = &kernels{
	name:      "avx2",
	exp64:     func(o, x []float64) { whole64(exp64AVX2, o, x, 4, exp64Generic) },
	sigmoid64: func(o, x []float64) { whole64(sigmoid64AVX2, o, x, 4, sigmoid64Generic) },
	exp32:     func(o, x []float32) { whole32(exp32AVX2, o, x, 8, exp32Generic) },
	sigmoid32: func(o, x []float32) { whole32(sigmoid32AVX2, o, x, 8, sigmoid32Generic) },

	add64:         func(o, a, b []float64) { wholeVV64(addVV64AVX2, o, a, b, 4, addVV64Generic) },
	sub64:         func(o, a, b []float64) { wholeVV64(subVV64AVX2, o, a, b, 4, subVV64Generic) },
	mul64:         func(o, a, b []float64) { wholeVV64(mulVV64AVX2, o, a, b, 4, mulVV64Generic) },
	sigmoidGrad64: func(o, g, y []float64) { wholeVV64(sigmoidGrad64AVX2, o, g, y, 4, sigmoidGrad64Generic) },
	add32:         func(o, a, b []float32) { wholeVV32(addVV32AVX2, o, a, b, 8, addVV32Generic) },
	sub32:         func(o, a, b []float32) { wholeVV32(subVV32AVX2, o, a, b, 8, subVV32Generic) },
	mul32:         func(o, a, b []float32) { wholeVV32(mulVV32AVX2, o, a, b, 8, mulVV32Generic) },
	sigmoidGrad32: func(o, g, y []float32) { wholeVV32(sigmoidGrad32AVX2, o, g, y, 8, sigmoidGrad32Generic) },
	addScaled64:   addScaled64AVX2,
	addScaled32:   addScaled32AVX2,
	adam64:        adam64OnAVX2,
	adam32:        adam32OnAVX2,
	adadelta64:    adadelta64OnAVX2,
	adadelta32:    adadelta32OnAVX2,

	addScaledRows64: addScaledRows64AVX2,
	addScaledRows32: addScaledRows32AVX2,
}

// whole64 runs the assembly kernel k on the longest prefix of o whose length
// is a multiple of w (a power of two) and tail, if not nil, on the rest.
func whole64(k func(o, x *float64, n int), o, x []float64, w int, tail func(o, x []float64)) {
	n := len(o) &^ (w - 1)
	if n > 0 {
		k(&o[0], &x[0], n)
	}
	if n < len(o) {
		tail(o[n:], x[n:len(o)])
	}
}

// whole32 is whole64 for float32.
func whole32(k func(o, x *float32, n int), o, x []float32, w int, tail func(o, x []float32)) {
	n := len(o) &^ (w - 1)
	if n > 0 {
		k(&o[0], &x[0], n)
	}
	if n < len(o) {
		tail(o[n:], x[n:len(o)])
	}
}

// wholeVV64 is whole64 for the kernels of two inputs; a and b are at least
// as long as o.
func wholeVV64(k func(o, a, b *float64, n int), o, a, b []float64, w int, tail func(o, a, b []float64)) {
	n := len(o) &^ (w - 1)
	if n > 0 {
		k(&o[0], &a[0], &b[0], n)
	}
	if n < len(o) {
		tail(o[n:], a[n:len(o)], b[n:len(o)])
	}
}

// wholeVV32 is wholeVV64 for float32.
func wholeVV32(k func(o, a, b *float32, n int), o, a, b []float32, w int, tail func(o, a, b []float32)) {
	n := len(o) &^ (w - 1)
	if n > 0 {
		k(&o[0], &a[0], &b[0], n)
	}
	if n < len(o) {
		tail(o[n:], a[n:len(o)], b[n:len(o)])
	}
}

// The scaled additions call their kernels directly, not through a function
// value as wholeVV64 does: the pointer to c then does not escape, and a call
// allocates nothing. The AVX2 kernels leave the last len(o) mod 4 (float64)
// or mod 8 (float32) elements to the Go loop.

func addScaled64AVX512(o, a, b []float64, c float64) {
	if len(o) > 0 {
		addScaledVV64AVX512(&o[0], &a[0], &b[0], len(o), &c)
	}
}

func addScaled32AVX512(o, a, b []float32, c float32) {
	if len(o) > 0 {
		addScaledVV32AVX512(&o[0], &a[0], &b[0], len(o), &c)
	}
}

func addScaled64AVX2(o, a, b []float64, c float64) {
	n := len(o) &^ 3
	if n > 0 {
		addScaledVV64AVX2(&o[0], &a[0], &b[0], n, &c)
	}
	addScaledVVGeneric(o[n:], a[n:len(o)], b[n:len(o)], c)
}

// The row updates of AddScaledRows call the kernel of AddScaled directly for
// each row: through AddScaled, the checks and the calls between cost as much
// as the arithmetic of a row of 128 float32 held in cache.

func addScaledRows64AVX512(w, g []float64, d int, rows []int, lo, hi int, c float64) {
	for j, p := range rows {
		if p < lo || p >= hi || d == 0 {
			continue
		}
		r := rowAt(w, p, d, "AddScaledRows64")
		addScaledVV64AVX512(&r[0], &r[0], &g[j*d], d, &c)
	}
}

func addScaledRows32AVX512(w, g []float32, d int, rows []int, lo, hi int, c float32) {
	for j, p := range rows {
		if p < lo || p >= hi || d == 0 {
			continue
		}
		r := rowAt(w, p, d, "AddScaledRows32")
		addScaledVV32AVX512(&r[0], &r[0], &g[j*d], d, &c)
	}
}

func addScaledRows64AVX2(w, g []float64, d int, rows []int, lo, hi int, c float64) {
	n := d &^ 3
	for j, p := range rows {
		if p < lo || p >= hi {
			continue
		}
		r, s := rowAt(w, p, d, "AddScaledRows64"), g[j*d:(j+1)*d]
		if n > 0 {
			addScaledVV64AVX2(&r[0], &r[0], &s[0], n, &c)
		}
		addScaledGo64(r[n:], r[n:], s[n:], c)
	}
}

func addScaledRows32AVX2(w, g []float32, d int, rows []int, lo, hi int, c float32) {
	n := d &^ 7
	for j, p := range rows {
		if p < lo || p >= hi {
			continue
		}
		r, s := rowAt(w, p, d, "AddScaledRows32"), g[j*d:(j+1)*d]
		if n > 0 {
			addScaledVV32AVX2(&r[0], &r[0], &s[0], n, &c)
		}
		addScaledGo32(r[n:], r[n:], s[n:], c)
	}
}

func addScaled32AVX2(o, a, b []float32, c float32) {
	n := len(o) &^ 7
	if n > 0 {
		addScaledVV32AVX2(&o[0], &a[0], &b[0], n, &c)
	}
	addScaledVVGeneric(o[n:], a[n:len(o)], b[n:len(o)], c)
}

// The updates of Adam call their kernels directly, as the scaled additions do,
// so that c does not escape. The AVX2 kernels leave the last len(p) mod 4
// (float64) or mod 8 (float32) elements to the Go loop.

func adam64OnAVX512(p, g, m, v []float64, c AdamCoef[float64]) {
	if len(p) > 0 {
		adam64AVX512(&p[0], &g[0], &m[0], &v[0], len(p), &c.Beta1)
	}
}

func adam32OnAVX512(p, g, m, v []float32, c AdamCoef[float32]) {
	if len(p) > 0 {
		adam32AVX512(&p[0], &g[0], &m[0], &v[0], len(p), &c.Beta1)
	}
}

func adam64OnAVX2(p, g, m, v []float64, c AdamCoef[float64]) {
	n := len(p) &^ 3
	if n > 0 {
		adam64AVX2(&p[0], &g[0], &m[0], &v[0], n, &c.Beta1)
	}
	adamGeneric(p[n:], g[n:], m[n:], v[n:], c)
}

func adam32OnAVX2(p, g, m, v []float32, c AdamCoef[float32]) {
	n := len(p) &^ 7
	if n > 0 {
		adam32AVX2(&p[0], &g[0], &m[0], &v[0], n, &c.Beta1)
	}
	adamGeneric(p[n:], g[n:], m[n:], v[n:], c)
}

// The updates of Adadelta call their kernels as those of Adam do.

func adadelta64OnAVX512(p, g, m, v []float64, c AdadeltaCoef[float64]) {
	if len(p) > 0 {
		adadelta64AVX512(&p[0], &g[0], &m[0], &v[0], len(p), &c.Rho)
	}
}

func adadelta32OnAVX512(p, g, m, v []float32, c AdadeltaCoef[float32]) {
	if len(p) > 0 {
		adadelta32AVX512(&p[0], &g[0], &m[0], &v[0], len(p), &c.Rho)
	}
}

func adadelta64OnAVX2(p, g, m, v []float64, c AdadeltaCoef[float64]) {
	n := len(p) &^ 3
	if n > 0 {
		adadelta64AVX2(&p[0], &g[0], &m[0], &v[0], n, &c.Rho)
	}
	adadeltaGeneric(p[n:], g[n:], m[n:], v[n:], c)
}

func adadelta32OnAVX2(p, g, m, v []float32, c AdadeltaCoef[float32]) {
	n := len(p) &^ 7
	if n > 0 {
		adadelta32AVX2(&p[0], &g[0], &m[0], &v[0], n, &c.Rho)
	}
	adadeltaGeneric(p[n:], g[n:], m[n:], v[n:], c)
}

// bestKernels returns the fastest kernels this CPU supports.
func bestKernels() *kernels {
	switch {
	case hasAVX512:
		return avx512Kernels
	case hasAVX2:
		return avx2Kernels
	}
	return genericKernels
}

// allKernels returns every implementation this CPU can run, for tests.
func allKernels() []*kernels {
	ks := []*kernels{genericKernels}
	if hasAVX2 {
		ks = append(ks, avx2Kernels)
	}
	if hasAVX512 {
		ks = append(ks, avx512Kernels)
	}
	return ks
}
