package vmath

// AddScaled64 sets o[i] = a[i] + c·b[i] for i < len(o), the product rounded
// before the sum as the Go expression a[i] + float64(c*b[i]) is (no fused
// multiply-add): the update p ← p − η·g of gradient descent with c = −η.
// o may be a or b itself, but must not otherwise overlap them. AddScaled64
// panics if a or b is shorter than o.
func AddScaled64(o, a, b []float64, c float64) {
	checkVV(len(o), len(a), len(b), "AddScaled64")
	impl.addScaled64(o, a[:len(o)], b[:len(o)], c)
}

// AddScaled32 is AddScaled64 for float32, in float32 arithmetic.
func AddScaled32(o, a, b []float32, c float32) {
	checkVV(len(o), len(a), len(b), "AddScaled32")
	impl.addScaled32(o, a[:len(o)], b[:len(o)], c)
}

// addScaledVVGeneric is the pure-Go kernel; o, a and b have the same length.
// The explicit conversion forbids fusing the product into the sum.
func addScaledVVGeneric[T float32 | float64](o, a, b []T, c T) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] + T(c*b[i])
	}
}
