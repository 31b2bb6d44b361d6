package optim

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestWarmupCosine checks the schedule against its closed form: η₀ = 0.1, 2 warm-up steps, total
// 6, ηmin = 0.01.
func TestWarmupCosine(t *testing.T) {
	o, err := NewSGD(nil, SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewWarmupCosine(o, 2, 6, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if o.LR() != 0 {
		t.Errorf("learning rate at step 0: %v; want 0 (warm-up starts at 0)", o.LR())
	}
	// Steps 1..8: 0.05 (warm-up e/2), then 0.01 + 0.045(1 + cos(π(e − 2)/4)) for e = 2..6, then
	// 0.01 held.
	wants := []float64{0.05, 0.1, 0.01 + 0.045*(1+math.Sqrt2/2), 0.055, 0.01 + 0.045*(1-math.Sqrt2/2), 0.01, 0.01, 0.01}
	for e, want := range wants {
		got := s.Step()
		// The closed forms are evaluated in a different order: equal to rounding.
		if !cmp.Equal(got, want, cmpopts.EquateApprox(1e-14, 1e-17)) || got != o.LR() || s.Epoch() != e+1 {
			t.Errorf("step %d: got lr %v (optimizer %v, epoch %d), want %v", e+1, got, o.LR(), s.Epoch(), want)
		}
	}
}

func TestWarmupCosineErrors(t *testing.T) {
	newOpt := func() *SGD { o, _ := NewSGD(nil, SGDConfig{LR: 0.1}); return o }
	cases := []struct {
		name          string
		warmup, total int
		etaMin        float64
		kind          error
	}{
		{"negative warm-up", -1, 5, 0, ErrHyper},
		{"total not above warm-up", 5, 5, 0, ErrHyper},
		{"negative ηmin", 1, 5, -1, ErrLR},
		{"ηmin above the rate", 1, 5, 0.2, ErrLR},
	}
	for _, c := range cases {
		if _, err := NewWarmupCosine(newOpt(), c.warmup, c.total, c.etaMin); !errors.Is(err, c.kind) {
			t.Errorf("%s: error %v; want %v", c.name, err, c.kind)
		}
	}
}
