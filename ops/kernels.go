package ops

import (
	"golang.org/x/exp/constraints"

	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// Elementwise loops. Hot operations get their own loops, one per layout: vv (two arrays of the
// same length, SIMD kernels from internal/vmath for add, sub and mul), vs (array and scalar) and
// sv (scalar and array). Others are built from a scalar function by binMap and unMap.

// float is the element type of a kernel: float32 or float64.
type float = constraints.Float

// binFns holds the loops of one binary operation for one element type.
type binFns[T float] struct {
	vv func(o, a, b []T)
	vs func(o, a []T, b T)
	sv func(o []T, a T, b []T)
	// rows applies the operation between every row of a and the row vector b (len(b) wide) in
	// one loop, for short rows (see shortRow); nil where there is none, and vv runs row by row.
	rows func(o, a, b []T)
}

// shortRow is the row length below which runBinary adds a row vector to every row (a layer's
// bias) with the kernel's rows loop, not vv row by row: a call of the vectorised kernel costs
// more than adding a few elements. A (4,4) + (4) Add took 84 ns with AddVV64 per row.
const shortRow = 16

// addRows sets o = a + b with the row vector b added to every row of a.
func addRows[T float](o, a, b []T) {
	n := len(b)
	a = a[:len(o)]
	for i := 0; i+n <= len(o); i += n {
		oo, aa := o[i:i+n:i+n], a[i:i+n:i+n]
		for j, x := range b {
			oo[j] = aa[j] + x
		}
	}
}

// binKernel holds a binary operation's loops for both element types, and its scalar function
// for the scalar fast path (nil where there is none).
type binKernel struct {
	f64 binFns[float64]
	f32 binFns[float32]
	s   func(x, y float64) float64
}

// unKernel holds a unary operation's loops for both element types, and its scalar function for
// the scalar fast path (nil where there is none), which must give an element's bits as f64 does.
type unKernel struct {
	f64 func(o, x []float64)
	f32 func(o, x []float32)
	s   func(x float64) float64
	// grain, if not 0, replaces the package's grain: the kernel splits over the cores from
	// 2·grain elements. A kernel costing a transcendental function per element is worth
	// splitting at far fewer elements than a cheap memory-bound loop.
	grain int
}

// costlyGrain is the grain of kernels that cost a few nanoseconds per element (a call of a
// scalar function, or float32 Tanh's float64 sigmoid), against a hand-off of about a
// microsecond: split from 4096 elements, Log of 8192 float32s took 36–42 µs instead of 65–68,
// and Tanh 11–15 instead of 17. The SIMD sigmoid and exponential, under half a nanosecond an
// element, gained nothing from it and keep the package's grain.
const costlyGrain = 2048

// expInPlace sets e = e^e with vmath's SIMD exponential.
func expInPlace[T float](e []T) {
	if isF32[T]() {
		vmath.Exp32(as32(e), as32(e))
	} else {
		vmath.Exp64(as64(e), as64(e))
	}
}

func addVS[T float](o, a []T, b T) {
	a = a[:len(o)]
	for i := range o {
		o[i] = a[i] + b
	}
}
func addSV[T float](o []T, a T, b []T) { addVS(o, b, a) }

func subVS[T float](o, a []T, b T) {
	a = a[:len(o)]
	for i := range o {
		o[i] = a[i] - b
	}
}
func subSV[T float](o []T, a T, b []T) {
	b = b[:len(o)]
	for i := range o {
		o[i] = a - b[i]
	}
}

func mulVS[T float](o, a []T, b T) {
	a = a[:len(o)]
	for i := range o {
		o[i] = a[i] * b
	}
}
func mulSV[T float](o []T, a T, b []T) { mulVS(o, b, a) }

// scaleInto sets o = a·c, on several cores when large.
func scaleInto[T float](o, a []T, c T) {
	if parallel.Worth(len(o), grain) {
		if isF32[T]() { // the tables' loops: a generic function value would allocate
			runVS(mulK.f32.vs, nil, as32(o), as32(a), float32(c)) // ops/vstask.go
		} else {
			runVS(mulK.f64.vs, nil, as64(o), as64(a), float64(c))
		}
		return
	}
	mulVS(o, a, c)
}

func divVV[T float](o, a, b []T) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] / b[i]
	}
}
func divVS[T float](o, a []T, b T) {
	a = a[:len(o)]
	for i := range o {
		o[i] = a[i] / b
	}
}
func divSV[T float](o []T, a T, b []T) {
	b = b[:len(o)]
	for i := range o {
		o[i] = a / b[i]
	}
}

