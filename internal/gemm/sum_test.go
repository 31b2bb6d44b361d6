package gemm

import (
	"math/rand/v2"
	"testing"
)

// testSum runs SgemmSum or DgemmSum on batches of 0, 1 and 5 products of every shape of
// batchShapes, every transpose combination and a few betas, with the work split across the
// cores as it comes, and checks C against Sgemm or Dgemm called product by product (beta for
// the first, 1 for the others): bit-identical, since each element of C sees the same sums in the
// same order whichever piece of C computes it (the pieces are cut at the kernels' tiles).
func testSum[T float](t *testing.T, kern **kernel[T], ks []*kernel[T]) {
	rng := rand.New(rand.NewPCG(9, 10))
	old := *kern
	defer func() { *kern = old }()
	for _, kr := range ks {
		*kern = kr
		for si, s := range batchShapes() {
			for ti := 0; ti < 4; ti++ {
				tA, tB := ti&1 != 0, ti&2 != 0
				for _, nb := range []int{0, 1, 5} {
					beta := []float64{0, 1, -0.5}[(si+ti+nb)%3]
					pad := (si + ti + nb) % 3
					p := newProblem[T](rng, tA, tB, s, 1, beta, pad)
					strideA, strideB := len(p.a)+1, len(p.b)+2
					a, b := make([]T, max(1, nb)*strideA), make([]T, max(1, nb)*strideB)
					for i := range a {
						a[i] = T(rng.Float64()*2 - 1)
					}
					for i := range b {
						b[i] = T(rng.Float64()*2 - 1)
					}
					want, got := append([]T(nil), p.c...), append([]T(nil), p.c...)
					if nb == 0 {
						scale := args[T]{m: s.m, n: s.n, beta: p.beta, c: want, ldc: p.ldc}
						scale.scaleC()
					}
					for i := range nb {
						beta := p.beta
						if i > 0 {
							beta = 1
						}
						gemmOne(tA, tB, s, 1, a[i*strideA:], p.lda, b[i*strideB:], p.ldb, beta, want, p.ldc)
					}
					sumAny(tA, tB, s, nb, a, p.lda, strideA, b, p.ldb, strideB, p.beta, got, p.ldc)
					for j := range got {
						if g, w := got[j], want[j]; g != w && !(g != g && w != w) {
							t.Fatalf("kernel %s %dx%dx%d transA=%v transB=%v batch=%d beta=%v: C[%d] = %v, want %v",
								kr.name, s.m, s.n, s.k, tA, tB, nb, beta, j, g, w)
						}
					}
				}
			}
		}
	}
}

// sumAny calls DgemmSum or SgemmSum.
func sumAny[T float](tA, tB bool, s shape, nb int, a []T, lda, strideA int, b []T, ldb, strideB int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float64:
		DgemmSum(tA, tB, s.m, s.n, s.k, nb, a, lda, strideA, any(b).([]float64), ldb, strideB, float64(beta), any(c).([]float64), ldc)
	case []float32:
		SgemmSum(tA, tB, s.m, s.n, s.k, nb, a, lda, strideA, any(b).([]float32), ldb, strideB, float32(beta), any(c).([]float32), ldc)
	}
}

func TestDgemmSum(t *testing.T) { testSum(t, &dkern, kernels64()) }

func TestSgemmSum(t *testing.T) { testSum(t, &skern, kernels32()) }

// TestGemmSumPanics checks that a batch reaching past an operand, or a negative batch or
// stride, panics.
func TestGemmSumPanics(t *testing.T) {
	a := make([]float32, 4*4*3)
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"short a", func() { SgemmSum(false, false, 4, 4, 4, 4, a, 4, 16, a, 4, 0, 0, a, 4) }},
		{"short b", func() { SgemmSum(false, false, 4, 4, 4, 2, a, 4, 0, a, 4, 40, 0, a, 4) }},
		{"negative batch", func() { SgemmSum(false, false, 4, 4, 4, -1, a, 4, 0, a, 4, 0, 0, a, 4) }},
		{"negative stride", func() { SgemmSum(false, false, 4, 4, 4, 2, a, 4, 0, a, 4, -16, 0, a, 4) }},
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

// TestGemmSumAllocs checks that a steady sum split across the cores allocates nothing.
func TestGemmSumAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const m, n, k, nb = 256, 256, 128, 4
	a, b, c := make([]float32, nb*m*k), make([]float32, nb*k*n), make([]float32, m*n)
	f := func() { SgemmSum(false, false, m, n, k, nb, a, k, m*k, b, n, k*n, 0, c, n) }
	f()
	if got := testing.AllocsPerRun(5, f); got != 0 {
		t.Errorf("SgemmSum %dx%dx%d ×%d: %v allocs per call, want 0", m, n, k, nb, got)
	}
}

// TestSplitsRunAloneAsTheirPieces checks that each split task's RunAlone, which the pool calls
// when a call site runs its loop on one core, leaves C as Run over every piece does, bit for
// bit: for a plain product and for a sum of products (whose RunAlone, if promoted from the
// embedded split, would compute one product only).
func TestSplitsRunAloneAsTheirPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	kr := skern
	const batch, w = 3, 2
	for _, s := range []shape{{61, 70, 47}, {200, 53, 300}, {128, 256, 256}} {
		p := newProblem[float32](rng, false, true, s, 1, 0.5, 1)
		strideA, strideB := len(p.a), len(p.b)
		a, b := make([]float32, batch*strideA), make([]float32, batch*strideB)
		for i := range a {
			a[i] = float32(rng.Float64()*2 - 1)
		}
		for i := range b {
			b[i] = float32(rng.Float64()*2 - 1)
		}
		for _, sum := range []bool{false, true} {
			pieces, alone := append([]float32(nil), p.c...), append([]float32(nil), p.c...)
			run := func(c []float32, whole bool) {
				g := args[float32]{false, true, s.m, s.n, s.k, 1, a, p.lda, b, p.ldb, p.beta, c, p.ldc}
				byN, tiles := g.splitAxis(kr, w)
				sp := split[float32]{kr, g, byN, tiles, min(w, tiles)}
				var task interface {
					Run(lo, hi int)
					RunAlone()
				} = &sp
				if sum {
					task = &sumSplit[float32]{sp, batch, strideA, strideB}
				}
				if whole {
					task.RunAlone()
				} else {
					task.Run(0, sp.w)
				}
			}
			run(pieces, false)
			run(alone, true)
			for j := range pieces {
				if g, w := alone[j], pieces[j]; g != w && !(g != g && w != w) {
					t.Fatalf("%dx%dx%d sum=%v: RunAlone's C[%d] = %v, pieces' %v", s.m, s.n, s.k, sum, j, g, w)
				}
			}
		}
	}
}
