//go:build !amd64 || purego

package gemm

// bestKernel64 returns the pure-Go float64 kernel: no assembly is available.
func bestKernel64() *kernel[float64] { return genericKernel64 }

// bestKernel32 returns the pure-Go float32 kernel: no assembly is available.
func bestKernel32() *kernel[float32] { return genericKernel32 }

// kernels64 returns every float64 kernel available, for tests.
func kernels64() []*kernel[float64] { return portableKernels64() }

// kernels32 returns every float32 kernel available, for tests.
func kernels32() []*kernel[float32] { return portableKernels32() }
