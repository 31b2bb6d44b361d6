package gorgoniapeer

import (
	"testing"

	"gorgonia.org/tensor"
)

// TestMLPLearns checks that the MLPStep workload really trains: the loss on
// the fixed batch goes down over a few steps.
func TestMLPLearns(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		step, closeVM := newMLP(dt)
		first := step()
		var last float64
		for i := 0; i < 30; i++ {
			last = step()
		}
		closeVM()
		if !(last < first) {
			t.Errorf("%v: loss went from %v to %v, want a decrease", dt, first, last)
		}
		t.Logf("%v: loss %v -> %v", dt, first, last)
	}
}
