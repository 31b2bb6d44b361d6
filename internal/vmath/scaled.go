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

// addScaledVVGeneric is the pure-Go kernel; o, a and b have the same length. It
// hands each dtype to a loop of its own: inside a generic function the
// conversion T(c*b[i]) does not stop the compiler from fusing the product into
// the sum (arm64 did, giving a different last bit), where float64(c*b[i]) in
// non-generic code does, as the Go specification promises.
func addScaledVVGeneric[T float32 | float64](o, a, b []T, c T) {
	if o64, ok := any(o).([]float64); ok {
		addScaledGo64(o64, any(a).([]float64), any(b).([]float64), float64(c))
		return
	}
	addScaledGo32(any(o).([]float32), any(a).([]float32), any(b).([]float32), float32(c))
}

func addScaledGo64(o, a, b []float64, c float64) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] + float64(c*b[i])
	}
}

func addScaledGo32(o, a, b []float32, c float32) {
	a, b = a[:len(o)], b[:len(o)]
	for i := range o {
		o[i] = a[i] + float32(c*b[i])
	}
}
