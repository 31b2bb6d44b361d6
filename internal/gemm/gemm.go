// Package gemm implements fast row-major general matrix multiplication for
// float64 and float32 in pure Go and Go assembly.
//
// Large products use a packed, cache-blocked algorithm (in the style of Goto
// and BLIS) around register-blocked micro-kernels, split across the CPU cores;
// small ones, where AVX-512 is available, use kernels that read the operands in
// place (direct.go) on the calling goroutine; tiny products use plain loops
// with no packing, goroutines or allocation.
package gemm

// Dgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where op(X) is X or X^T
// per transA/transB. op(A) is m×k, op(B) is k×n, C is m×n. lda/ldb/ldc are row strides.
// When beta == 0, C need not be initialised (NaNs in C must not leak through).
// Dgemm panics if a dimension is negative or a slice is too short.
func Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	var g args[float64]
	g.set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	g.run(dkern)
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major float32
// matrices; it behaves exactly like Dgemm.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	var g args[float32]
	g.set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	g.run(skern)
}

// args holds the operands of one GEMM call.
type args[T float] struct {
	transA, transB bool
	m, n, k        int
	alpha          T
	a              []T
	lda            int
	b              []T
	ldb            int
	beta           T
	c              []T
	ldc            int
}

// set stores the operands of one GEMM call in g, field by field. The entry points fill a zero
// args with it rather than from a composite literal, which the compiler builds aside in 8-byte
// stores and copies in 16-byte loads that the processor cannot forward from those stores: the
// stall cost a 4×2·2×4 product a sixth of its time (BenchmarkXORStep's profile).
func (g *args[T]) set(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	g.transA, g.transB, g.m, g.n, g.k, g.alpha = transA, transB, m, n, k, alpha
	g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc = a, lda, b, ldb, beta, c, ldc
}

// Size thresholds on m*n*k choosing the execution strategy (see also directWork).
var (
	smallWork    = 256          // up to this, without direct kernels: plain loops, no packing
	parallelWork = 48 * 48 * 48 // from this: split across cores (break-even near 44³ on 2 cores)
)

// run checks the arguments and computes the product with kernel kr.
func (g *args[T]) run(kr *kernel[T]) {
	g.check()
	if g.m == 0 || g.n == 0 {
		return
	}
	if g.k == 0 || g.alpha == 0 {
		g.scaleC()
		return
	}
	if g.useDirect(kr) { // where there are direct kernels, they beat plain loops from 4×4×2 up
		g.direct(kr)
		return
	}
	work := g.m * g.n * g.k
	parWork := work
	if kr.splitFactor > 1 { // a division: not on the direct path, where small products go
		parWork = work / kr.splitFactor
	}
	switch {
	case work <= smallWork:
		g.small()
	case parWork < parallelWork:
		g.serial(kr)
	default:
		g.parallel(kr)
	}
}

// check panics if a dimension, stride or slice length is invalid.
func (g *args[T]) check() {
	if g.m < 0 {
		panic("gemm: m < 0")
	}
	if g.n < 0 {
		panic("gemm: n < 0")
	}
	if g.k < 0 {
		panic("gemm: k < 0")
	}
	ar, ac := g.m, g.k
	if g.transA {
		ar, ac = ac, ar
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = bc, br
	}
	if g.lda < max(1, ac) {
		panic("gemm: bad lda")
	}
	if g.ldb < max(1, bc) {
		panic("gemm: bad ldb")
	}
	if g.ldc < max(1, g.n) {
		panic("gemm: bad ldc")
	}
	if ar > 0 && ac > 0 && len(g.a) < (ar-1)*g.lda+ac {
		panic("gemm: short A")
	}
	if br > 0 && bc > 0 && len(g.b) < (br-1)*g.ldb+bc {
		panic("gemm: short B")
	}
	if g.m > 0 && g.n > 0 && len(g.c) < (g.m-1)*g.ldc+g.n {
		panic("gemm: short C")
	}
}

// scaleC sets C = beta*C, writing zeros when beta is 0.
func (g *args[T]) scaleC() {
	for i := 0; i < g.m; i++ {
		row := g.c[i*g.ldc : i*g.ldc+g.n]
		switch g.beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= g.beta
			}
		}
	}
}

// small computes the product with plain loops; it suits tiny matrices, where
// packing and dispatch would cost more than the arithmetic. Each element of C
// is one dot product read through strides, so the transposes cost nothing.
// k > 0 here.
func (g *args[T]) small() {
	m, n, k := g.m, g.n, g.k
	alpha, beta := g.alpha, g.beta
	// op(A)[i,p] = a[i*ai+p*ap] and op(B)[p,j] = b[p*bp+j*bj].
	ai, ap := g.lda, 1
	if g.transA {
		ai, ap = 1, g.lda
	}
	bp, bj := g.ldb, 1
	if g.transB {
		bp, bj = 1, g.ldb
	}
	a, b := g.a, g.b
	for i := 0; i < m; i++ {
		crow := g.c[i*g.ldc : i*g.ldc+n]
		for j := range crow {
			var s T
			x, y := i*ai, j*bj
			for p := 0; p < k; p++ {
				s += a[x] * b[y]
				x += ap
				y += bp
			}
			if beta == 0 {
				crow[j] = alpha * s
			} else {
				crow[j] = alpha*s + beta*crow[j]
			}
		}
	}
}
