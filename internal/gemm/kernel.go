package gemm

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
	viaGonum   bool // no micro-kernel: products go to gonum (see viagonum.go); mr and nr only guide the split
	// splitFactor, when above 1, raises the size from which products are split across cores
	// to parallelWork·splitFactor (see portableSplitFactor).
	splitFactor int
	// direct, when not nil, holds the kernels of the unpacked path for small products (see
	// direct.go).
	direct *directKernels[T]
}

// maxTile bounds mr*nr over all kernels; edge tiles are computed into a
// stack buffer of this size.
const maxTile = 8 * 48

// genericKernel64 and genericKernel32 are the pure-Go micro-kernels of this
// architecture; see portableKernel.
var (
	genericKernel64 = portableKernel(kernel4x4Go64, kernel4x2Go64)
	genericKernel32 = portableKernel(kernel4x4Go32, kernel4x2Go32)
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
