//go:build amd64 && !purego

package ops

import (
	"fmt"
	"math"
	"testing"
	"unsafe"
)

// TestReLUGradStreamBitExact checks ReLU's backward from streamMin bytes, where the lines
// go through non-temporal stores and the elements before the first 64-byte boundary and after
// the last whole line through the ordinary loop: at every start offset within a line and
// lengths that end at every offset, against the definition bit for bit, over the special values.
func TestReLUGradStreamBitExact(t *testing.T) {
	if !reluAsm {
		t.Skip("no AVX-512")
	}
	t.Run("f32", func(t *testing.T) { checkReLUGradStream(t, reluSpecials32, math.Float32bits) })
	t.Run("f64", func(t *testing.T) { checkReLUGradStream(t, reluSpecials64, math.Float64bits) })
}

func checkReLUGradStream[T float, U uint32 | uint64](t *testing.T, specials []T, bits func(T) U) {
	size := int(unsafe.Sizeof(specials[0]))
	lane := 64 / size
	n0 := streamMin / size
	backing := make([]T, n0+3*lane)
	gs, as := make([]T, len(backing)), make([]T, len(backing))
	for i := range as {
		// Pairs (g, a) cycle through every pair of specials, offset so that neighbours differ.
		gs[i], as[i] = specials[i%len(specials)], specials[(i/len(specials)+i)%len(specials)]
	}
	for off := 0; off < lane; off++ {
		for _, n := range []int{n0, n0 + 1, n0 + lane - 1, n0 + lane + off} {
			name := fmt.Sprintf("offset %d length %d", off, n)
			o := backing[off : off+n]
			for i := range o {
				o[i] = 7 // not a result of any pair
			}
			head := (64 - int(uintptr(unsafe.Pointer(&o[0]))%64)) % 64 / size
			if head >= lane {
				t.Fatalf("%s: head %d elements, want fewer than %d", name, head, lane)
			}
			reluGradLoop(o, gs[off:off+n], as[off:off+n])
			for i := range o {
				g, a := gs[off+i], as[off+i]
				if got, want := bits(o[i]), bits(reluGradWant(g, a)); got != want {
					t.Fatalf("%s: reluGrad(g %v, a %v) at %d = %#x, want %#x", name, g, a, i, got, want)
				}
			}
		}
	}
}
