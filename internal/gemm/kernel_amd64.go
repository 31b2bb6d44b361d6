//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// The assembly micro-kernels in kernel_amd64.s; see kernelFunc.

//go:noescape
func dkernAVX512(k int, a, b, c *float64, ldc int, alpha, beta float64)

//go:noescape
func skernAVX512(k int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dkernAVX2(k int, a, b, c *float64, ldc int, alpha, beta float64)

//go:noescape
func skernAVX2(k int, a, b, c *float32, ldc int, alpha, beta float32)

var (
	hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

var (
	avx512Kernel64 = &kernel[float64]{name: "avx512", mr: 8, nr: 24, kc: 256, mc: 96, nc: 2400, fn: dkernAVX512, direct: &ddirectAVX512}
	avx512Kernel32 = &kernel[float32]{name: "avx512", mr: 8, nr: 48, kc: 256, mc: 96, nc: 2400, fn: skernAVX512, direct: &sdirectAVX512}
	avx2Kernel64   = &kernel[float64]{name: "avx2", mr: 6, nr: 8, kc: 256, mc: 96, nc: 2048, fn: dkernAVX2, direct: &ddirectAVX2}
	avx2Kernel32   = &kernel[float32]{name: "avx2", mr: 6, nr: 16, kc: 256, mc: 96, nc: 2048, fn: skernAVX2, direct: &sdirectAVX2}
)

// bestKernel64 returns the fastest float64 kernel this CPU supports.
func bestKernel64() *kernel[float64] {
	switch {
	case hasAVX512:
		return avx512Kernel64
	case hasAVX2:
		return avx2Kernel64
	}
	return genericKernel64
}

// bestKernel32 returns the fastest float32 kernel this CPU supports.
func bestKernel32() *kernel[float32] {
	switch {
	case hasAVX512:
		return avx512Kernel32
	case hasAVX2:
		return avx2Kernel32
	}
	return genericKernel32
}

// kernels64 returns every float64 kernel this CPU can run, for tests.
func kernels64() []*kernel[float64] {
	ks := portableKernels64()
	if hasAVX2 {
		ks = append(ks, avx2Kernel64)
	}
	if hasAVX512 {
		ks = append(ks, avx512Kernel64)
	}
	return ks
}

// kernels32 returns every float32 kernel this CPU can run, for tests.
func kernels32() []*kernel[float32] {
	ks := portableKernels32()
	if hasAVX2 {
		ks = append(ks, avx2Kernel32)
	}
	if hasAVX512 {
		ks = append(ks, avx512Kernel32)
	}
	return ks
}
