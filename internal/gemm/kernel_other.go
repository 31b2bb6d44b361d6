//go:build !(amd64 || arm64) || purego

package gemm

// bestKernel64 returns the fastest float64 kernel without this package's assembly (see
// portableBest).
func bestKernel64() *kernel[float64] { return portableBest(gonumKernel64, genericKernel64) }

// bestKernel32 returns the fastest float32 kernel without this package's assembly.
func bestKernel32() *kernel[float32] { return portableBest(gonumKernel32, genericKernel32) }

// kernels64 returns every float64 kernel available, for tests.
func kernels64() []*kernel[float64] { return portableKernels64() }

// kernels32 returns every float32 kernel available, for tests.
func kernels32() []*kernel[float32] { return portableKernels32() }
