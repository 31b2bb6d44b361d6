package vmath

// The elementwise arithmetic kernels. Each operation is rounded on its own,
// exactly as Go rounds the scalar expression (the assembly uses no fused
// multiply-add), so every path gives the bits of the plain Go loop; only the
// payload of a NaN result may differ. o may be a or b itself, but must not
// otherwise overlap them.

// AddVV64 sets o[i] = a[i] + b[i] for i < len(o).
// AddVV64 panics if a or b is shorter than o.
func AddVV64(o, a, b []float64) {
	checkVV(len(o), len(a), len(b), "AddVV64")
	impl.add64(o, a[:len(o)], b[:len(o)])
}

// SubVV64 sets o[i] = a[i] − b[i] for i < len(o).
// SubVV64 panics if a or b is shorter than o.
func SubVV64(o, a, b []float64) {
	checkVV(len(o), len(a), len(b), "SubVV64")
	impl.sub64(o, a[:len(o)], b[:len(o)])
}

// MulVV64 sets o[i] = a[i] · b[i] for i < len(o).
// MulVV64 panics if a or b is shorter than o.
func MulVV64(o, a, b []float64) {
	checkVV(len(o), len(a), len(b), "MulVV64")
	impl.mul64(o, a[:len(o)], b[:len(o)])
}

// SigmoidGrad64 sets o[i] = g[i]·y[i]·(1 − y[i]) for i < len(o), the
// gradient of the sigmoid y = σ(x) given the gradient g of its output,
// rounded as the Go expression g[i] * y[i] * (1 - y[i]) is: (g·y)·(1 − y).
// SigmoidGrad64 panics if g or y is shorter than o.
func SigmoidGrad64(o, g, y []float64) {
	checkVV(len(o), len(g), len(y), "SigmoidGrad64")
	impl.sigmoidGrad64(o, g[:len(o)], y[:len(o)])
}

// AddVV32 is AddVV64 for float32.
func AddVV32(o, a, b []float32) {
	checkVV(len(o), len(a), len(b), "AddVV32")
	impl.add32(o, a[:len(o)], b[:len(o)])
}

// SubVV32 is SubVV64 for float32.
func SubVV32(o, a, b []float32) {
	checkVV(len(o), len(a), len(b), "SubVV32")
	impl.sub32(o, a[:len(o)], b[:len(o)])
}

// MulVV32 is MulVV64 for float32.
func MulVV32(o, a, b []float32) {
	checkVV(len(o), len(a), len(b), "MulVV32")
	impl.mul32(o, a[:len(o)], b[:len(o)])
}

// SigmoidGrad32 is SigmoidGrad64 for float32, in float32 arithmetic.
func SigmoidGrad32(o, g, y []float32) {
	checkVV(len(o), len(g), len(y), "SigmoidGrad32")
	impl.sigmoidGrad32(o, g[:len(o)], y[:len(o)])
}

func checkVV(n, na, nb int, name string) {
	if na < n || nb < n {
		panic("vmath: " + name + ": input shorter than o")
	}
}

// The pure-Go kernels; o, a and b have the same length. The explicit
// conversions forbid fusing a product into a later operation.

func addVV64Generic(o, a, b []float64) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] + b[i]
	}
}

func subVV64Generic(o, a, b []float64) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] - b[i]
	}
}

func mulVV64Generic(o, a, b []float64) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] * b[i]
	}
}

func sigmoidGrad64Generic(o, g, y []float64) {
	g, y = g[:len(o)], y[:len(o)]
	for i := range o {
		o[i] = ScalarSigmoidGrad64(g[i], y[i])
	}
}

func addVV32Generic(o, a, b []float32) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] + b[i]
	}
}

func subVV32Generic(o, a, b []float32) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] - b[i]
	}
}

func mulVV32Generic(o, a, b []float32) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] * b[i]
	}
}

func sigmoidGrad32Generic(o, g, y []float32) {
	g, y = g[:len(o)], y[:len(o)]
	for i := range o {
		o[i] = float32(g[i]*y[i]) * (1 - y[i])
	}
}
