package autograd

import "testing"

func TestKeyIndexNumbersKeysInOrder(t *testing.T) {
	for _, n := range []int{0, 1, scanKeys, scanKeys + 1, 3 * scanKeys} {
		var x keyIndex[int]
		for round := range 2 { // the second round after reset reuses the memory
			for k := range n {
				if _, ok := x.find(10 * k); ok {
					t.Fatalf("n=%d round %d: key %d found before it was added", n, round, 10*k)
				}
				if got := x.add(10 * k); got != int32(k) {
					t.Fatalf("n=%d round %d: add(%d) = %d, want %d", n, round, 10*k, got, k)
				}
			}
			for k := range n {
				if got, ok := x.find(10 * k); !ok || got != int32(k) {
					t.Errorf("n=%d round %d: find(%d) = %d, %v; want %d, true", n, round, 10*k, got, ok, k)
				}
			}
			if _, ok := x.find(-1); ok {
				t.Errorf("n=%d round %d: find(-1) found a key never added", n, round)
			}
			x.reset()
		}
	}
}
