package autograd

import (
	"errors"
	"testing"
)

// TestErrorf checks the one error constructor: its message with and without an op, the sentinel
// it wraps, and that Panicf's panic comes back from Maybe as the same error.
func TestErrorf(t *testing.T) {
	for _, c := range []struct {
		op, want string
	}{
		{"ops.MatMul", "ops.MatMul: (2,3) x (2,3): inner dimensions 3 and 2 differ"},
		{"", "(2,3) x (2,3): inner dimensions 3 and 2 differ"},
	} {
		err := Errorf(c.op, ErrShape, "(%d,%d) x (%d,%d): inner dimensions %d and %d differ", 2, 3, 2, 3, 3, 2)
		if got := err.Error(); got != c.want {
			t.Errorf("op %q: Errorf gives %q, want %q", c.op, got, c.want)
		}
		if !errors.Is(err, ErrShape) {
			t.Errorf("op %q: %v does not wrap ErrShape", c.op, err)
		}
		got := Maybe(func() {
			Panicf(c.op, ErrShape, "(%d,%d) x (%d,%d): inner dimensions %d and %d differ", 2, 3, 2, 3, 3, 2)
		})
		var e *Error
		if !errors.As(got, &e) || e.Error() != c.want || e.Kind != ErrShape {
			t.Errorf("op %q: Maybe(Panicf) = %v, want the *Error %q wrapping ErrShape", c.op, got, c.want)
		}
	}
}
