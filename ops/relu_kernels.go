package ops

import "math"

// Branch-free loops for ReLU and its backward. The obvious loops branch on the sign of every
// element; on a network's activations, about half of them negative in no pattern, the branch
// is mispredicted so often that the loop runs at several nanoseconds per element, ten times
// the time of these, which select through the float's bits. The results are the same bits.
// With AVX-512 (ops/relu_amd64.s) a vector of elements takes a compare and a masked move.

// reluT sets o[i] = x[i] where x[i] > 0 or x[i] is NaN, else +0.
func reluT[T float](o, x []T) {
	if reluVec(o, x) {
		return
	}
	if isF32[T]() {
		relu32(as32(o), as32(x))
	} else {
		relu64(as64(o), as64(x))
	}
}

// relu32 is reluT for float32. As unsigned integers, the bits of −0 through −Inf are
// [1<<31, 0xff800000]: those give +0; +0, positive numbers and NaNs of either sign keep theirs.
func relu32(o, x []float32) {
	x = x[:len(o)]
	for i, v := range x {
		b := math.Float32bits(v)
		if b-1<<31 <= 0xff800000-1<<31 {
			b = 0
		}
		o[i] = math.Float32frombits(b)
	}
}

// relu64 is relu32 for float64.
func relu64(o, x []float64) {
	x = x[:len(o)]
	for i, v := range x {
		o[i] = relu64One(v)
	}
}

// relu64One is relu64 for one value.
func relu64One(v float64) float64 {
	b := math.Float64bits(v)
	if b-1<<63 <= 0xfff0000000000000-1<<63 {
		b = 0
	}
	return math.Float64frombits(b)
}

// reluGradLoop sets o[i] = g[i] where a[i] > 0, else +0 (also where g[i] is infinite or NaN).
func reluGradLoop[T float](o, g, a []T) {
	if reluGradVec(o, g, a) {
		return
	}
	if isF32[T]() {
		reluGrad32(as32(o), as32(g), as32(a))
	} else {
		reluGrad64(as64(o), as64(g), as64(a))
	}
}

// reluGrad32 is reluGradLoop for float32. a > 0 exactly when its bits, as an unsigned integer,
// lie in [1, 0x7f800000] (the smallest denormal through +Inf).
func reluGrad32(o, g, a []float32) {
	g, a = g[:len(o)], a[:len(o)]
	for i, v := range g {
		b := math.Float32bits(v)
		if math.Float32bits(a[i])-1 >= 0x7f800000 {
			b = 0
		}
		o[i] = math.Float32frombits(b)
	}
}

// reluGrad64 is reluGrad32 for float64.
func reluGrad64(o, g, a []float64) {
	g, a = g[:len(o)], a[:len(o)]
	for i, v := range g {
		o[i] = reluGrad64One(v, a[i])
	}
}

// reluGrad64One is reluGrad64 for one value: g where a > 0, else +0.
func reluGrad64One(g, a float64) float64 {
	if math.Float64bits(a)-1 >= 0x7ff0000000000000 {
		return 0
	}
	return g
}
