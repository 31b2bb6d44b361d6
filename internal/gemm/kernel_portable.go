package gemm

import (
	"runtime"
	"unsafe"
)

// The pure-Go micro-kernels: a 4×4 tile for architectures with 32 floating-point
// registers (arm64, ppc64, riscv64, ...), where its 16 accumulators, 4 values of A and 4 of B
// stay in registers and the compiler fuses each multiply-add; and a 4×2 tile for amd64 and 386,
// whose 15 usable SSE registers would make the 4×4 tile spill on every step (the 4×2 tile ran
// 4-5x faster there in a micro-benchmark).
var (
	kernel4x4Go64 = &kernel[float64]{name: "go4x4", mr: 4, nr: 4, kc: 256, mc: 128, nc: 1024, fn: kern4x4[float64], splitFactor: portableSplitFactor}
	kernel4x4Go32 = &kernel[float32]{name: "go4x4", mr: 4, nr: 4, kc: 256, mc: 128, nc: 1024, fn: kern4x4[float32], splitFactor: portableSplitFactor}
	kernel4x2Go64 = &kernel[float64]{name: "go4x2", mr: 4, nr: 2, kc: 256, mc: 128, nc: 1024, fn: kern4x2[float64], splitFactor: portableSplitFactor}
	kernel4x2Go32 = &kernel[float32]{name: "go4x2", mr: 4, nr: 2, kc: 256, mc: 128, nc: 1024, fn: kern4x2[float32], splitFactor: portableSplitFactor}
)

// fewFPRegisters reports whether this architecture has too few floating-point
// registers for the 4×4 pure-Go tile.
var fewFPRegisters = runtime.GOARCH == "amd64" || runtime.GOARCH == "386"

// portableKernel returns wide when the architecture has registers enough for it, narrow otherwise.
func portableKernel[T float](wide, narrow *kernel[T]) *kernel[T] {
	if fewFPRegisters {
		return narrow
	}
	return wide
}

// portableKernels64 and portableKernels32 return every kernel without this package's assembly,
// for tests: the pure-Go kernels, this architecture's choice first, and the call to gonum.
func portableKernels64() []*kernel[float64] {
	return []*kernel[float64]{genericKernel64, otherOf(genericKernel64, kernel4x4Go64, kernel4x2Go64), gonumKernel64}
}

func portableKernels32() []*kernel[float32] {
	return []*kernel[float32]{genericKernel32, otherOf(genericKernel32, kernel4x4Go32, kernel4x2Go32), gonumKernel32}
}

// otherOf returns whichever of x and y is not k.
func otherOf[T float](k, x, y *kernel[T]) *kernel[T] {
	if k == x {
		return y
	}
	return x
}

