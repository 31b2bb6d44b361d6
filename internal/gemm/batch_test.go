package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// batchShapes are products on the packed path with one and several blocks along each of m
// (mc ≤ 128), k (kc = 256) and n (nc = 1024 for the Go kernels), with edge tiles, and the two
// shapes of MultiHeadAttention's projections in the transformer benchmark; a small product
// (the plain loops) and one the direct path takes check that SgemmBatch falls back to Sgemm. In
// short mode, three of them.
func batchShapes() []shape {
	if testing.Short() { // the race and qemu runs in CI: one product of each path, several blocks along m and k
		return []shape{{3, 4, 5}, {61, 70, 47}, {200, 53, 300}}
	}
	return []shape{{3, 4, 5}, {40, 50, 60}, {61, 70, 47}, {200, 53, 300}, {97, 130, 513}, {256, 128, 256}, {128, 256, 256}, {33, 1100, 40}}
}

// testBatch runs SgemmBatch or DgemmBatch over sub-ranges of a batch of 4 products, with A or
// B shared (stride 0) or neither, every transpose combination and a few (alpha, beta) pairs, and
// checks that every product is bit-identical to Dgemm or Sgemm on that product alone, and that
// the products outside the range are untouched; both run on one core, with the direct path off
// (the packed path, with the shared operand packed once) or, every third case, taken by every
// product it can take (as SgemmBatch does by default).
func testBatch[T float](t *testing.T, kern **kernel[T], ks []*kernel[T]) {
	rng := rand.New(rand.NewPCG(7, 8))
	const nb = 4
	old := *kern
	defer func() { *kern = old }()
	for _, kr := range ks {
		*kern = kr
		for si, s := range batchShapes() {
			for ti := 0; ti < 4; ti++ {
				tA, tB := ti&1 != 0, ti&2 != 0
				for share := 0; share < 3; share++ { // 0: A shared, 1: B shared, 2: neither
					sc := scalars[(si+ti+share)%4] // the pairs with a non-zero alpha
					pad := (si + ti + share) % 3
					ps := make([]*problem[T], nb)
					for i := range ps {
						ps[i] = newProblem[T](rng, tA, tB, s, sc.alpha, sc.beta, pad)
					}
					strideA, strideB, strideC := len(ps[0].a)+1, len(ps[0].b)+2, len(ps[0].c)+3
					a, b, c := make([]T, nb*strideA), make([]T, nb*strideB), make([]T, nb*strideC)
					for i, p := range ps {
						if share == 0 {
							p.a = ps[0].a
						}
						if share == 1 {
							p.b = ps[0].b
						}
						copy(a[i*strideA:], p.a)
						copy(b[i*strideB:], p.b)
						copy(c[i*strideC:], p.c)
					}
					switch share {
					case 0:
						strideA = 0
					case 1:
						strideB = 0
					}
					lo, hi := (si+ti)%2, nb-share%2
					want, got := append([]T(nil), c...), append([]T(nil), c...)
					mode := withSerial
					if (si+ti+share)%3 == 0 {
						mode = withDirect
					}
					mode(func() {
						for i := lo; i < hi; i++ {
							gemmOne(tA, tB, s, ps[0].alpha, a[i*strideA:], ps[0].lda, b[i*strideB:], ps[0].ldb, ps[0].beta, want[i*strideC:], ps[0].ldc)
						}
						batchAny(tA, tB, s, ps[0].alpha, a, ps[0].lda, strideA, b, ps[0].ldb, strideB, ps[0].beta, got, ps[0].ldc, strideC, lo, hi)
					})
					for j := range got {
						if g, w := got[j], want[j]; g != w && !(g != g && w != w) {
							t.Fatalf("kernel %s %dx%dx%d transA=%v transB=%v share=%d alpha=%v beta=%v products [%d, %d): C[%d] of product %d = %v, want %v",
								kr.name, s.m, s.n, s.k, tA, tB, share, sc.alpha, sc.beta, lo, hi, j%strideC, j/strideC, g, w)
						}
					}
				}
			}
		}
	}
}

// withSerial runs f with every product on one core and the direct path off, also in batches.
func withSerial(f func()) {
	old := batchDirectA
	defer func() { batchDirectA = old }()
	batchDirectA = 0
	withMode(-1, math.MaxInt, f)
}

// gemmOne calls Dgemm or Sgemm.
func gemmOne[T float](tA, tB bool, s shape, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float64:
		Dgemm(tA, tB, s.m, s.n, s.k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		Sgemm(tA, tB, s.m, s.n, s.k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

// batchAny calls DgemmBatch or SgemmBatch.
func batchAny[T float](tA, tB bool, s shape, alpha T, a []T, lda, strideA int, b []T, ldb, strideB int, beta T, c []T, ldc, strideC, lo, hi int) {
	switch a := any(a).(type) {
	case []float64:
		DgemmBatch(tA, tB, s.m, s.n, s.k, float64(alpha), a, lda, strideA, any(b).([]float64), ldb, strideB, float64(beta), any(c).([]float64), ldc, strideC, lo, hi)
	case []float32:
		SgemmBatch(tA, tB, s.m, s.n, s.k, float32(alpha), a, lda, strideA, any(b).([]float32), ldb, strideB, float32(beta), any(c).([]float32), ldc, strideC, lo, hi)
	}
}

func TestDgemmBatch(t *testing.T) { testBatch(t, &dkern, kernels64()) }

func TestSgemmBatch(t *testing.T) { testBatch(t, &skern, kernels32()) }

// TestGemmBatchPanics checks that a batch reaching past an operand, or a negative stride,
// panics.
func TestGemmBatchPanics(t *testing.T) {
	a := make([]float32, 4*4*3)
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"short a", func() { SgemmBatch(false, false, 4, 4, 4, 1, a, 4, 16, a, 4, 0, 0, a, 4, 16, 0, 4) }},
		{"short c", func() { SgemmBatch(false, false, 4, 4, 4, 1, a, 4, 0, a, 4, 0, 0, a, 4, 16, 2, 4) }},
		{"negative stride", func() { SgemmBatch(false, false, 4, 4, 4, 1, a, 4, -1, a, 4, 0, 0, a, 4, 16, 0, 2) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

// TestGemmBatchAllocs checks that a steady batch with a shared operand allocates nothing.
func TestGemmBatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const m, n, k, nb = 256, 128, 256, 4
	a, b, c := make([]float32, m*k), make([]float32, nb*k*n), make([]float32, nb*m*n)
	f := func() { SgemmBatch(false, true, m, n, k, 1, a, k, 0, b, k, k*n, 0, c, n, m*n, 0, nb) }
	f()
	if got := testing.AllocsPerRun(5, f); got != 0 {
		t.Errorf("SgemmBatch %dx%dx%d ×%d, A shared: %v allocs per call, want 0", m, n, k, nb, got)
	}
}
