//go:build amd64 && !purego

package ops

import (
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/gograd/gograd/internal/parallel"
)

// The AVX-512 forms of ReLU's loops (ops/relu_amd64.s): sixteen float32s or eight float64s a
// compare and a zeroing move, where the Go loops take an element at a time. The Stream forms of
// the backward write whole 64-byte lines with non-temporal stores (see reluStreamMin).

//go:noescape
func relu32AVX512(o, x *float32, n int)

//go:noescape
func relu64AVX512(o, x *float64, n int)

//go:noescape
func reluGrad32AVX512(o, gr, a *float32, n int)

//go:noescape
func reluGrad64AVX512(o, gr, a *float64, n int)

//go:noescape
func reluGrad32Stream(o, gr, a *float32, n int)

//go:noescape
func reluGrad64Stream(o, gr, a *float64, n int)

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

// reluGradVec is reluVec for ReLU's backward: o = g where a > 0, else 0. From reluStreamMin
// bytes, on more than one core, it writes o's whole cache lines with non-temporal stores
// (reluGradStream).
func reluGradVec[T float](o, g, a []T) bool {
	if !reluAsm || len(o) == 0 {
		return false
	}
	g, a = g[:len(o)], a[:len(o)]
	// Chunks(2, 1) is the number of cores the pool would split two elements over.
	if len(o)*int(unsafe.Sizeof(o[0])) >= reluStreamMin && parallel.Chunks(2, 1) > 1 {
		reluGradStream(o, g, a)
		return true
	}
	if isF32[T]() {
		reluGrad32AVX512(&as32(o)[0], &as32(g)[0], &as32(a)[0], len(o))
	} else {
		reluGrad64AVX512(&as64(o)[0], &as64(g)[0], &as64(a)[0], len(o))
	}
	return true
}

// reluStreamMin is the size in bytes from which a call of ReLU's backward (each chunk, when the
// pool splits it) writes its result with non-temporal stores, when the pool has more than one
// core. The result, a layer's ∂Z, is read next by the weight gradient's product, which the pool
// splits over the cores, so that several cores hold copies of its lines; at the next step,
// ordinary stores fetch each line and wait for the other copies to be invalidated, one line at a
// time. A non-temporal store writes the whole line without fetching it, and leaves it out of this
// core's cache: a trade. Where another core reads the result next it pays, most in the phases of
// bench/README's virtual machine where a line taken back from another core costs ~10 ns (MLPStep's
// 64×256 float32 ∂Z₁ took 11 µs there with ordinary stores, 3.4 µs streamed; step ÷ GEMMs fell
// from 1.33 to 1.29); where this core reads it next, from memory instead of its cache, it costs:
// 2.4 µs more for 64 KB in a microbenchmark. 32 KB is half of the smallest result measured.
const reluStreamMin = 32 << 10

// reluGradStream is reluGradVec's loop through the non-temporal stores.
func reluGradStream[T float](o, g, a []T) {
	if isF32[T]() {
		streamed(as32(o), as32(g), as32(a), reluGrad32AVX512, reluGrad32Stream)
	} else {
		streamed(as64(o), as64(g), as64(a), reluGrad64AVX512, reluGrad64Stream)
	}
}

// streamed computes o from g and a with stream over o's whole 64-byte lines, and with plain
// over the elements before the first line boundary and after the last whole line. stream needs
// a 64-byte aligned o (a non-temporal store elsewhere faults) and a positive number of lines.
func streamed[E float32 | float64](o, g, a []E, plain, stream func(o, g, a *E, n int)) {
	size := int(unsafe.Sizeof(o[0]))
	head := (64 - int(uintptr(unsafe.Pointer(&o[0]))%64)) % 64 / size
	body := max(0, len(o)-head) / (64 / size) * (64 / size)
	if body == 0 {
		plain(&o[0], &g[0], &a[0], len(o))
		return
	}
	if head > 0 {
		plain(&o[0], &g[0], &a[0], head)
	}
	stream(&o[head], &g[head], &a[head], body)
	if rest := len(o) - head - body; rest > 0 {
		plain(&o[head+body], &g[head+body], &a[head+body], rest)
	}
}
