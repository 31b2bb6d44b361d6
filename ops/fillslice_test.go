package ops

import "testing"

// TestFillSlice checks that fillSlice sets every element, for lengths around its head's
// doubling steps and its cap, and that it writes nothing beyond o.
func TestFillSlice(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 33, 64, fillHead - 1, fillHead, fillHead + 1, 3*fillHead + 7, 70001} {
		buf := make([]float32, n+1)
		buf[n] = -1 // a guard just past o
		fillSlice(buf[:n:n], 2.5)
		for i, v := range buf[:n] {
			if v != 2.5 {
				t.Fatalf("n=%d: element %d is %v, want 2.5", n, i, v)
			}
		}
		if buf[n] != -1 {
			t.Errorf("n=%d: the element after o became %v, want -1 (untouched)", n, buf[n])
		}
		o64 := make([]float64, n)
		fillSlice(o64, -0.75)
		for i, v := range o64 {
			if v != -0.75 {
				t.Fatalf("float64 n=%d: element %d is %v, want -0.75", n, i, v)
			}
		}
	}
}
