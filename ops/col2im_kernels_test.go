package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestCol2imPlaneAsmMatchesGo compares col2imPlane with its assembly row loop (where the CPU has
// it) and with the Go loop, bit for bit, on float32 and float64 planes of random values at every kernel size
// 1..3, row stride 1..2, padding 0..2, dilation 1..2 and width 1..40, where the sums of
// overlapping windows depend on their order.
func TestCol2imPlaneAsmMatchesGo(t *testing.T) {
	if !col2imAsm {
		t.Skip("no assembly loop on this CPU")
	}
	defer func() { col2imAsm = true }()
	t.Run("f32", func(t *testing.T) { checkCol2imAsm(t, math.Float32bits) })
	t.Run("f64", func(t *testing.T) { checkCol2imAsm(t, math.Float64bits) })
}

func checkCol2imAsm[T float, U uint32 | uint64](t *testing.T, bits func(T) U) {
	r := rand.New(rand.NewPCG(23, 24))
	for k := 1; k <= 3; k++ {
		for sh := 1; sh <= 2; sh++ {
			for p := 0; p <= 2; p++ {
				for d := 1; d <= 2; d++ {
					for w := 1; w <= 40; w++ {
						h := 1 + w%7
						oh, ow := outSize(h, k, sh, p, d), outSize(w, k, 1, p, d)
						if oh <= 0 || ow <= 0 {
							continue
						}
						win := Window2d{Kernel: [2]int{k, k}, Stride: [2]int{sh, 1}, Padding: [2]int{p, p}, Dilation: [2]int{d, d}}
						g := newColGeom(win, h, w, oh, ow)
						cols := make([]T, g.planeLen())
						for i := range cols {
							cols[i] = T(r.NormFloat64())
						}
						name := fmt.Sprintf("k %d, stride (%d, 1), padding %d, dilation %d, %d×%d", k, sh, p, d, h, w)
						want := make([]T, h*w+1)
						col2imAsm = false
						col2imPlane(want[:h*w], cols, &g)
						got := make([]T, h*w+1)
						got[h*w] = 7
						col2imAsm = true
						col2imPlane(got[:h*w], cols, &g)
						for i := range want[:h*w] {
							if bits(got[i]) != bits(want[i]) {
								t.Fatalf("%s: x[%d] = %v with the assembly loop, %v with the Go loop", name, i, got[i], want[i])
							}
						}
						if got[h*w] != 7 {
							t.Fatalf("%s: wrote past the plane", name)
						}
					}
				}
			}
		}
	}
}
