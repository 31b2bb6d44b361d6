package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// directSizes returns the m and n values that reach every edge of the direct path's tiles for
// element type T: every row count of the 8-row tile (1 to 17, past two tiles), and column
// counts at and around each multiple of the vector length up to 5 vectors, so that every tile
// width (1, 2, 3 vectors, and the 2+2 split of 4) meets every lane mask.
func directSizes[T float]() (ms, ns []int) {
	for m := 1; m <= 17; m++ {
		ms = append(ms, m)
	}
	var z T
	vl := 64 / int(unsafe.Sizeof(z))
	for n := 1; n <= 5*vl+1; n++ {
		if n <= vl+1 || n%vl <= 1 || n%vl == vl-1 {
			ns = append(ns, n)
		}
	}
	return ms, ns
}

// directScalars are the (alpha, beta) pairs testDirect takes in turn: those of scalars with
// alpha ≠ 0 (so that the kernels run), and the fused SGD update's (C ← C − η·AᵀB), alpha
// neither 0 nor 1 with beta 1, where the packed path's bits must still be matched.
var directScalars = []struct{ alpha, beta float64 }{
	{1, 0}, {-0.5, 0}, {1, 1}, {2, -0.5}, {-0.01, 1},
}

// testDirect checks the direct path on every edge shape, transpose combination and, in turn,
// each (alpha, beta) pair against the float64 triple loop (check's tolerance), and, where the
// packed path must give the same bits, against it: with beta 0 or 1 and k within one cache
// block, both sum the k products with one fused multiply-add each in the same order from zero,
// scale by alpha and add C with one rounding, so they must agree exactly.
func testDirect[T float](t *testing.T, kr *kernel[T], eps float64) {
	if kr.direct == nil {
		t.Skipf("kernel %s has no direct path", kr.name)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	ms, ns := directSizes[T]()
	ks := []int{1, 2, 3, 9, 64, 300}
	if testing.Short() {
		ks = []int{1, 3, 64}
	}
	for _, m := range ms {
		for _, n := range ns {
			for _, k := range ks {
				for ti := 0; ti < 4; ti++ {
					tA, tB := ti&1 != 0, ti&2 != 0
					sc := directScalars[(m+n+k+ti)%len(directScalars)]
					pad := (m + n + ti) % 3
					p := newProblem[T](rng, tA, tB, shape{m, n, k}, sc.alpha, sc.beta, pad)
					var got, packed []T
					withMode(0, -1, func() { withDirect(func() { got = p.run() }) })
					if err := p.check(got, eps); err != nil {
						t.Fatalf("direct m=%d n=%d k=%d transA=%v transB=%v alpha=%v beta=%v pad=%d: %v",
							m, n, k, tA, tB, sc.alpha, sc.beta, pad, err)
					}
					if sc.beta != 0 && sc.beta != 1 || k > kr.kc {
						continue
					}
					withMode(0, math.MaxInt, func() { packed = p.run() })
					for i := range got {
						g, w := got[i], packed[i]
						if g != w && !(g != g && w != w) {
							t.Fatalf("direct m=%d n=%d k=%d transA=%v transB=%v alpha=%v beta=%v pad=%d: element %d is %v, the packed path gave %v",
								m, n, k, tA, tB, sc.alpha, sc.beta, pad, i, g, w)
						}
					}
				}
			}
		}
	}
}

// TestDirect64 runs testDirect on every float64 kernel of this CPU that has direct kernels.
func TestDirect64(t *testing.T) {
	old := dkern
	defer func() { dkern = old }()
	for _, kr := range kernels64() {
		if kr.direct != nil {
			dkern = kr
			t.Run(kr.name, func(t *testing.T) { testDirect(t, kr, 0x1p-52) })
		}
	}
}

// TestDirect32 runs testDirect on every float32 kernel of this CPU that has direct kernels.
func TestDirect32(t *testing.T) {
	old := skern
	defer func() { skern = old }()
	for _, kr := range kernels32() {
		if kr.direct != nil {
			skern = kr
			t.Run(kr.name, func(t *testing.T) { testDirect(t, kr, 0x1p-23) })
		}
	}
}

// TestDirectTileVectors checks the column tiling: the widths sum to the vectors asked for, each
// is 1 to vecs, and with tiles of up to 3 vectors no tile of one vector follows others (with 2,
// an odd count must end in one).
func TestDirectTileVectors(t *testing.T) {
	for _, vecs := range []int{2, 3} {
		for nvec := 1; nvec <= 20; nvec++ {
			var widths []int
			for left := nvec; left > 0; {
				w := directTileVectors(left, vecs)
				if w < 1 || w > vecs {
					t.Fatalf("vecs %d, %d vectors: tile of %d vectors (widths so far %v)", vecs, nvec, w, widths)
				}
				widths = append(widths, w)
				left -= w
			}
			if vecs == 3 && nvec > 1 && widths[len(widths)-1] == 1 {
				t.Errorf("vecs %d, %d vectors: widths %v end in a lone vector", vecs, nvec, widths)
			}
		}
	}
}
