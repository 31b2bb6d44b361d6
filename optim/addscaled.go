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
	if unsafe.Sizeof(c) == 4 {
		vmath.AddScaled32(as[float32](p), as[float32](p), as[float32](g), *(*float32)(unsafe.Pointer(&c)))
		return
	}
	vmath.AddScaled64(as[float64](p), as[float64](p), as[float64](g), *(*float64)(unsafe.Pointer(&c)))
}

// as views s, of a float type of E's size, as a []E.
func as[E, T float](s []T) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
