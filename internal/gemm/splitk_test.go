package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gograd/gograd/internal/parallel"
)

// TestSplitKBits checks that a product split along k gives the serial product's bits, C and its
// padding alike (NaN in C with beta 0 must not leak), for every kernel, transpose and beta, over
// depths that cut into 2 to 5 cache blocks, split into 2 and 3 pieces, and into 2 with the pool
// reserved too (the pieces then run on the caller), and that the product is also within the
// reference's tolerance. With -short it checks the kernel in use, two pieces and beta 0 and 1.
func TestSplitKBits(t *testing.T) {
	testSplitKBits(t, kernels64(), dkern, 0x1p-52)
	testSplitKBits(t, kernels32(), skern, 0x1p-23)
}

func testSplitKBits[T float](t *testing.T, ks []*kernel[T], inUse *kernel[T], eps float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces, betas := []int{2, 3}, []float64{0, 1, -0.5}
	if testing.Short() { // the race detector and emulated arm64: the kernel in use, two pieces
		ks, pieces, betas = []*kernel[T]{inUse}, pieces[:1], betas[:2]
	}
	for _, kr := range ks {
		if kr.viaGonum || kr.kc == 0 {
			continue
		}
		for _, s := range []shape{{16, 40, 2*kr.kc - 7}, {13, 50, 2*kr.kc + 1}, {9, 7, 3*kr.kc + 5}, {5, 30, 5 * kr.kc}} {
			for ti := range 4 {
				tA, tB := ti&1 != 0, ti&2 != 0
				for _, beta := range betas {
					for _, w := range pieces {
						for _, reserved := range []bool{false, true} {
							name := fmt.Sprintf("kernel %s %d×%d×%d transA=%v transB=%v beta=%v pieces=%d reserved=%v", kr.name, s.m, s.n, s.k, tA, tB, beta, w, reserved)
							if (s.k+kr.kc-1)/kr.kc < w || reserved && w > 2 {
								continue
							}
							p := newProblem[T](rng, tA, tB, s, 1, beta, ti)
							var want, got args[T]
							want.set(tA, tB, s.m, s.n, s.k, 1, p.a, p.lda, p.b, p.ldb, p.beta, append([]T(nil), p.c...), p.ldc)
							got = want
							got.c = append([]T(nil), p.c...)
							want.serial(kr)
							if reserved && !parallel.Reserve() {
								t.Fatalf("%s: the pool is in use", name)
							}
							got.splitK(kr, w)
							if reserved {
								parallel.Release()
							}
							for i := range got.c {
								if g, wv := got.c[i], want.c[i]; g != wv && !(math.IsNaN(float64(g)) && math.IsNaN(float64(wv))) {
									t.Fatalf("%s: C element %d = %v, serial product %v", name, i, g, wv)
								}
							}
							if err := p.check(got.c, eps); err != nil {
								t.Fatalf("%s: %v", name, err)
							}
						}
					}
				}
			}
		}
	}
}

// TestSplitPiecesBits checks that the pieces of a product split along m or n, which go through
// the direct kernels when they are at most one cache block deep with beta 0, give the serial
// product's bits, for every kernel with direct kernels, transpose and beta, both axes and 2 and 3
// pieces.
func TestSplitPiecesBits(t *testing.T) {
	testSplitPiecesBits(t, kernels64())
	testSplitPiecesBits(t, kernels32())
}

func testSplitPiecesBits[T float](t *testing.T, ks []*kernel[T]) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, kr := range ks {
		if kr.direct == nil {
			continue
		}
		for _, s := range []shape{{200, 130, 64}, {33, 300, kr.kc}, {97, 77, kr.kc + 1}} {
			for ti := range 4 {
				tA, tB := ti&1 != 0, ti&2 != 0
				for _, beta := range []float64{0, 1} {
					p := newProblem[T](rng, tA, tB, s, 1, beta, ti)
					var want args[T]
					want.set(tA, tB, s.m, s.n, s.k, 1, p.a, p.lda, p.b, p.ldb, p.beta, append([]T(nil), p.c...), p.ldc)
					sp := split[T]{kr: kr, g: want}
					want.serial(kr)
					for _, byN := range []bool{false, true} {
						for _, w := range []int{2, 3} {
							name := fmt.Sprintf("kernel %s %d×%d×%d transA=%v transB=%v beta=%v byN=%v pieces=%d", kr.name, s.m, s.n, s.k, tA, tB, beta, byN, w)
							sp.g.c = append([]T(nil), p.c...)
							sp.tiles = (s.m + kr.mr - 1) / kr.mr
							if byN {
								sp.tiles = (s.n + kr.nr - 1) / kr.nr
							}
							sp.byN, sp.w = byN, min(w, sp.tiles) // as parallel does
							sp.Run(0, sp.w)
							for i := range sp.g.c {
								if g, wv := sp.g.c[i], want.c[i]; g != wv && !(math.IsNaN(float64(g)) && math.IsNaN(float64(wv))) {
									t.Fatalf("%s: C element %d = %v, serial product %v", name, i, g, wv)
								}
							}
						}
					}
				}
			}
		}
	}
}
