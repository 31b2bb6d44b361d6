//go:build !amd64 || purego

package vmath

// bestKernels returns the pure-Go kernels: no assembly is available.
func bestKernels() *kernels { return genericKernels }

// allKernels returns every implementation available, for tests.
func allKernels() []*kernels { return []*kernels{genericKernels} }
