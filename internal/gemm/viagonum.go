package gemm

import (
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Without this package's assembly (non-amd64, or -tags purego), gonum's Dgemm and Sgemm can be
// faster than the pure-Go micro-kernels: on amd64 their inner loops are gonum's SSE assembly
// (axpy and dot over rows of C), which vector-processes 2 float64 or 4 float32 values per
// instruction where pure Go computes one. There the pseudo-kernels below send the product to
// gonum instead. Elsewhere gonum is pure Go too, and the register-blocked pure-Go kernels were
// faster than it at every shape of BenchmarkPuregoVsGonum (1.3-2.6x, measured on amd64 with
// -tags purego,noasm, which builds gonum without its assembly as on arm64).
var (
	gonumKernel64 = &kernel[float64]{name: "gonum", mr: 4, nr: 4, viaGonum: true, splitFactor: portableSplitFactor}
	gonumKernel32 = &kernel[float32]{name: "gonum", mr: 4, nr: 4, viaGonum: true, splitFactor: portableSplitFactor}
)

// portableBest returns the fastest kernel without this package's assembly: gonum's when gonum
// has assembly of its own for this build (gonumHasAsm), the pure-Go kernel otherwise.
func portableBest[T float](gonumK, goK *kernel[T]) *kernel[T] {
	if gonumHasAsm {
		return gonumK
	}
	return goK
}

// Blocks handed to gonum: gonum computes a product serially, with no goroutine or allocation,
// while it spans fewer than 4 of its 64×64 blocks of C, so each call gets at most 64 rows and
// 192 columns of C; gonumKC bounds the depth so that the slice of B it streams over stays in
// the L2 cache. The splitting across cores is this package's (see parallel), which allocates
// nothing, rather than gonum's goroutine per block.
const (
	gonumMC = 64
	gonumNC = 192
	gonumKC = 256
)

// portableSplitFactor raises the size from which products with the kernels of builds without
// this package's assembly (gonum's and the pure-Go ones) are split across cores to
// parallelWork·portableSplitFactor (about 138³), where gonum itself splits from 128×128 outputs.
// In BenchmarkPuregoVsGonum on 2 cores (under load), against gonum: through gonum, a split
// product ran at 0.4-0.6x at n = 64, 0.85x at 96 and 0.7-1.2x at 128, an unsplit one at
// 1.0-1.2x, 1.3x and 0.8-2.2x; with the pure-Go kernel (-tags purego,noasm), split 0.52-0.64x,
// 0.62-0.96x and 0.36-1.03x, unsplit 1.02-1.15x, 1.2-3.6x and 1.1-2.3x. From n = 256 split
// products were ahead.
const portableSplitFactor = 24

// viaGonum computes the product with gonum's Dgemm or Sgemm, block by block. k > 0 and
// alpha != 0 here.
func (g *args[T]) viaGonum() {
	m, n, k := g.m, g.n, g.k
	for i0 := 0; i0 < m; i0 += gonumMC {
		mb := min(gonumMC, m-i0)
		for j0 := 0; j0 < n; j0 += gonumNC {
			nb := min(gonumNC, n-j0)
			for p0 := 0; p0 < k; p0 += gonumKC {
				kb := min(gonumKC, k-p0)
				beta := g.beta
				if p0 > 0 {
					beta = 1
				}
				ao := i0*g.lda + p0
				if g.transA {
					ao = p0*g.lda + i0
				}
				bo := p0*g.ldb + j0
				if g.transB {
					bo = j0*g.ldb + p0
				}
				gonumGemm(g.transA, g.transB, mb, nb, kb, g.alpha, g.a[ao:], g.lda, g.b[bo:], g.ldb, beta, g.c[i0*g.ldc+j0:], g.ldc)
			}
		}
	}
}

// gonumGemm calls gonum's Dgemm or Sgemm, whichever fits T, on the same slices.
func gonumGemm[T float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	var impl gonum.Implementation
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	if unsafe.Sizeof(alpha) == 8 {
		impl.Dgemm(tA, tB, m, n, k, float64(alpha), as[T, float64](a), lda, as[T, float64](b), ldb, float64(beta), as[T, float64](c), ldc)
		return
	}
	impl.Sgemm(tA, tB, m, n, k, float32(alpha), as[T, float32](a), lda, as[T, float32](b), ldb, float32(beta), as[T, float32](c), ldc)
}

// as reinterprets s as a slice of U, a type of the same size as T.
func as[T, U float](s []T) []U {
	return unsafe.Slice((*U)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
