package layers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// TestLinearFuseSGD trains two copies of a Linear layer on a least-squares loss, one with
// FuseSGD and optim.SGD.BackwardStep, the other with Backward and Step, and compares the
// parameters after each step; then FuseSGD(nil) must bring back the collected gradient.
func TestLinearFuseSGD(t *testing.T) {
	ref, fused := NewLinear(4, 3, WithSeed(5)), NewLinear(4, 3, WithSeed(5))
	refOpt, err := optim.NewSGD([]ag.Var{ref.Weight, ref.Bias}, optim.SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := optim.NewSGD([]ag.Var{fused.Weight, fused.Bias}, optim.SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	fused.FuseSGD(opt)
	xs := []float64{0.5, -1, 2, 0.25, 1, 1.5, -0.5, 0}
	loss := func(tp *ag.Tape, l *Linear) ag.Var {
		return ops.Sum(ops.Square(l.Forward(tp.Const(xs, 2, 4))))
	}
	tp := ag.NewTape()
	for step := range 4 {
		if step == 3 {
			fused.FuseSGD(nil)
		}
		tp.Reset()
		if err := ag.Backward(loss(tp, ref)); err != nil {
			t.Fatal(err)
		}
		refOpt.Step()
		if err := opt.BackwardStep(loss(tp, fused)); err != nil {
			t.Fatal(err)
		}
		if got, want := fused.Weight.Grad().IsNil(), step < 3; got != want {
			t.Errorf("step %d: the weight's Grad() is the zero Var: %v, want %v", step, got, want)
		}
		// The fused update rounds w − η·(xᵀg) in the GEMM's epilogue, not w + (−η)·∂w with ∂w
		// rounded first: a few ulps per step.
		want, got := [][]float64{ref.Weight.Float64s(), ref.Bias.Float64s()}, [][]float64{fused.Weight.Float64s(), fused.Bias.Float64s()}
		if d := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-15)); d != "" {
			t.Errorf("step %d: parameters (-Backward,Step +FuseSGD,BackwardStep):\n%s", step, d)
		}
		refOpt.ZeroGrad()
		opt.ZeroGrad()
	}
}
