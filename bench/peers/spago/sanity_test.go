package spagopeer

import "testing"

// TestMLPLearns checks that the MLPStep workload really trains: the loss on
// the fixed batch goes down over a few steps.
func TestMLPLearns(t *testing.T) {
	for name, step := range map[string]func() (float64, error){"f64": newMLP[float64](), "f32": newMLP[float32]()} {
		first, err := step()
		if err != nil {
			t.Fatal(err)
		}
		last := first
		for i := 0; i < 30; i++ {
			if last, err = step(); err != nil {
				t.Fatal(err)
			}
		}
		if !(last < first) {
			t.Errorf("%s: loss went from %v to %v, want a decrease", name, first, last)
		}
		t.Logf("%s: loss %v -> %v", name, first, last)
	}
}