// kern4x4 is the pure-Go 4×4 micro-kernel. The k loop walks the packed panels by
// re-slicing, so the compiler proves every index in bounds and emits no checks.
func kern4x4[T float](k int, a, b, c *T, ldc int, alpha, beta T) {
	as := unsafe.Slice(a, 4*k)
	bs := unsafe.Slice(b, 4*k)
	c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 := loop4x4(as, bs)
	cs := unsafe.Slice(c, 3*ldc+4)
	storeRow4(cs[0:4:4], alpha, beta, c00, c01, c02, c03)
	storeRow4(cs[ldc:ldc+4:ldc+4], alpha, beta, c10, c11, c12, c13)
	storeRow4(cs[2*ldc:2*ldc+4:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	storeRow4(cs[3*ldc:3*ldc+4:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

// kern4x2 is the pure-Go 4×2 micro-kernel, for architectures with 16 vector registers.
func kern4x2[T float](k int, a, b, c *T, ldc int, alpha, beta T) {
	as := unsafe.Slice(a, 4*k)
	bs := unsafe.Slice(b, 2*k)
	c00, c01, c10, c11, c20, c21, c30, c31 := loop4x2(as, bs)
	cs := unsafe.Slice(c, 3*ldc+2)
	storeRow2(cs[0:2:2], alpha, beta, c00, c01)
	storeRow2(cs[ldc:ldc+2:ldc+2], alpha, beta, c10, c11)
	storeRow2(cs[2*ldc:2*ldc+2:2*ldc+2], alpha, beta, c20, c21)
	storeRow2(cs[3*ldc:3*ldc+2:3*ldc+2], alpha, beta, c30, c31)
}

// storeRow4 writes alpha*(x0..x3) + beta*c into c, not reading c when beta is 0.
func storeRow4[T float](c []T, alpha, beta T, x0, x1, x2, x3 T) {
	c = c[:4]
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*x0, alpha*x1, alpha*x2, alpha*x3
		return
	}
	c[0] = alpha*x0 + beta*c[0]
	c[1] = alpha*x1 + beta*c[1]
	c[2] = alpha*x2 + beta*c[2]
	c[3] = alpha*x3 + beta*c[3]
}

// storeRow2 writes alpha*(x0, x1) + beta*c into c, not reading c when beta is 0.
func storeRow2[T float](c []T, alpha, beta T, x0, x1 T) {
	c = c[:2]
	if beta == 0 {
		c[0], c[1] = alpha*x0, alpha*x1
		return
	}
	c[0] = alpha*x0 + beta*c[0]
	c[1] = alpha*x1 + beta*c[1]
}

// loop4x2 returns the 4×2 tile of sums over the packed panels as and bs. It is
// a function of its own, kept out of line, so that alpha, beta and c do not
// occupy registers during the loop: amd64 has just enough for the tile.
//
// The loop takes two steps of k at a time. The compiler schedules a loop's
// updates of its carried sums last, after every product of the step, so one
// step per turn holds eight products and eight sums at once and spills four
// of them on amd64, at every step; and the slices' advance (a length, a
// capacity and a pointer masked against running past the end, per slice) cost
// as much as the arithmetic. Two steps per turn spill once per two steps and
// advance once: the tile ran 1.4-1.5x as fast on amd64 without assembly (a
// micro-benchmark on packed panels of depth 256 in L1, 6 runs).
//
//go:noinline
func loop4x2[T float](as, bs []T) (c00, c01, c10, c11, c20, c21, c30, c31 T) {
	for len(as) >= 8 && len(bs) >= 4 {
		b0, b1 := bs[0], bs[1]
		a0, a1, a2, a3 := as[0], as[1], as[2], as[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = bs[2], bs[3]
		a0, a1, a2, a3 = as[4], as[5], as[6], as[7]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		as, bs = as[8:], bs[4:]
	}
	if len(as) >= 4 && len(bs) >= 2 { // an odd depth's last step
		b0, b1 := bs[0], bs[1]
		a0, a1, a2, a3 := as[0], as[1], as[2], as[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
	}
	return
}

// loop4x4 returns the 4×4 tile of sums over the packed panels as and bs, out of
// line like loop4x2 and two steps of k at a time for the same reasons. The steps
// are written out, here and in loop4x2: a function for one step, taking and
// returning the sums, costs 131 in the compiler's inlining budget of 80, and
// called, it would pass the sums through memory.
//
//go:noinline
func loop4x4[T float](as, bs []T) (c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T) {
	for len(as) >= 8 && len(bs) >= 8 {
		a0, a1, a2, a3 := as[0], as[1], as[2], as[3]
		b0, b1, b2, b3 := bs[0], bs[1], bs[2], bs[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a0, a1, a2, a3 = as[4], as[5], as[6], as[7]
		b0, b1, b2, b3 = bs[4], bs[5], bs[6], bs[7]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		as, bs = as[8:], bs[8:]
	}
	if len(as) >= 4 && len(bs) >= 4 { // an odd depth's last step
		a0, a1, a2, a3 := as[0], as[1], as[2], as[3]
		b0, b1, b2, b3 := bs[0], bs[1], bs[2], bs[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	return
}
