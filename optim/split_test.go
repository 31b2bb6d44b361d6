package optim

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
)

// TestLargeParamsSplitLikeSmallOnes checks the updates that run on several cores (parameters of
// 2·parallel.Grain elements and more) against the same optimizer on a 3-element parameter: the
// updates are elementwise, so every element must come out bit-identical to its small twin. It
// also checks that such a step allocates nothing.
func TestLargeParamsSplitLikeSmallOnes(t *testing.T) {
	const n = 2*parallel.Grain + 5 // split over the cores, with a ragged end
	type mk func(ps []ag.Var) (Optimizer, error)
	cases := []struct {
		name string
		new  mk
	}{
		{"SGD", func(ps []ag.Var) (Optimizer, error) { return NewSGD(ps, SGDConfig{LR: 0.1}) }},
		{"SGD momentum", func(ps []ag.Var) (Optimizer, error) {
			return NewSGD(ps, SGDConfig{LR: 0.1, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.01})
		}},
		{"Adam", func(ps []ag.Var) (Optimizer, error) { return NewAdam(ps, AdamConfig{LR: 0.01}) }},
		{"AdamW", func(ps []ag.Var) (Optimizer, error) { return NewAdamW(ps, AdamConfig{LR: 0.01, WeightDecay: 0.1}) }},
	}
	tile := func(s []float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = s[i%len(s)]
		}
		return out
	}
	for _, c := range cases {
		small, large := ag.NewParam(p0, len(p0)), ag.NewParam(tile(p0), n)
		optSmall, err := c.new([]ag.Var{small})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		optLarge, err := c.new([]ag.Var{large})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for s := range 3 {
			setGrad(t, small, grads[s])
			setGrad(t, large, tile(grads[s]))
			optSmall.Step()
			optLarge.Step()
		}
		want, got := small.Data64(), large.Data64()
		for i, x := range got {
			if x != want[i%len(want)] {
				t.Fatalf("%s: element %d = %v after three steps, want %v as for the 3-element parameter", c.name, i, x, want[i%len(want)])
			}
		}
		if raceEnabled {
			continue
		}
		if allocs := testing.AllocsPerRun(5, optLarge.Step); allocs > 0 {
			t.Errorf("%s: a step of a %d-element parameter allocates %v times, want 0", c.name, n, allocs)
		}
	}
}
