//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// The AVX-512 forms of ReLU's loops (ops/relu_amd64.s): sixteen float32s or eight float64s a
// compare and a zeroing move, where the Go loops take an element at a time.

//go:noescape
func relu32AVX512(o, x *float32, n int)

//go:noescape
func relu64AVX512(o, x *float64, n int)

//go:noescape
func reluGrad32AVX512(o, gr, a *float32, n int)

//go:noescape
func reluGrad64AVX512(o, gr, a *float64, n int)

// reluAsm enables the assembly loops (ReLU's and unpoolPlane2x2's); tests turn it off to
// check the Go ones.
var reluAsm = cpu.X86.HasAVX512F

// reluVec sets o = relu(x) with the assembly loop and reports true, or reports false when the
// CPU lacks AVX-512. x is at least as long as o.
func reluVec[T float](o, x []T) bool {
	if !reluAsm || len(o) == 0 {
		return false
	}
	x = x[:len(o)]
	if isF32[T]() {
		relu32AVX512(&as32(o)[0], &as32(x)[0], len(o))
	} else {
		relu64AVX512(&as64(o)[0], &as64(x)[0], len(o))
	}
	return true
}

// reluGradVec is reluVec for ReLU's backward: o = g where a > 0, else 0.
func reluGradVec[T float](o, g, a []T) bool {
	if !reluAsm || len(o) == 0 {
		return false
	}
	g, a = g[:len(o)], a[:len(o)]
	if isF32[T]() {
		reluGrad32AVX512(&as32(o)[0], &as32(g)[0], &as32(a)[0], len(o))
	} else {
		reluGrad64AVX512(&as64(o)[0], &as64(g)[0], &as64(a)[0], len(o))
	}
	return true
}
