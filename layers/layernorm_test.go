package layers

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchNorm is testdata/torch_norm.json, written by testdata/torch_norm.py with PyTorch 1.13.
type torchNorm struct {
	LayerNorm []struct {
		Name, DType           string
		Shape                 []int
		NormShape             []int `json:"norm_shape"`
		Eps                   float64
		X, Weight, Bias, R, Y []float64
		GradX                 []float64 `json:"grad_x"`
		GradWeight            []float64 `json:"grad_weight"`
		GradBias              []float64 `json:"grad_bias"`
	} `json:"layer_norm"`
	RMSNorm []struct {
		Name            string
		Shape           []int
		NormShape       []int `json:"norm_shape"`
		Eps             float64
		X, Weight, R, Y []float64
		GradX           []float64 `json:"grad_x"`
		GradWeight      []float64 `json:"grad_weight"`
	} `json:"rms_norm"`
	BatchNorm []torchBatchNorm `json:"batch_norm"`
}

type torchBatchNorm struct {
	Name              string
	Shape             []int
	Momentum, Eps     float64
	Weight, Bias      []float64
	TrainInputs       [][]float64 `json:"train_inputs"`
	R, Y              []float64
	GradX             []float64 `json:"grad_x"`
	GradWeight        []float64 `json:"grad_weight"`
	GradBias          []float64 `json:"grad_bias"`
	RunningMean       []float64 `json:"running_mean"`
	RunningVar        []float64 `json:"running_var"`
	NumBatchesTracked int       `json:"num_batches_tracked"`
	EvalX             []float64 `json:"eval_x"`
	EvalR             []float64 `json:"eval_r"`
	EvalY             []float64 `json:"eval_y"`
	EvalGradX         []float64 `json:"eval_grad_x"`
}

func loadTorchNorm(t *testing.T) *torchNorm {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_norm.json")
	if err != nil {
		t.Fatal(err)
	}
	var tn torchNorm
	if err := json.Unmarshal(b, &tn); err != nil {
		t.Fatal(err)
	}
	return &tn
}

// gradsOf returns y, ∂/∂leaves of sum(y·r) as float64s.
func gradsOf(t *testing.T, y ag.Var, r []float64, leaves ...ag.Var) [][]float64 {
	t.Helper()
	rv := ops.Cast(ops.TapeOf(y).Const(r, y.Shape()...), y.DType())
	gs, err := ag.Grad([]ag.Var{ops.Sum(ops.Mul(y, rv))}, leaves)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(gs))
	for i, g := range gs {
		out[i] = g.Float64s()
	}
	return out
}

// variable returns a variable of tp holding vals in dtype dt.
func variable(tp *ag.Tape, dt ag.DType, vals []float64, shape ...int) ag.Var {
	if dt == ag.Float32 {
		v32 := make([]float32, len(vals))
		for i, x := range vals {
			v32[i] = float32(x)
		}
		return tp.Variable32(v32, shape...)
	}
	return tp.Variable(vals, shape...)
}

func TestLayerNormMatchesTorch(t *testing.T) {
	for _, c := range loadTorchNorm(t).LayerNorm {
		dt, tol := ag.Float64, cmpopts.EquateApprox(0, 1e-12) // float64: a few roundings of 2⁻⁵³
		if c.DType == "float32" {
			dt, tol = ag.Float32, cmpopts.EquateApprox(1e-5, 1e-5) // float32: a few roundings of 2⁻²⁴ on values of order 1
		}
		l := NewLayerNorm(c.NormShape, WithDType(dt))
		copyInto(l.Weight, c.Weight)
		copyInto(l.Bias, c.Bias)
		tp := ag.NewTape()
		x := variable(tp, dt, c.X, c.Shape...)
		y := l.Forward(x)
		if got := y.Float64s(); !cmp.Equal(got, c.Y, tol) {
			t.Errorf("%s: y = %v, want torch's %v", c.Name, got, c.Y)
		}
		g := gradsOf(t, y, c.R, x, l.Weight, l.Bias)
		for i, want := range [][]float64{c.GradX, c.GradWeight, c.GradBias} {
			if !cmp.Equal(g[i], want, tol) {
				t.Errorf("%s: gradient %d (x, weight, bias) = %v, want torch's %v", c.Name, i, g[i], want)
			}
		}
	}
}

