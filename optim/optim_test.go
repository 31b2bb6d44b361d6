package optim

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// grads are the gradients fed to the parameter p0 at the three steps of every update test.
var (
	p0    = []float64{1.0, -2.0, 0.5}
	grads = [][]float64{{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.05}, {0.2, 0.2, -0.1}}
)

// setGrad makes p's collected gradient equal to g, through Backward of Σ g·p on a fresh tape,
// the way a training loop fills it.
func setGrad(t *testing.T, p ag.Var, g []float64) {
	t.Helper()
	ag.ZeroGrad(p)
	tp := ag.NewTape()
	var loss ag.Var
	if p.DType() == ag.Float32 {
		g32 := make([]float32, len(g))
		for i, x := range g {
			g32[i] = float32(x)
		}
		loss = dot(tp.Const32(g32, p.Shape()...), p)
	} else {
		loss = dot(tp.Const(g, p.Shape()...), p)
	}
	if err := ag.Backward(loss); err != nil {
		t.Fatal(err)
	}
}

// dot returns Σ a·p with package ops (which the tests may use; the package itself does not),
// so that p's gradient is a.
func dot(a, p ag.Var) ag.Var { return ops.Sum(ops.Mul(a, p)) }

func TestUpdates(t *testing.T) {
	type mk func(ps []ag.Var) (Optimizer, error)
	sgd := func(c SGDConfig) mk { return func(ps []ag.Var) (Optimizer, error) { return NewSGD(ps, c) } }
	adam := func(c AdamConfig) mk { return func(ps []ag.Var) (Optimizer, error) { return NewAdam(ps, c) } }
	adamw := func(c AdamConfig) mk { return func(ps []ag.Var) (Optimizer, error) { return NewAdamW(ps, c) } }
	rms := func(c RMSPropConfig) mk { return func(ps []ag.Var) (Optimizer, error) { return NewRMSProp(ps, c) } }
	// The wants after three steps were computed independently with PyTorch 1.13 (torch.optim,
	// float64), feeding the same gradients; the one-step wants are worked out by hand.
	cases := []struct {
		name  string
		new   mk
		steps int
		want  []float64
	}{
		// p − η Σg: 1 − 0.1·(0.1 − 0.4 + 0.2) = 1.01, −2 − 0.1·0.5 = −2.05, 0.5 − 0.1·0.25 = 0.475.
		{"SGD", sgd(SGDConfig{LR: 0.1}), 3, []float64{1.01, -2.05, 0.475}},
		// b = g at step 1: p − η (g + λp) = 1 − 0.1·(0.1 + 0.01) = 0.989.
		{"SGD momentum step 1", sgd(SGDConfig{LR: 0.1, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.01}), 1, []float64{0.989, -1.978, 0.4695}},
		{"SGD momentum", sgd(SGDConfig{LR: 0.1, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.01}), 3, []float64{1.01798602109, -2.0386963421799997, 0.416598740295}},
		{"SGD Nesterov", sgd(SGDConfig{LR: 0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01}), 3, []float64{1.027933412551, -2.088675125102, 0.39858923480049996}},
		// Step 1: m̂ = g, v̂ = g², so p − η g/(|g| + ε) ≈ p − η sign(g) = 0.99, −1.99, 0.49.
		{"Adam step 1", adam(AdamConfig{LR: 0.01}), 1, []float64{0.99, -1.99, 0.49}},
		{"Adam", adam(AdamConfig{LR: 0.01}), 3, []float64{0.9966967723464267, -1.9998515828128194, 0.4784121864182727}},
		{"Adam weight decay", adam(AdamConfig{LR: 0.01, Betas: [2]float64{0.8, 0.9}, Eps: 1e-6, WeightDecay: 0.1}), 3, []float64{0.9902455051612025, -1.989491577252872, 0.4765273079892395}},
		// Step 1: p(1 − ηλ) − η sign(g) = 1·0.999 − 0.01 = 0.989.
		{"AdamW step 1", adamw(AdamConfig{LR: 0.01, WeightDecay: 0.1}), 1, []float64{0.989, -1.988, 0.4895}},
		{"AdamW", adamw(AdamConfig{LR: 0.01, WeightDecay: 0.1}), 3, []float64{0.9937141663096792, -1.9938731486592982, 0.47694150919072464}},
		// Step 1: v = 0.01 g², p − η g/(0.1|g|) = p − 0.1 sign(g) = 0.9, −1.9, 0.4.
		{"RMSProp step 1", rms(RMSPropConfig{LR: 0.01}), 1, []float64{0.9, -1.9, 0.4}},
		{"RMSProp", rms(RMSPropConfig{LR: 0.01}), 3, []float64{0.9532111545062486, -2.0279025060930334, 0.41499474221946947}},
		{"RMSProp centered momentum", rms(RMSPropConfig{LR: 0.01, Alpha: 0.9, Eps: 1e-6, WeightDecay: 0.1, Momentum: 0.5, Centered: true}), 3, []float64{0.9610913813979806, -1.971512011963937, 0.43292668834647086}},
	}
	for _, c := range cases {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			var p ag.Var
			// Literals and PyTorch agree to rounding in float64 (the step-1 wants are rounded
			// where ε enters, by at most ~1e-7 relative); float32 rounds each update to ~1e-7
			// relative, compounded over three steps.
			tol := 1e-9
			if dt == ag.Float32 {
				p32 := make([]float32, len(p0))
				for i, x := range p0 {
					p32[i] = float32(x)
				}
				p = ag.NewParam32(p32, 3)
				tol = 2e-6
			} else {
				p = ag.NewParam(p0, 3)
			}
			if c.steps == 1 {
				tol = max(tol, 1e-6)
			}
			opt, err := c.new([]ag.Var{p})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for s := range c.steps {
				setGrad(t, p, grads[s])
				opt.Step()
			}
			if got := p.Float64s(); !cmp.Equal(got, c.want, cmpopts.EquateApprox(tol, tol)) {
				t.Errorf("%s %v: got %v, want %v", c.name, dt, got, c.want)
			}
		}
	}
}

