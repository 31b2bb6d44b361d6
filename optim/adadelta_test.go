package optim

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// torchFixture is what testdata/torch_adadelta.py writes.
type torchFixture struct {
	P0    []float64   `json:"p0"`
	Shape []int       `json:"shape"`
	Grads [][]float64 `json:"grads"`
	Cases []struct {
		Optimizer string               `json:"optimizer"`
		Config    map[string]float64   `json:"config"`
		DType     string               `json:"dtype"`
		Steps     [][]float64          `json:"steps"`
		State     map[string][]float64 `json:"state"`
	} `json:"cases"`
}

// TestAdadeltaAdagradTorch checks the parameters after each of five steps, and the state after
// the last, against PyTorch 1.13's Adadelta and Adagrad fed the same gradients.
func TestAdadeltaAdagradTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/torch_adadelta.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx torchFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) != 8 {
		t.Fatalf("fixture has %d cases, want 8", len(fx.Cases))
	}
	for _, c := range fx.Cases {
		name := c.Optimizer + " " + c.DType
		var p ag.Var
		// The same operations in the same order as torch's CPU kernels: when written, the
		// parameters were bit-identical at every step in both dtypes and the running averages
		// differed by one ulp (torch's vectorised addcmul rounds differently). The tolerances
		// allow a few ulps: 1e-13 relative in float64, 1e-6 (8 ulps) in float32.
		tol := 1e-13
		if c.DType == "float32" {
			p32 := make([]float32, len(fx.P0))
			for i, x := range fx.P0 {
				p32[i] = float32(x)
			}
			p = ag.NewParam32(p32, fx.Shape...)
			tol = 1e-6
		} else {
			p = ag.NewParam(fx.P0, fx.Shape...)
		}
		var opt interface {
			Optimizer
			Stateful
		}
		cfg := c.Config
		switch c.Optimizer {
		case "Adadelta":
			opt, err = NewAdadelta([]ag.Var{p}, AdadeltaConfig{LR: cfg["lr"], Rho: cfg["rho"], Eps: cfg["eps"], WeightDecay: cfg["weight_decay"]})
		case "Adagrad":
			opt, err = NewAdagrad([]ag.Var{p}, AdagradConfig{LR: cfg["lr"], LRDecay: cfg["lr_decay"], WeightDecay: cfg["weight_decay"], InitialSum: cfg["initial_accumulator_value"], Eps: cfg["eps"]})
		default:
			t.Fatalf("unknown optimizer %q", c.Optimizer)
		}
		if err != nil {
			t.Fatalf("%s %v: %v", name, cfg, err)
		}
		approx := cmpopts.EquateApprox(tol, 0)
		for s, g := range fx.Grads {
			setGrad(t, p, g)
			opt.Step()
			if got := p.Float64s(); !cmp.Equal(got, c.Steps[s], approx) {
				t.Errorf("%s %v step %d: got %v, want torch's %v", name, cfg, s+1, got, c.Steps[s])
			}
		}
		got := map[string][]float64{}
		for _, e := range opt.State() {
			if e.Param != 0 {
				continue
			}
			v := e.F64
			if e.F32 != nil {
				v = nil
				for _, x := range e.F32 {
					v = append(v, float64(x))
				}
			}
			got[e.Key] = v
		}
		if diff := cmp.Diff(c.State, got, approx); diff != "" {
			t.Errorf("%s %v: state mismatch (-torch +got):\n%s", name, cfg, diff)
		}
	}
}

