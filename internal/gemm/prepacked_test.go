package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// testPrepackedB checks PackB + GemmPrepackedB (alpha 1, beta 0, C full of NaN) against the
// reference on every test shape and both layouts of A and B, with every kernel, serial and
// split across the cores; and, where Sgemm takes the packed path (the direct path off), that
// the results are Sgemm's bit for bit, as documented.
func testPrepackedB[T float](t *testing.T, ks []*kernel[T], set func(*kernel[T]) func(), eps float64) {
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := append(testShapes(), shape{32, 1024, 256}, shape{32, 1024, 128})
	for _, kr := range ks {
		restore := set(kr)
		for _, par := range []int{math.MaxInt, 0} {
			withMode(0, par, func() {
				for si, s := range shapes {
					tA, tB := si&1 != 0, si&2 != 0
					p := newProblem[T](rng, tA, tB, s, 1, 0, si%3)
					got := append([]T(nil), p.c...)
					switch x := any(p).(type) {
					case *problem[float64]:
						pb := make([]float64, DPackedBLen(x.k, x.n))
						DPackB(x.transB, x.k, x.n, x.b, x.ldb, pb)
						DgemmPrepackedB(x.transA, x.m, x.n, x.k, x.a, x.lda, pb, any(got).([]float64), x.ldc)
					case *problem[float32]:
						pb := make([]float32, SPackedBLen(x.k, x.n))
						SPackB(x.transB, x.k, x.n, x.b, x.ldb, pb)
						SgemmPrepackedB(x.transA, x.m, x.n, x.k, x.a, x.lda, pb, any(got).([]float32), x.ldc)
					}
					name := fmt.Sprintf("kernel %s parallelWork=%d m=%d n=%d k=%d transA=%v transB=%v", kr.name, par, s.m, s.n, s.k, tA, tB)
					if err := p.check(got, eps); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if want := p.run(); !kr.viaGonum && !slices.EqualFunc(got, want, func(x, y T) bool {
						return x == y || x != x && y != y
					}) {
						t.Fatalf("%s: results differ from Sgemm's", name)
					}
				}
			})
		}
		restore()
	}
}

func TestDgemmPrepackedB(t *testing.T) {
	testPrepackedB(t, kernels64(), func(k *kernel[float64]) func() {
		old := dkern
		dkern = k
		return func() { dkern = old }
	}, 0x1p-52)
}

func TestSgemmPrepackedB(t *testing.T) {
	testPrepackedB(t, kernels32(), func(k *kernel[float32]) func() {
		old := skern
		skern = k
		return func() { skern = old }
	}, 0x1p-23)
}

// TestPrepackedBPanics checks that short operands panic rather than read out of range.
func TestPrepackedBPanics(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"short packed B", func() {
			SgemmPrepackedB(false, 2, 3, 4, make([]float32, 8), 4, make([]float32, 1), make([]float32, 6), 3)
		}},
		{"short A", func() {
			SgemmPrepackedB(false, 2, 3, 4, make([]float32, 7), 4, make([]float32, SPackedBLen(4, 3)), make([]float32, 6), 3)
		}},
		{"short C", func() {
			SgemmPrepackedB(false, 2, 3, 4, make([]float32, 8), 4, make([]float32, SPackedBLen(4, 3)), make([]float32, 5), 3)
		}},
		{"short B", func() { SPackB(true, 4, 3, make([]float32, 11), 4, make([]float32, SPackedBLen(4, 3))) }},
		{"short dst", func() { SPackB(true, 4, 3, make([]float32, 12), 4, make([]float32, 1)) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			c.f()
		}()
	}
}
