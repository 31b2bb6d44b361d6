package ops

import "github.com/gograd/gograd/internal/vmath"

// The LSTM kernels' elementwise arithmetic, one vector pass of vmath per operation over a chunk
// of at most lstmChunk units in the caller's scratch. Each pass rounds its operation, and the
// passes follow the expressions' order of evaluation, so the kernels give the bits of plain Go
// loops with every operation rounded (TestLSTMKernelsMatchLoops): the loops they replaced on
// amd64, where Go does not fuse a multiply and an add; on arm64 (or with GOAMD64=v3), where it
// may, those loops rounded some products into the sums once, and the kernels now round them
// twice, within an ulp of the fused results.

// mulInto sets o = a·b.
func mulInto[T float](o, a, b []T) {
	if isF32[T]() {
		vmath.MulVV32(as32(o), as32(a), as32(b))
	} else {
		vmath.MulVV64(as64(o), as64(a), as64(b))
	}
}

// addInto sets o = a + b.
func addInto[T float](o, a, b []T) {
	if isF32[T]() {
		vmath.AddVV32(as32(o), as32(a), as32(b))
	} else {
		vmath.AddVV64(as64(o), as64(a), as64(b))
	}
}

// subInto sets o = a − b.
func subInto[T float](o, a, b []T) {
	if isF32[T]() {
		vmath.SubVV32(as32(o), as32(a), as32(b))
	} else {
		vmath.SubVV64(as64(o), as64(a), as64(b))
	}
}

// gradSigmoidTimes sets o = g·x·s·(1 − s), evaluated left to right: a sigmoid gate's derivative
// (s = σ(a)) applied to g·x. u and v are scratch of len(o).
func gradSigmoidTimes[T float](o, g, x, s, u, v []T) {
	mulInto(u, g, x)
	mulInto(u, u, s)
	subInto(v, ones[T]()[:len(o)], s)
	mulInto(o, u, v)
}

// gradTanhTimes sets o = g·s·(1 − t·t), evaluated as (g·s)·(1 − t·t): the tanh's derivative
// (t = tanh) applied to g·s. u and v are scratch of len(o).
func gradTanhTimes[T float](o, g, s, t, u, v []T) {
	mulInto(u, t, t)
	subInto(v, ones[T]()[:len(o)], u)
	mulInto(u, g, s)
	mulInto(o, u, v)
}

// ones returns lstmChunk ones of type T.
func ones[T float]() []T {
	if isF32[T]() {
		return any(ones32[:]).([]T)
	}
	return any(ones64[:]).([]T)
}

var (
	ones32 = fill(new([lstmChunk]float32))
	ones64 = fill(new([lstmChunk]float64))
)

func fill[T float](a *[lstmChunk]T) *[lstmChunk]T {
	for i := range a {
		a[i] = 1
	}
	return a
}