func TestAdadeltaAdagradErrors(t *testing.T) {
	p := ag.NewParam([]float64{1}, 1)
	ps := []ag.Var{p}
	for _, c := range []struct {
		name string
		err  error
		kind error
		msg  string
	}{
		{"Adadelta lr", second(NewAdadelta(ps, AdadeltaConfig{LR: -1})), ErrLR, "optim.NewAdadelta: learning rate -1 is negative; want a finite value ≥ 0"},
		{"Adadelta ρ", second(NewAdadelta(ps, AdadeltaConfig{LR: 1, Rho: 1.5})), ErrHyper, "optim.NewAdadelta: ρ 1.5; want a value in [0, 1]"},
		{"Adadelta ρ NaN", second(NewAdadelta(ps, AdadeltaConfig{LR: 1, Rho: math.NaN()})), ErrHyper, "optim.NewAdadelta: ρ NaN; want a value in [0, 1]"},
		{"Adadelta ε", second(NewAdadelta(ps, AdadeltaConfig{LR: 1, Eps: -1})), ErrHyper, "optim.NewAdadelta: ε -1; want a finite value > 0"},
		{"Adadelta weight decay", second(NewAdadelta(ps, AdadeltaConfig{LR: 1, WeightDecay: -0.1})), ErrHyper, "optim.NewAdadelta: weight decay -0.1; want a value in [0, 1e+300)"},
		{"Adagrad lr", second(NewAdagrad(ps, AdagradConfig{LR: math.Inf(1)})), ErrLR, "optim.NewAdagrad: learning rate +Inf; want a finite value ≥ 0"},
		{"Adagrad lr decay", second(NewAdagrad(ps, AdagradConfig{LR: 1, LRDecay: -1})), ErrHyper, "optim.NewAdagrad: learning-rate decay -1; want a value in [0, 1e+300)"},
		{"Adagrad initial sum", second(NewAdagrad(ps, AdagradConfig{LR: 1, InitialSum: math.NaN()})), ErrHyper, "optim.NewAdagrad: initial sum NaN; want a value in [0, 1e+300)"},
		{"Adagrad ε", second(NewAdagrad(ps, AdagradConfig{LR: 1, Eps: math.Inf(1)})), ErrHyper, "optim.NewAdagrad: ε +Inf; want a finite value > 0"},
		{"Adagrad stale parameter", second(NewAdagrad([]ag.Var{{}}, AdagradConfig{LR: 1})), ErrParam, ""},
	} {
		if c.err == nil || !errors.Is(c.err, c.kind) || (c.msg != "" && c.err.Error() != c.msg) {
			t.Errorf("%s: got %v, want %q wrapping %v", c.name, c.err, c.msg, c.kind)
		}
	}
}

// TestAdadeltaAdagradStateRoundTrip checks that a state saved after two steps and restored
// into a fresh optimizer continues exactly as the original.
func TestAdadeltaAdagradStateRoundTrip(t *testing.T) {
	type opt interface {
		Optimizer
		Stateful
	}
	makers := map[string]func(ps []ag.Var) (opt, error){
		"Adadelta": func(ps []ag.Var) (opt, error) { return NewAdadelta(ps, AdadeltaConfig{LR: 1}) },
		"Adagrad": func(ps []ag.Var) (opt, error) {
			return NewAdagrad(ps, AdagradConfig{LR: 0.1, LRDecay: 0.1, InitialSum: 0.5})
		},
	}
	for name, mk := range makers {
		p := ag.NewParam([]float64{1, 2}, 2)
		q := ag.NewParam32([]float32{3}, 1)
		a, _ := mk([]ag.Var{p, q})
		for _, g := range grads[:2] {
			setGrad(t, p, g[:2])
			setGrad(t, q, g[2:])
			a.Step()
		}
		p2 := ag.NewParam(p.Float64s(), 2)
		q2 := ag.NewParam32([]float32{float32(q.Float64s()[0])}, 1)
		b, _ := mk([]ag.Var{p2, q2})
		if err := b.SetState(a.State()); err != nil {
			t.Fatalf("%s: SetState: %v", name, err)
		}
		for _, pair := range [][2]ag.Var{{p, q}, {p2, q2}} {
			setGrad(t, pair[0], grads[2][:2])
			setGrad(t, pair[1], grads[2][2:])
		}
		a.Step()
		b.Step()
		if !cmp.Equal(p.Float64s(), p2.Float64s()) || !cmp.Equal(q.Float64s(), q2.Float64s()) {
			t.Errorf("%s: after restoring the state: got %v %v, want %v %v", name, p2.Float64s(), q2.Float64s(), p.Float64s(), q.Float64s())
		}
		bad := a.State()
		bad = bad[:len(bad)-1]
		if err := b.SetState(bad); !errors.Is(err, ErrState) {
			t.Errorf("%s: SetState with a missing entry: got %v, want ErrState", name, err)
		}
	}
}