func TestRMSNormMatchesTorch(t *testing.T) {
	tol := cmpopts.EquateApprox(0, 1e-12) // float64: a few roundings of 2⁻⁵³
	for _, c := range loadTorchNorm(t).RMSNorm {
		l := NewRMSNorm(c.NormShape)
		l.Eps = c.Eps
		copyInto(l.Weight, c.Weight)
		tp := ag.NewTape()
		x := tp.Variable(c.X, c.Shape...)
		y := l.Forward(x)
		if got := y.Float64s(); !cmp.Equal(got, c.Y, tol) {
			t.Errorf("%s: y = %v, want torch's %v", c.Name, got, c.Y)
		}
		g := gradsOf(t, y, c.R, x, l.Weight)
		for i, want := range [][]float64{c.GradX, c.GradWeight} {
			if !cmp.Equal(g[i], want, tol) {
				t.Errorf("%s: gradient %d (x, weight) = %v, want torch's %v", c.Name, i, g[i], want)
			}
		}
	}
}

// TestNormCheckGrad checks the gradients of LayerNorm and RMSNorm with respect to the input and
// the parameters by finite differences, at orders 1 and 2.
func TestNormCheckGrad(t *testing.T) {
	x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7, 1.5, 0.2, -0.4, 0.9, -1.3, 0.6}, 2, 2, 3)
	w := ag.NewParam([]float64{0.7, -1.2, 1.1, 0.4, 0.9, -0.5}, 2, 3)
	b := ag.NewParam([]float64{0.1, 0.2, -0.3, 0.4, -0.5, 0.6}, 2, 3)
	cases := []struct {
		name   string
		f      func(xs ...ag.Var) ag.Var
		inputs []ag.Var
	}{
		{"LayerNorm last axis", func(xs ...ag.Var) ag.Var {
			l := &LayerNorm{Weight: xs[1], Bias: xs[2], Shape: []int{3}, Eps: 1e-5}
			return ops.Tanh(l.Forward(xs[0])) // non-linear, so that order 2 is not trivially 0
		}, []ag.Var{x, ag.NewParam(w.Float64s()[:3], 3), ag.NewParam(b.Float64s()[:3], 3)}},
		{"LayerNorm two axes", func(xs ...ag.Var) ag.Var {
			l := &LayerNorm{Weight: xs[1], Bias: xs[2], Shape: []int{2, 3}, Eps: 1e-5}
			return ops.Tanh(l.Forward(xs[0]))
		}, []ag.Var{x, w, b}},
		{"RMSNorm", func(xs ...ag.Var) ag.Var {
			l := &RMSNorm{Weight: xs[1], Shape: []int{2, 3}, Eps: 1e-6}
			return ops.Tanh(l.Forward(xs[0]))
		}, []ag.Var{x, w}},
	}
	for _, c := range cases {
		for _, order := range []int{1, 2} {
			if err := ag.CheckGrad(c.f, c.inputs, ag.Order(order)); err != nil {
				t.Errorf("%s, order %d: %v", c.name, order, err)
			}
		}
	}
}

func TestNormDefaults(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		ln := NewLayerNorm([]int{2, 3}, WithDType(dt))
		rn := NewRMSNorm([]int{4}, WithDType(dt))
		checks := []struct {
			name      string
			v         ag.Var
			want      float64
			wantShape []int
		}{
			{"LayerNorm weight", ln.Weight, 1, []int{2, 3}},
			{"LayerNorm bias", ln.Bias, 0, []int{2, 3}},
			{"RMSNorm weight", rn.Weight, 1, []int{4}},
		}
		for _, c := range checks {
			if c.v.DType() != dt || !cmp.Equal(c.v.Shape(), c.wantShape) {
				t.Errorf("%v %s: %v of shape %v, want %v of shape %v", dt, c.name, c.v.DType(), c.v.Shape(), dt, c.wantShape)
			}
			for _, v := range c.v.Float64s() {
				if v != c.want {
					t.Errorf("%v %s: holds %v, want all %v", dt, c.name, c.v.Float64s(), c.want)
					break
				}
			}
		}
		if ln.Eps != 1e-5 || rn.Eps != 0 {
			t.Errorf("%v: eps %g and %g, want torch's 1e-5 for LayerNorm and 0 (machine epsilon) for RMSNorm", dt, ln.Eps, rn.Eps)
		}
		if got := names(ln); !cmp.Equal(got, []string{"weight", "bias"}) {
			t.Errorf("LayerNorm parameters %v, want [weight bias]", got)
		}
	}
}

