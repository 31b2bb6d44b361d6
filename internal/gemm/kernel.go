package gemm

import "unsafe"

// float is the set of element types the package computes with.
type float interface {
	~float32 | ~float64
}

// kernelFunc computes an mr×nr tile C = alpha*A*B + beta*C from a packed A
// micro-panel (k steps of mr values) and a packed B micro-panel (k steps of nr
// values); ldc is C's row stride. When beta is ±0, C is not read.
type kernelFunc[T float] func(k int, a, b, c *T, ldc int, alpha, beta T)

// kernel describes a micro-kernel and the cache blocking that suits it.
type kernel[T float] struct {
	name       string
	mr, nr     int // register tile
	kc, mc, nc int // cache blocks (mc a multiple of mr, nc of nr)
	fn         kernelFunc[T]
}

// maxTile bounds mr*nr over all kernels; edge tiles are computed into a
// stack buffer of this size.
const maxTile = 8 * 48

// genericKernel64 and genericKernel32 are the pure-Go 4×4 micro-kernels.
var (
	genericKernel64 = &kernel[float64]{name: "generic", mr: 4, nr: 4, kc: 256, mc: 128, nc: 1024, fn: kernGeneric[float64]}
	genericKernel32 = &kernel[float32]{name: "generic", mr: 4, nr: 4, kc: 256, mc: 128, nc: 1024, fn: kernGeneric[float32]}
)

// dkern and skern are the kernels in use; tests may swap them.
var (
	dkern = genericKernel64
	skern = genericKernel32
)

// useGeneric forces the pure-Go kernels when on is true and restores the
// best kernels for this CPU otherwise. It is not safe for concurrent use with
// Dgemm or Sgemm.
func useGeneric(on bool) {
	if on {
		dkern, skern = genericKernel64, genericKernel32
		return
	}
	dkern, skern = bestKernel64(), bestKernel32()
}

func init() { useGeneric(false) }

// kernGeneric is the portable 4×4 micro-kernel.
func kernGeneric[T float](k int, a, b, c *T, ldc int, alpha, beta T) {
	as := unsafe.Slice(a, 4*k)
	bs := unsafe.Slice(b, 4*k)
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	var c20, c21, c22, c23, c30, c31, c32, c33 T
	for p := 0; p < k; p++ {
		ap := as[4*p : 4*p+4 : 4*p+4]
		bp := bs[4*p : 4*p+4 : 4*p+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0 := ap[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := ap[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a2 := ap[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		a3 := ap[3]
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	cs := unsafe.Slice(c, 3*ldc+4)
	storeRow(cs[0:4:4], alpha, beta, c00, c01, c02, c03)
	storeRow(cs[ldc:ldc+4:ldc+4], alpha, beta, c10, c11, c12, c13)
	storeRow(cs[2*ldc:2*ldc+4:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	storeRow(cs[3*ldc:3*ldc+4:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

// storeRow writes alpha*(x0..x3) + beta*c into c, not reading c when beta is 0.
func storeRow[T float](c []T, alpha, beta T, x0, x1, x2, x3 T) {
	c = c[:4]
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*x0, alpha*x1, alpha*x2, alpha*x3
		return
	}
	c[0] = alpha*x0 + beta*c[0]
	c[1] = alpha*x1 + beta*c[1]
	c[2] = alpha*x2 + beta*c[2]
	c[3] = alpha*x3 + beta*c[3]
}
