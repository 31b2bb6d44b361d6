package autograd

import "testing"

// TestArenaAlloc checks that the slices an arena hands out have the length and capacity asked
// for and do not overlap, across a new chunk, and that a reset after a step that took two
// chunks keeps one of the step's size plus an eighth, from which the same step then takes
// every slice.
func TestArenaAlloc(t *testing.T) {
	sizes := []int{1, 3, minChunk - 10, 16, 1, 2 * minChunk, 5}
	var a arena[float64]
	for step := range 2 {
		total := 0
		var got [][]float64
		for _, n := range sizes {
			s := a.alloc(n)
			if len(s) != n || cap(s) != n {
				t.Fatalf("step %d: alloc(%d) has len %d, cap %d, want %d, %d", step, n, len(s), cap(s), n, n)
			}
			for i := range s {
				s[i] = float64(len(got))
			}
			got = append(got, s)
			total += n
		}
		for k, s := range got { // a later slice overlapping an earlier one overwrote its marks
			for i, x := range s {
				if x != float64(k) {
					t.Fatalf("step %d: slice %d (alloc(%d)) element %d is %v, want %d: slices overlap", step, k, sizes[k], i, x, k)
				}
			}
		}
		if step == 1 && len(a.chunks) != 1 {
			t.Errorf("step 1: %d chunks after a reset, want 1", len(a.chunks))
		}
		a.reset()
		if want := total + total/8; len(a.chunks) != 1 || len(a.chunks[0]) != want || len(a.rest) != want {
			t.Fatalf("step %d: after reset %d chunks, first of %d, %d free; want 1 chunk of %d, all free", step, len(a.chunks), len(a.chunks[0]), len(a.rest), want)
		}
	}
}