var (
	addK = binKernel{
		binFns[float64]{vmath.AddVV64, addVS[float64], addSV[float64], addRows[float64]},
		binFns[float32]{vmath.AddVV32, addVS[float32], addSV[float32], addRows[float32]},
		func(x, y float64) float64 { return x + y },
	}
	subK = binKernel{
		binFns[float64]{vmath.SubVV64, subVS[float64], subSV[float64], nil},
		binFns[float32]{vmath.SubVV32, subVS[float32], subSV[float32], nil},
		func(x, y float64) float64 { return x - y },
	}
	mulK = binKernel{
		binFns[float64]{vmath.MulVV64, mulVS[float64], mulSV[float64], nil},
		binFns[float32]{vmath.MulVV32, mulVS[float32], mulSV[float32], nil},
		func(x, y float64) float64 { return x * y },
	}
	divK = binKernel{
		binFns[float64]{divVV[float64], divVS[float64], divSV[float64], nil},
		binFns[float32]{divVV[float32], divVS[float32], divSV[float32], nil},
		func(x, y float64) float64 { return x / y },
	}
)

// binMap builds a binary kernel from a scalar function evaluated in float64.
func binMap(f func(x, y float64) float64) binKernel {
	return binKernel{binMapT[float64](f), binMapT[float32](f), f}
}

func binMapT[T float](f func(x, y float64) float64) binFns[T] {
	return binFns[T]{
		vv: func(o, a, b []T) {
			for i := range o {
				o[i] = T(f(float64(a[i]), float64(b[i])))
			}
		},
		vs: func(o, a []T, b T) {
			for i := range o {
				o[i] = T(f(float64(a[i]), float64(b)))
			}
		},
		sv: func(o []T, a T, b []T) {
			for i := range o {
				o[i] = T(f(float64(a), float64(b[i])))
			}
		},
	}
}

// unMap builds a unary kernel from a scalar function evaluated in float64: a call per element,
// so it splits over the cores from 2·costlyGrain elements.
func unMap(f func(x float64) float64) unKernel {
	return unKernel{
		s:     f,
		grain: costlyGrain,
		f64: func(o, x []float64) {
			x = x[:len(o)]
			for i := range o {
				o[i] = f(x[i])
			}
		},
		f32: func(o, x []float32) {
			x = x[:len(o)]
			for i := range o {
				o[i] = float32(f(float64(x[i])))
			}
		},
	}
}

// map1 runs the loop f over o and x (of one length), on several cores from 2·g elements (g 0:
// the package's grain).
func map1[T float](f func(o, x []T), o, x []T, g int) {
	if g == 0 {
		g = grain
	}
	if parallel.Worth(len(o), g) {
		runMap(f, nil, o, x, nil, g) // ops/maptask.go
		return
	}
	f(o, x)
}

// map2 runs the loop f over o, a and b (of one length), on several cores when they are large.
func map2[T float](f func(o, a, b []T), o, a, b []T) {
	if parallel.Worth(len(o), grain) {
		runMap(nil, f, o, a, b, grain) // ops/maptask.go
		return
	}
	f(o, a, b)
}

// runBinary computes o = a ⊙ b where a and b (shapes sa, sb) broadcast to shape.
func runBinary[T float](k *binFns[T], o, a, b []T, sa, sb, shape []int) {
	big := parallel.Worth(len(o), grain)
	switch {
	case len(a) == len(o) && len(b) == len(o):
		map2(k.vv, o, a, b)
		return
	case len(b) == 1 && len(a) == len(o) && big:
		runVS(k.vs, nil, o, a, b[0])
		return
	case len(b) == 1 && len(a) == len(o):
		k.vs(o, a, b[0])
		return
	case len(a) == 1 && len(b) == len(o) && big:
		runVS(nil, k.sv, o, b, a[0])
		return
	case len(a) == 1 && len(b) == len(o):
		k.sv(o, a[0], b)
		return
	}
	r := len(shape)
	if n := shape[r-1]; len(a) == len(o) && len(b) == n && n > 0 && sb[len(sb)-1] == n {
		runRowVec(k, o, a, b) // a row vector added to every row, as a layer's bias is
		return
	}
	if len(o) > 0 {
		runBcast(k, o, a, b, sa, sb, shape)
	}
}

// contiguousStrides returns the row-major strides of shape.
func contiguousStrides(shape []int) dims {
	var st dims
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= shape[i]
	}
	return st
}
