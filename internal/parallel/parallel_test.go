package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, c := range []struct{ n, grain int }{{0, 4}, {1, 4}, {7, 4}, {8, 4}, {100, 4}, {1 << 17, Grain}, {12345, 1000}} {
		hits := make([]int32, c.n)
		For(c.n, c.grain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&hits[i], 1)
			}
		})
		for i, h := range hits {
			if h != 1 {
				t.Fatalf("n=%d grain=%d: index %d visited %d times, want 1", c.n, c.grain, i, h)
			}
		}
	}
}

func TestChunksMatchesFor(t *testing.T) {
	for _, n := range []int{10, 1 << 16, 1 << 20} {
		var calls atomic.Int32
		For(n, 1000, func(lo, hi int) { calls.Add(1) })
		if got, want := int(calls.Load()), Chunks(n, 1000); got != want {
			t.Errorf("n=%d: For made %d calls, Chunks says %d", n, got, want)
		}
	}
}