func TestSkipsParamWithoutGrad(t *testing.T) {
	for _, name := range []string{"SGD", "Adam", "RMSProp"} {
		p := ag.NewParam([]float64{1, 2}, 2)
		var opt Optimizer
		var err error
		switch name {
		case "SGD":
			opt, err = NewSGD([]ag.Var{p}, SGDConfig{LR: 0.1, Momentum: 0.9, WeightDecay: 0.1})
		case "Adam":
			opt, err = NewAdam([]ag.Var{p}, AdamConfig{LR: 0.1, WeightDecay: 0.1})
		default:
			opt, err = NewRMSProp([]ag.Var{p}, RMSPropConfig{LR: 0.1, WeightDecay: 0.1})
		}
		if err != nil {
			t.Fatal(err)
		}
		opt.Step()
		if got, want := p.Float64s(), []float64{1, 2}; !cmp.Equal(got, want) {
			t.Errorf("%s: got %v after a step without gradient, want %v", name, got, want)
		}
		if got := len(opt.(Stateful).State()); got != 1 {
			t.Errorf("%s: got %d state entries, want 1 (lr only)", name, got)
		}
	}
}

func TestConstructorErrors(t *testing.T) {
	p := []ag.Var{ag.NewParam([]float64{1}, 1)}
	cases := []struct {
		name string
		err  error
		want error
		msg  string
	}{
		{"NaN lr", second(NewSGD(p, SGDConfig{LR: math.NaN()})), ErrLR, "optim.NewSGD: learning rate NaN; want a finite value ≥ 0"},
		{"Inf lr", second(NewAdam(p, AdamConfig{LR: math.Inf(1)})), ErrLR, "optim.NewAdam: learning rate +Inf; want a finite value ≥ 0"},
		{"negative lr", second(NewRMSProp(p, RMSPropConfig{LR: -1})), ErrLR, "optim.NewRMSProp: learning rate -1 is negative; want a finite value ≥ 0"},
		{"momentum 1", second(NewSGD(p, SGDConfig{LR: 1, Momentum: 1})), ErrHyper, "optim.NewSGD: momentum 1; want a value in [0, 1)"},
		{"Nesterov without momentum", second(NewSGD(p, SGDConfig{LR: 1, Nesterov: true})), ErrHyper, "optim.NewSGD: Nesterov momentum needs momentum > 0 and dampening 0; have momentum 0, dampening 0"},
		{"β₂", second(NewAdamW(p, AdamConfig{LR: 1, Betas: [2]float64{0.9, 1.5}})), ErrHyper, "optim.NewAdamW: β₂ 1.5; want a value in [0, 1)"},
		{"ε", second(NewAdam(p, AdamConfig{LR: 1, Eps: -1})), ErrHyper, "optim.NewAdam: ε -1; want a finite value > 0"},
		{"nil param", second(NewSGD([]ag.Var{{}}, SGDConfig{LR: 1})), ErrParam, ""},
		{"StepLR", second(NewStepLR(&SGD{}, 0, 0.1)), ErrHyper, "optim.NewStepLR: step size 0; want at least 1"},
		{"cosine", second(NewCosineAnnealing(&SGD{}, 0, 0)), ErrHyper, "optim.NewCosineAnnealing: TMax 0; want at least 1"},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got error %v, want one wrapping %v", c.name, c.err, c.want)
			continue
		}
		if c.msg != "" && c.err.Error() != c.msg {
			t.Errorf("%s: got message %q, want %q", c.name, c.err.Error(), c.msg)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestSetLRPanics(t *testing.T) {
	opt, err := NewSGD(nil, SGDConfig{LR: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := ag.Maybe(func() { opt.SetLR(math.NaN()) })
	if !errors.Is(got, ErrLR) {
		t.Errorf("SetLR(NaN): got %v, want a panic wrapping ErrLR", got)
	}
}

func TestClipGradNorm(t *testing.T) {
	cases := []struct {
		name     string
		maxNorm  float64
		wantNorm float64
		want     []float64
	}{
		// The gradient (3, 4) has norm 5; clipping to 1 multiplies by 1/(5 + 1e-6).
		{"clipped", 1, 5, []float64{3 / (5 + 1e-6), 4 / (5 + 1e-6)}},
		{"unchanged", 10, 5, []float64{3, 4}},
	}
	for _, c := range cases {
		p := ag.NewParam([]float64{0, 0}, 2)
		q := ag.NewParam([]float64{7}, 1) // no gradient: skipped
		setGrad(t, p, []float64{3, 4})
		norm := ClipGradNorm([]ag.Var{p, q}, c.maxNorm)
		if norm != c.wantNorm {
			t.Errorf("%s: got norm %v, want %v", c.name, norm, c.wantNorm)
		}
		// Scaling rounds once per element.
		if got := p.Grad().Float64s(); !cmp.Equal(got, c.want, cmpopts.EquateApprox(1e-15, 0)) {
			t.Errorf("%s: got gradient %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSchedules(t *testing.T) {
	newOpt := func() *SGD {
		o, err := NewSGD(nil, SGDConfig{LR: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	o1 := newOpt()
	step, err := NewStepLR(o1, 2, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	o2 := newOpt()
	cos, err := NewCosineAnnealing(o2, 4, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		s     Scheduler
		opt   *SGD
		wants []float64
	}{
		// 0.1·0.5^⌊e/2⌋ for e = 1..5.
		{"StepLR", step, o1, []float64{0.1, 0.05, 0.05, 0.025, 0.025}},
		// 0.01 + 0.09(1 + cos(πe/4))/2: e=1: 0.01 + 0.045(1 + √½), e=2: 0.055, e=3: 0.01 + 0.045(1 − √½),
		// e=4: 0.01, e=5: back up to the e=3 value.
		{"CosineAnnealing", cos, o2, []float64{0.01 + 0.045*(1+math.Sqrt2/2), 0.055, 0.01 + 0.045*(1-math.Sqrt2/2), 0.01, 0.01 + 0.045*(1-math.Sqrt2/2)}},
	}
	for _, c := range cases {
		for e, want := range c.wants {
			got := c.s.Step()
			// The closed forms are evaluated in a different order: equal to rounding.
			if !cmp.Equal(got, want, cmpopts.EquateApprox(1e-14, 1e-17)) || got != c.opt.LR() {
				t.Errorf("%s epoch %d: got lr %v (optimizer %v), want %v", c.name, e+1, got, c.opt.LR(), want)
			}
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	p := ag.NewParam([]float64{1, 2}, 2)
	q := ag.NewParam32([]float32{3}, 1)
	a, err := NewAdam([]ag.Var{p, q}, AdamConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	setGrad(t, p, []float64{0.5, -1})
	setGrad(t, q, []float64{2})
	a.Step()
	a.Step()
	st := a.State()
	b, err := NewAdam([]ag.Var{p, q}, AdamConfig{LR: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetState(st); err != nil {
		t.Fatal(err)
	}
	if got := b.State(); !cmp.Equal(got, st) {
		t.Errorf("round trip: got state %v, want %v", got, st)
	}
	bad := []struct {
		name string
		mod  func([]StateEntry) []StateEntry
	}{
		{"unknown key", func(s []StateEntry) []StateEntry {
			return append(s, StateEntry{Param: 0, Key: "nope", Shape: []int{2}, F64: []float64{0, 0}})
		}},
		{"wrong size", func(s []StateEntry) []StateEntry { s[2].F64 = s[2].F64[:1]; return s }},
		{"wrong dtype", func(s []StateEntry) []StateEntry { s[5].F32, s[5].F64 = nil, []float64{1}; return s }},
		{"missing buffer", func(s []StateEntry) []StateEntry { return s[:len(s)-1] }},
		{"parameter out of range", func(s []StateEntry) []StateEntry { s[1].Param = 9; return s }},
	}
	for _, c := range bad {
		st := b.State()
		before := b.State()
		err := b.SetState(c.mod(st))
		if !errors.Is(err, ErrState) {
			t.Errorf("%s: got error %v, want one wrapping ErrState", c.name, err)
		}
		if got := b.State(); !cmp.Equal(got, before) {
			t.Errorf("%s: state changed by a failed SetState: got %v, want %v", c.name, got, before)
		}
	}
}
