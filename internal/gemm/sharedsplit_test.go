package gemm

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestSharedASplit checks products whose pieces along n share one packing of op(A) bit for bit
// against the same product computed whole on one core (blocked, packing op(A) itself): the MLP
// step's two large products and shapes with edge tiles, several depth slices and row blocks, and
// beta 0 (C holding NaNs) and 1. Each product runs three ways: split through the pool, every piece
// on the caller (Run), and whole on the caller from the shared packing (RunAlone).
func TestSharedASplit(t *testing.T) {
	testSharedASplit[float64](t)
	testSharedASplit[float32](t)
}

func testSharedASplit[T float](t *testing.T) {
	var k any = dkern
	if unsafe.Sizeof(T(0)) == 4 {
		k = skern
	}
	krT := k.(*kernel[T])
	rng := rand.New(rand.NewPCG(7, 0))
	for _, c := range []struct {
		name   string
		tA, tB bool
		s      shape
		beta   float64
	}{
		{"forward x·W1", false, false, shape{64, 256, 784}, 0},
		{"gradient xᵀ·g of W1", true, false, shape{784, 256, 64}, 0},
		{"fused update of W1 (beta 1)", true, false, shape{784, 256, 64}, 1},
		{"edge tiles, row blocks, depth slices", false, true, shape{203, 130, 300}, 0.5},
		{"transposed both", true, true, shape{150, 77, 400}, 1},
	} {
		p := newProblem[T](rng, c.tA, c.tB, c.s, 0.75, c.beta, 1)
		g := args[T]{p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, nil, p.ldc}
		if !g.sharesA(krT) {
			t.Fatalf("%s %T: %d×%d×%d does not share op(A); the test needs shapes that do", c.name, p.alpha, p.m, p.n, p.k)
		}
		want := append([]T(nil), p.c...)
		g.c = want
		g.serial(krT)
		for _, way := range []string{"pool", "pieces on the caller", "alone"} {
			got := append([]T(nil), p.c...)
			g.c = got
			s := &split[T]{kr: krT, g: g, byN: true, tiles: (g.n + krT.nr - 1) / krT.nr}
			s.w = min(2, s.tiles)
			switch way {
			case "pool":
				s.parallelSharedA()
			default:
				shared := make([]T, g.blocking(krT).mpad*g.k)
				s.pack = packATask[T]{&s.g, s.g.blocking(krT), shared}
				_, blocks := s.pack.blocks()
				s.pack.Run(0, blocks)
				s.sharedA = shared
				if way == "alone" {
					s.RunAlone()
				} else {
					s.Run(0, s.w)
				}
			}
			for i := range got {
				if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
					t.Errorf("%s %T %s: C[%d] = %v, want %v (computed whole)", c.name, p.alpha, way, i, got[i], want[i])
					break
				}
			}
		}
	}
}
