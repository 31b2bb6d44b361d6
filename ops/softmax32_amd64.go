//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// The AVX-512 forms of softmaxRow32's and softmaxGradRow32's loops (ops/softmax32_amd64.s).

// softmaxAsm enables the assembly loops; tests turn it off to check the Go ones.
var softmaxAsm = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// softmaxSub32AVX512 sets o = x − max(x), n ≥ 1 (all NaN if x holds a NaN).
//
//go:noescape
func softmaxSub32AVX512(o, x *float32, n int)

// softmaxDiv32AVX512 divides o by its sum, n ≥ 1.
//
//go:noescape
func softmaxDiv32AVX512(o *float32, n int)

// softmaxGrad32AVX512 sets o = y·(gr − Σ gr·y), n ≥ 1.
//
//go:noescape
func softmaxGrad32AVX512(o, gr, y *float32, n int)
