package layers

import (
	"errors"
	"math"
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestPredictOnAHeapValue checks Predict accepts an input with no tape (made by the constructors
// of a nil *Tape), as Forward does, and agrees with Predict on a tape input.
func TestPredictOnAHeapValue(t *testing.T) {
	m := NewMLP([]int{2, 4, 3}, Tanh{}, SoftmaxHead, WithSeed(2))
	x := []float64{0.5, -1, 2, 0.25, -0.75, 1.5}
	var heap *ag.Tape
	var got []int
	if err := ag.Maybe(func() { got = m.Predict(heap.Const(x, 3, 2)) }); err != nil {
		t.Fatalf("Predict on a heap value: %v", err)
	}
	if want := m.Predict(ag.NewTape().Const(x, 3, 2)); !slices.Equal(got, want) {
		t.Errorf("Predict on a heap value = %v, on a tape value %v", got, want)
	}
}

// TestWithDropoutRejectsBadRates checks NewMLP passes every non-zero rate to NewDropout's check
// instead of silently adding no dropout for a negative or NaN rate.
func TestWithDropoutRejectsBadRates(t *testing.T) {
	for _, p := range []float64{-0.5, 1, math.NaN()} {
		err := ag.Maybe(func() { NewMLP([]int{2, 4, 3}, Tanh{}, SoftmaxHead, WithDropout(p)) })
		if !errors.Is(err, ErrSize) {
			t.Errorf("WithDropout(%v): error %v, want ErrSize", p, err)
		}
	}
}
