package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// matrixPacker is a PackerB reading a stored op(B) through packB; it also records that every
// call's dst had the documented length.
type matrixPacker[T float] struct {
	b      []T
	ldb    int
	trans  bool
	badLen string
}

func (p *matrixPacker[T]) PackB(dst []T, p0, kc, j0, nc, nr int) {
	if want := (nc + nr - 1) / nr * nr * kc; len(dst) != want && p.badLen == "" {
		p.badLen = fmt.Sprintf("dst of %d elements for kc=%d nc=%d nr=%d, want %d", len(dst), kc, nc, nr, want)
	}
	packB(dst, p.b, p.ldb, p.trans, p0, kc, j0, nc, nr)
}

// testPackedB checks SgemmPackedB/DgemmPackedB (alpha 1) against the reference on every test
// shape, both layouts of A and B, beta 0 (C full of NaN), 1 and −0.5, with every kernel.
func testPackedB[T float](t *testing.T, ks []*kernel[T], set func(*kernel[T]) func(), eps float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kr := range ks {
		restore := set(kr)
		for si, s := range testShapes() {
			for ti := 0; ti < 4; ti++ {
				tA, tB := ti&1 != 0, ti&2 != 0
				beta := []float64{0, 1, -0.5}[(si+ti)%3]
				p := newProblem[T](rng, tA, tB, s, 1, beta, (si+ti)%3)
				got := append([]T(nil), p.c...)
				pk := &matrixPacker[T]{b: p.b, ldb: p.ldb, trans: tB}
				switch x := any(p).(type) {
				case *problem[float64]:
					DgemmPackedB(x.transA, x.m, x.n, x.k, x.a, x.lda, any(pk).(PackerB[float64]), x.beta, any(got).([]float64), x.ldc)
				case *problem[float32]:
					SgemmPackedB(x.transA, x.m, x.n, x.k, x.a, x.lda, any(pk).(PackerB[float32]), x.beta, any(got).([]float32), x.ldc)
				}
				name := fmt.Sprintf("kernel %s m=%d n=%d k=%d transA=%v transB=%v beta=%v", kr.name, s.m, s.n, s.k, tA, tB, beta)
				if err := p.check(got, eps); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if pk.badLen != "" {
					t.Fatalf("%s: %s", name, pk.badLen)
				}
			}
		}
		restore()
	}
}

func TestDgemmPackedB(t *testing.T) {
	testPackedB(t, kernels64(), func(k *kernel[float64]) func() {
		old := dkern
		dkern = k
		return func() { dkern = old }
	}, 0x1p-52)
}

func TestSgemmPackedB(t *testing.T) {
	testPackedB(t, kernels32(), func(k *kernel[float32]) func() {
		old := skern
		skern = k
		return func() { skern = old }
	}, 0x1p-23)
}
