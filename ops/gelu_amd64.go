//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// The AVX-512 forms of geluFwd32's two loops and of geluBwd's float32 ones (ops/gelu_amd64.s), eight elements an
// instruction where the Go loops take one: they made GELU's forward pass the largest cost of a
// transformer step after the matrix products (issue 12).

//go:noescape
func geluArg32AVX512(e, t *float64, x *float32, n int)

//go:noescape
func geluOut32AVX512(o, x *float32, e, t *float64, n int)

//go:noescape
func geluSq32AVX512(o, x *float32, n int)

//go:noescape
func geluBwd32AVX512(o, x, gr, y *float32, n int)

// geluAsm enables the assembly loops (their masked tails need AVX-512 DQ and VL too); tests
// turn it off to check the Go ones.
var geluAsm = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// geluArgVec sets t[i] = 1/(1 + z/2) and e[i] = −z² + P(t[i]), z = |x[i]|/√2, for x of e's
// length with the assembly loop and reports true, or reports false when the CPU lacks AVX-512.
func geluArgVec(e, t []float64, x []float32) bool {
	if !geluAsm || len(e) == 0 {
		return false
	}
	geluArg32AVX512(&e[0], &t[:len(e)][0], &x[:len(e)][0], len(e))
	return true
}

// geluOutVec sets o[i] = x[i]·Φ(x[i]) from the exponentials e and the t with the assembly loop
// and reports true, or reports false when the CPU lacks AVX-512.
func geluOutVec(o, x []float32, e, t []float64) bool {
	if !geluAsm || len(o) == 0 {
		return false
	}
	geluOut32AVX512(&o[0], &x[:len(o)][0], &e[:len(o)][0], &t[:len(o)][0], len(o))
	return true
}

// geluBwdVec runs geluBwd's float32 loops around the exponential exp with the assembly ones and
// reports true, or reports false when the CPU lacks AVX-512.
func geluBwdVec(o, x, g, y []float32, exp func(o, x []float32)) bool {
	if !geluAsm || len(o) == 0 {
		return false
	}
	n := len(o)
	x, g, y = x[:n], g[:n], y[:n]
	geluSq32AVX512(&o[0], &x[0], n)
	exp(o, o)
	geluBwd32AVX512(&o[0], &x[0], &g[0], &y[0], n)
	return true
}
