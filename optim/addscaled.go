package optim

import (
	"unsafe"

	"github.com/gograd/gograd/internal/vmath"
)

// addScaled sets p[i] += c·g[i] with the vector kernels of vmath (the product rounded before the
// sum, as the Go loop p[i] += c*g[i] without fusing): plain gradient descent is bound by this
// loop, which Go compiles to scalar instructions, one element at a time.
func addScaled[T float](p, g []T, c T) {
	g = g[:len(p)]
	if len(p) < shortScaled {
		addScaledLoop(p, g, c)
		return
	}
	if unsafe.Sizeof(c) == 4 {
		vmath.AddScaled32(as[float32](p), as[float32](p), as[float32](g), *(*float32)(unsafe.Pointer(&c)))
		return
	}
	vmath.AddScaled64(as[float64](p), as[float64](p), as[float64](g), *(*float64)(unsafe.Pointer(&c)))
}

// shortScaled is the length below which addScaled runs its own loop: vmath's dispatch costs a
// parameter of a few elements more than its sum (a bias of 4 in BenchmarkXORStep), as it did
// autograd's one-element gradient sums (autograd.addInto).
const shortScaled = 16

// addScaledLoop sets p[i] += c·g[i], the product rounded on its own (the conversion T(c*g[i])
// keeps the compiler from fusing it into the sum, as vmath's kernels do not), so it gives their
// bits.
func addScaledLoop[T float](p, g []T, c T) {
	g = g[:len(p)]
	for i := range p {
		p[i] += T(c * g[i])
	}
}

// as views s, of a float type of E's size, as a []E.
func as[E, T float](s []T) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