// TestRMSNormDefaultEps checks that Eps 0 means the machine epsilon of the input's dtype: for an
// all-zero row, y = 0·(1/√ε)·w = 0 but ∂x = w/√ε, which shows ε.
func TestRMSNormDefaultEps(t *testing.T) {
	for _, c := range []struct {
		dt  ag.DType
		eps float64
	}{{ag.Float64, 0x1p-52}, {ag.Float32, 0x1p-23}} {
		l := NewRMSNorm([]int{2}, WithDType(c.dt))
		tp := ag.NewTape()
		x := variable(tp, c.dt, []float64{0, 0}, 1, 2)
		g := gradsOf(t, l.Forward(x), []float64{1, 0}, x)[0]
		want := 1 / math.Sqrt(c.eps)
		if !cmp.Equal(g[0], want, cmpopts.EquateApprox(1e-6, 0)) { // float32 rounds 1/√ε once
			t.Errorf("%v: ∂x₀ = %g, want 1/√%g = %g", c.dt, g[0], c.eps, want)
		}
	}
}

func TestNormMisuse(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Const(make([]float64, 24), 2, 3, 4)
	cases := []struct {
		name string
		fn   func()
		kind error
		want string
	}{
		{"LayerNorm wrong trailing axes", func() { NewLayerNorm([]int{3}).Forward(x) }, ag.ErrShape,
			"layers.LayerNorm: input of shape (2,3,4); its trailing axes must be the normalized shape (3)"},
		{"LayerNorm shape longer than input", func() { NewLayerNorm([]int{1, 2, 3, 4}).Forward(x) }, ag.ErrShape,
			"normalized shape (1,2,3,4)"},
		{"RMSNorm wrong trailing axes", func() { NewRMSNorm([]int{2, 4}).Forward(x) }, ag.ErrShape,
			"layers.RMSNorm: input of shape (2,3,4)"},
		{"LayerNorm dtype", func() { NewLayerNorm([]int{4}, WithDType(ag.Float32)).Forward(x) }, ag.ErrDType,
			"layers.LayerNorm: float64 input and float32 parameters"},
		{"RMSNorm negative eps", func() { l := NewRMSNorm([]int{4}); l.Eps = -1; l.Forward(x) }, ag.ErrValue,
			"layers.RMSNorm: Eps -1"},
		{"LayerNorm negative eps", func() { l := NewLayerNorm([]int{4}); l.Eps = -1; l.Forward(x) }, ag.ErrValue,
			"layers.LayerNorm: Eps -1"},
		{"LayerNorm NaN eps", func() { l := NewLayerNorm([]int{4}); l.Eps = math.NaN(); l.Forward(x) }, ag.ErrValue,
			"layers.LayerNorm: Eps NaN"},
		{"empty shape", func() { NewLayerNorm(nil) }, ErrSize, "layers.NewLayerNorm: empty normalized shape"},
		{"zero size", func() { NewRMSNorm([]int{3, 0}) }, ErrSize, "layers.NewRMSNorm: normalized shape (3,0): size 0 of axis 1"},
		{"nil layer", func() { var l *LayerNorm; l.Forward(x) }, ag.ErrValue, "nil *LayerNorm"},
	}
	for _, c := range cases {
		err := ag.Maybe(c.fn)
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error wrapping %v containing %q", c.name, err, c.kind, c.want)
		}
	}
}
