//go:build arm64 && !purego

package gemm

// The NEON micro-kernels in kernel_arm64.s (gen_neon.go); see kernelFunc.

//go:noescape
func dkernNEON(k int, a, b, c *float64, ldc int, alpha, beta float64)

//go:noescape
func skernNEON(k int, a, b, c *float32, ldc int, alpha, beta float32)

// The NEON kernels' tiles hold 16 vector accumulators, half of arm64's 32 vector registers,
// with the column of A and the row of B of one step beside them; their cache blocks are the
// pure-Go kernels'. Every arm64 processor has NEON (Advanced SIMD), so they need no check.
var (
	neonKernel64 = &kernel[float64]{name: "neon", mr: 8, nr: 4, kc: 256, mc: 128, nc: 1024, fn: dkernNEON}
	neonKernel32 = &kernel[float32]{name: "neon", mr: 8, nr: 8, kc: 256, mc: 128, nc: 1024, fn: skernNEON}
)

// bestKernel64 returns the float64 kernel of arm64: the NEON one.
func bestKernel64() *kernel[float64] { return neonKernel64 }

// bestKernel32 returns the float32 kernel of arm64: the NEON one.
func bestKernel32() *kernel[float32] { return neonKernel32 }

// kernels64 returns every float64 kernel available, for tests.
func kernels64() []*kernel[float64] { return append(portableKernels64(), neonKernel64) }

// kernels32 returns every float32 kernel available, for tests.
func kernels32() []*kernel[float32] { return append(portableKernels32(), neonKernel32) }
