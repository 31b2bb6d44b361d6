package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// testPortableExhaustive runs each pure-Go kernel on every m, n, k from 1 to 17 (all edge-tile
// cases of the 4×4 and 4×2 tiles, twice over), each transpose combination and, in turn, each
// (alpha, beta) pair, with packing forced (serial mode), against the float64 triple loop. In
// short mode (the race run) k takes only the values 1, 2, 3, 4, 5, 8, 9, 16 and 17.
func testPortableExhaustive[T float](t *testing.T, ks []*kernel[T], kern **kernel[T], eps float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	kValues := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	if testing.Short() {
		kValues = []int{1, 2, 3, 4, 5, 8, 9, 16, 17}
	}
	old := *kern
	defer func() { *kern = old }()
	for _, kr := range ks {
		*kern = kr
		for m := 1; m <= 17; m++ {
			for n := 1; n <= 17; n++ {
				for _, k := range kValues {
					for ti := 0; ti < 4; ti++ {
						tA, tB := ti&1 != 0, ti&2 != 0
						sc := scalars[(m+n+k+ti)%len(scalars)]
						pad := (m + k + ti) % 3
						p := newProblem[T](rng, tA, tB, shape{m, n, k}, sc.alpha, sc.beta, pad)
						var got []T
						withMode(0, math.MaxInt, func() { got = p.run() })
						if err := p.check(got, eps); err != nil {
							t.Fatalf("kernel %s m=%d n=%d k=%d transA=%v transB=%v alpha=%v beta=%v pad=%d: %v",
								kr.name, m, n, k, tA, tB, sc.alpha, sc.beta, pad, err)
						}
					}
				}
			}
		}
	}
}

func TestPortableKernelsExhaustive64(t *testing.T) {
	testPortableExhaustive(t, portableKernels64(), &dkern, 0x1p-52)
}

func TestPortableKernelsExhaustive32(t *testing.T) {
	testPortableExhaustive(t, portableKernels32(), &skern, 0x1p-23)
}

// TestPortableKernelChoice checks that the pure-Go kernel of this architecture is the one whose
// tile fits its registers.
func TestPortableKernelChoice(t *testing.T) {
	want64, want32 := kernel4x4Go64, kernel4x4Go32
	if fewFPRegisters {
		want64, want32 = kernel4x2Go64, kernel4x2Go32
	}
	if genericKernel64 != want64 || genericKernel32 != want32 {
		t.Errorf("pure-Go kernels %s/%s, want %s/%s", genericKernel64.name, genericKernel32.name, want64.name, want32.name)
	}
}
