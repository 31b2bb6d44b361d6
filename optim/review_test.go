package optim

import (
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestFloat32StepsMatchTorch checks one float32 step of Adam and RMSProp from p = 0 with gradient
// 1 against PyTorch 1.13 (torch.optim.Adam(lr=1), torch.optim.RMSprop(lr=0.01)): 1 − β and 1 − α
// must be rounded to float32 once, not computed from float32(β).
func TestFloat32StepsMatchTorch(t *testing.T) {
	cases := []struct {
		name string
		new  func(ps []ag.Var) (Optimizer, error)
		want float64
	}{
		{"Adam", func(ps []ag.Var) (Optimizer, error) { return NewAdam(ps, AdamConfig{LR: 1}) }, -0.9999998807907104},
		{"RMSProp", func(ps []ag.Var) (Optimizer, error) { return NewRMSProp(ps, RMSPropConfig{LR: 0.01}) }, -0.09999998658895493},
	}
	for _, c := range cases {
		p := ag.NewParam32([]float32{0}, 1)
		opt, err := c.new([]ag.Var{p})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		setGrad(t, p, []float64{1})
		opt.Step()
		// One float32 rounding of the update: half an ulp of 1 is 6e-8.
		if got := p.At(0); math.Abs(got-c.want) > 6e-8 {
			t.Errorf("%s: float32 step from 0 with gradient 1 gives %v, want %v", c.name, got, c.want)
		}
	}
}

// TestClipGradNormOfHugeGradients checks gradients whose squares overflow float64 are still
// clipped, to the same direction.
func TestClipGradNormOfHugeGradients(t *testing.T) {
	p := ag.NewParam([]float64{0, 0}, 2)
	setGrad(t, p, []float64{3e200, 4e200})
	norm := ClipGradNorm([]ag.Var{p}, 1)
	if math.Abs(norm-5e200) > 1e186 { // a few ulps of 5e200
		t.Errorf("norm of (3e200, 4e200) = %v, want 5e200", norm)
	}
	if g := p.Grad().Float64s(); math.Abs(g[0]-0.6) > 1e-12 || math.Abs(g[1]-0.8) > 1e-12 {
		t.Errorf("clipped gradient = %v, want (0.6, 0.8)", g)
	}
}
