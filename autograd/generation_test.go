package autograd

import (
	"errors"
	"testing"
)

// TestGenerationDoesNotWrap: a Var made at generation g must stay stale however many resets
// follow. With a 32-bit counter, 2³²−1 resets brought the tape back to g (skipping 0) and the
// stale Var read the recycled node's new value; the counter has 64 bits now, so it would take
// centuries of resets.
func TestGenerationDoesNotWrap(t *testing.T) {
	tp := NewTape()
	stale := tp.Const([]float64{1}, 1)
	tp.gen = 1<<32 - 1 // as after 2³²−2 resets
	tp.Reset()
	tp.Const([]float64{2}, 1) // reuses stale's node
	err := Maybe(func() { stale.Data64() })
	if !errors.Is(err, ErrReleased) {
		t.Errorf("a Var from generation 1 after the counter passed 2³²: %v, want ErrReleased", err)
	}
}
