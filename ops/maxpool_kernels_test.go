package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// maxWant is the maximum by its definition, as Go's max: NaN if any value is NaN, and −0 < +0.
func maxWant[T float](vs ...T) T {
	m := T(math.Inf(-1))
	for _, v := range vs {
		switch {
		case v != v:
			return v
		case v > m, v == 0 && m == 0 && math.Signbit(float64(m)):
			m = v
		}
	}
	return m
}

// TestMaxPlane2x2BitExact compares maxPlane2x2 (with its assembly row loop where the CPU has it,
// and the Go loop) with the definition, bit for bit (NaN for NaN), on planes of special values
// and random numbers and on zeros of both signs, at every width up to 70, odd ones included, so that every vector tail is
// run.
func TestMaxPlane2x2BitExact(t *testing.T) {
	asm := maxPoolAsm
	defer func() { maxPoolAsm = asm }()
	for _, useAsm := range []bool{false, true} {
		if useAsm && !asm {
			continue
		}
		maxPoolAsm = useAsm
		t.Run(fmt.Sprintf("f32 asm=%v", useAsm), func(t *testing.T) { checkMaxPlane2x2(t, reluSpecials32, math.Float32bits) })
		t.Run(fmt.Sprintf("f64 asm=%v", useAsm), func(t *testing.T) { checkMaxPlane2x2(t, reluSpecials64, math.Float64bits) })
	}
}

func checkMaxPlane2x2[T float, U uint32 | uint64](t *testing.T, specials []T, bits func(T) U) {
	r := rand.New(rand.NewPCG(21, 22))
	negZero := T(math.Copysign(0, -1))
	for w := 2; w <= 70; w++ {
		for _, h := range []int{2, 5, 6} {
			g := newColGeom(Window2d{Kernel: [2]int{2, 2}, Stride: [2]int{2, 2}, Dilation: [2]int{1, 1}}, h, w, h/2, w/2)
			x := make([]T, h*w)
			for i := range x {
				switch {
				case h == 6: // zeros of both signs, tied in many windows
					x[i] = []T{0, negZero, negZero, -1}[r.IntN(4)]
				case r.IntN(3) == 0:
					x[i] = specials[r.IntN(len(specials))]
				default:
					x[i] = T(r.NormFloat64())
				}
			}
			y := make([]T, g.oh*g.ow+1)
			y[len(y)-1] = 7
			maxPlane2x2(y[:g.oh*g.ow], x, &g)
			for oy := 0; oy < g.oh; oy++ {
				for ox := 0; ox < g.ow; ox++ {
					a, b := x[2*oy*w+2*ox:], x[(2*oy+1)*w+2*ox:]
					want := maxWant(a[0], a[1], b[0], b[1])
					got := y[oy*g.ow+ox]
					if got != got && want != want {
						continue
					}
					if bits(got) != bits(want) {
						t.Fatalf("%d×%d plane: window (%d, %d) of %v, %v, %v, %v: max %v (%#x), want %v (%#x)",
							h, w, oy, ox, a[0], a[1], b[0], b[1], got, bits(got), want, bits(want))
					}
				}
			}
			if y[len(y)-1] != 7 {
				t.Fatalf("%d×%d plane: wrote past the output", h, w)
			}
		}
	}
}
