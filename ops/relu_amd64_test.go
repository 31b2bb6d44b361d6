//go:build amd64 && !purego

package ops

import (
	"fmt"
	"math"
	"testing"
	"unsafe"
)

// TestReLUGradStreamBitExact checks ReLU's backward through the non-temporal stores
// (reluGradStream: the lines with them, the elements before the first 64-byte boundary and after
// the last whole line with the ordinary loop) for every pair of a start offset within a line and
// an end offset within a line, from reluStreamMin bytes, against the definition bit for bit, and
// that nothing outside the result is written.
func TestReLUGradStreamBitExact(t *testing.T) {
	if !reluAsm {
		t.Skip("no AVX-512")
	}
	t.Run("f32", func(t *testing.T) { checkReLUGradStream(t, reluSpecials32, math.Float32bits) })
	t.Run("f64", func(t *testing.T) { checkReLUGradStream(t, reluSpecials64, math.Float64bits) })
}

// checkReLUGradStream runs reluGradStream on windows of a buffer filled with a guard value, with
// gradients and inputs that cycle through every pair of the specials, and checks each window
// against reluGradWant and the guard around it.
func checkReLUGradStream[T float, U uint32 | uint64](t *testing.T, specials []T, bits func(T) U) {
	const guard = 7 // not a result of any pair
	lane := 64 / int(unsafe.Sizeof(specials[0]))
	n0 := reluStreamMin / int(unsafe.Sizeof(specials[0]))
	backing := make([]T, n0+4*lane)
	gs, as := make([]T, len(backing)), make([]T, len(backing))
	for i := range as {
		// Consecutive elements take different pairs, so that a lane swapped or shifted shows.
		gs[i], as[i] = specials[i%len(specials)], specials[(i/len(specials)+i)%len(specials)]
	}
	// Where the backing array starts within a line: start offsets are counted from its next line.
	skew := (64 - int(uintptr(unsafe.Pointer(&backing[0]))%64)) % 64 / int(unsafe.Sizeof(backing[0]))
	for start := range lane {
		for end := range lane {
			off := skew + start
			n := n0 + lane + end - start // ends at offset end of a line
			name := fmt.Sprintf("start offset %d, end offset %d, length %d", start, end, n)
			for i := range backing {
				backing[i] = guard
			}
			reluGradStream(backing[off:off+n], gs[off:off+n], as[off:off+n])
			for i, v := range backing {
				want := T(guard)
				if i >= off && i < off+n {
					want = reluGradWant(gs[i], as[i])
				}
				if bits(v) != bits(want) {
					t.Fatalf("%s: element %d (window [%d, %d)) = %#x, want %#x", name, i, off, off+n, bits(v), bits(want))
				}
			}
		}
	}
}
