// Package vmath provides vectorised elementwise math kernels for float64 and
// float32 slices: e^x, the logistic sigmoid and its gradient, and the sum,
// difference and product of two vectors, the scaled sum of gradient descent
// (also applied to the rows of a table that a sparse gradient names) and the
// updates of Adam and Adadelta.
//
// On amd64 the kernels are AVX-512 or AVX2+FMA assembly chosen at run time;
// elsewhere, and with the purego build tag, they are pure Go. Both compute the
// same operations in the same order, so every path gives the same bits (see
// exp_generic.go for the algorithm). The functions neither allocate nor start
// goroutines: the caller parallelises. The output o may be an input itself,
// but must not otherwise overlap one.
package vmath

// Exp64 sets o[i] = e^x[i] for i < len(o), within 2 ulp of math.Exp: 0 gives
// exactly 1, +Inf and overflow give +Inf, −Inf and underflow give 0, results
// in the subnormal range are rounded once, and NaN gives NaN.
// Exp64 panics if len(x) < len(o).
func Exp64(o, x []float64) {
	if len(x) < len(o) {
		panic("vmath: Exp64: len(x) < len(o)")
	}
	impl.exp64(o, x[:len(o)])
}

// Exp32 sets o[i] = e^x[i] for i < len(o), within 2 ulp of the float32
// rounding of the exact value, with the special values of Exp64.
// Exp32 panics if len(x) < len(o).
func Exp32(o, x []float32) {
	if len(x) < len(o) {
		panic("vmath: Exp32: len(x) < len(o)")
	}
	impl.exp32(o, x[:len(o)])
}

// Sigmoid64 sets o[i] = 1/(1+e^−x[i]) for i < len(o), computed without
// overflow for any x: +Inf and large x give exactly 1, −Inf and large
// negative x give 0 (through the subnormals), 0 gives exactly 0.5 and NaN
// gives NaN. It is within 3 ulp and non-decreasing in x.
// Sigmoid64 panics if len(x) < len(o).
func Sigmoid64(o, x []float64) {
	if len(x) < len(o) {
		panic("vmath: Sigmoid64: len(x) < len(o)")
	}
	impl.sigmoid64(o, x[:len(o)])
}

// Sigmoid32 is Sigmoid64 for float32, in float32 arithmetic.
// Sigmoid32 panics if len(x) < len(o).
func Sigmoid32(o, x []float32) {
	if len(x) < len(o) {
		panic("vmath: Sigmoid32: len(x) < len(o)")
	}
	impl.sigmoid32(o, x[:len(o)])
}

// kernels is one implementation of the functions; o and the inputs have the
// same length.
type kernels struct {
	name             string
	exp64, sigmoid64 func(o, x []float64)
	exp32, sigmoid32 func(o, x []float32)

	add64, sub64, mul64, sigmoidGrad64 func(o, a, b []float64)
	add32, sub32, mul32, sigmoidGrad32 func(o, a, b []float32)
	addScaled64                        func(o, a, b []float64, c float64)
	addScaled32                        func(o, a, b []float32, c float32)
	addScaledRows64                    func(w, g []float64, d int, rows []int, lo, hi int, c float64)
	addScaledRows32                    func(w, g []float32, d int, rows []int, lo, hi int, c float32)
	adam64                             func(p, g, m, v []float64, c AdamCoef[float64])
	adam32                             func(p, g, m, v []float32, c AdamCoef[float32])
	adadelta64                         func(p, g, m, v []float64, c AdadeltaCoef[float64])
	adadelta32                         func(p, g, m, v []float32, c AdadeltaCoef[float32])
}

var genericKernels = &kernels{
	name:      "generic",
	exp64:     exp64Generic,
	sigmoid64: sigmoid64Generic,
	exp32:     exp32Generic,
	sigmoid32: sigmoid32Generic,

	add64:         addVV64Generic,
	sub64:         subVV64Generic,
	mul64:         mulVV64Generic,
	sigmoidGrad64: sigmoidGrad64Generic,
	add32:         addVV32Generic,
	sub32:         subVV32Generic,
	mul32:         mulVV32Generic,
	sigmoidGrad32: sigmoidGrad32Generic,
	addScaled64:   addScaledVVGeneric[float64],
	addScaled32:   addScaledVVGeneric[float32],
	adam64:        adamGeneric[float64],
	adam32:        adamGeneric[float32],
	adadelta64:    adadeltaGeneric[float64],
	adadelta32:    adadeltaGeneric[float32],

	addScaledRows64: addScaledRows64Generic,
	addScaledRows32: addScaledRows32Generic,
}

// impl is the implementation in use.
var impl *kernels

// useGeneric forces the pure-Go kernels when on is true and restores the
// fastest ones this CPU supports when it is false. It is for tests.
func useGeneric(on bool) {
	if on {
		impl = genericKernels
	} else {
		impl = bestKernels()
	}
}

func init() { useGeneric(false) }
