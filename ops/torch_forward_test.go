package ops_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchValue is a tensor of testdata/torch_forward.json.
type torchValue struct {
	Shape []int
	Data  []float64
}

// torchForwardCase is one case of testdata/torch_forward.json, written by torch_forward.py.
type torchForwardCase struct {
	Name       string
	Kind       string // jvp, hvp, hessian or jacobian
	Inputs     []torchValue
	Consts     []torchValue
	Tangents   []torchValue
	Out        *torchValue
	OutTangent *torchValue `json:"out_tangent"`
}

// torchForwardFuncs are the functions of torch_forward.py, written with ops; cs are the case's
// constants.
var torchForwardFuncs = map[string]func(cs []ag.Var, xs ...ag.Var) ag.Var{
	"mlp": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		x, w1, b1, w2, b2 := xs[0], xs[1], xs[2], xs[3], xs[4]
		return ops.Tanh(ops.Add(ops.MatMul(ops.Sigmoid(ops.Add(ops.MatMul(x, w1), b1)), w2), b2))
	},
	"elementwise": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		a, b := xs[0], xs[1]
		y := ops.Softplus(ops.Mul(a, b))
		y = ops.Add(y, ops.Div(ops.Exp(ops.Neg(a)), b))
		y = ops.Add(y, ops.Mul(ops.Log(b), ops.Erf(a)))
		y = ops.Add(y, ops.Pow(b, a))
		y = ops.Add(y, ops.Add(ops.Abs(a), ops.ReLU(a)))
		return ops.Add(y, ops.PowConst(a, 3))
	},
	"reductions": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		a := xs[0]
		s := ops.Cumsum(ops.Softmax(a, 1), 1)
		return ops.Add(ops.Mul(s, ops.MaxKeepDims(a, 1)), ops.LogSumExp(a, 0))
	},
	"conv_pool": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		y := ops.Conv2d(xs[0], xs[1], xs[2], [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}, 1)
		return ops.MaxPool2d(ops.ReLU(y), [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0}, [2]int{1, 1})
	},
	"grouped_conv": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		return ops.Conv2d(xs[0], xs[1], ag.Var{}, [2]int{2, 2}, [2]int{1, 1}, [2]int{1, 1}, 2)
	},
	"indexing": func(_ []ag.Var, xs ...ag.Var) ag.Var {
		p := ops.IndexSelect(xs[0], 0, ops.NewIndex([]int{2, 0, 3, 2}))
		return ops.Transpose(ops.Where(ops.Greater(p, ops.ScalarLike(p, 0)), p, ops.MulScalar(p, 0.5)), 1, 0)
	},
	"logistic": func(cs []ag.Var, xs ...ag.Var) ag.Var {
		w, X, t := xs[0], cs[0], cs[1]
		z := ops.MatMul(X, w)
		loss := ops.Sum(ops.Sub(ops.Softplus(z), ops.Mul(t, z)))
		return ops.Add(loss, ops.MulScalar(ops.Sum(ops.PowConst(w, 4)), 0.1))
	},
	"xor_net": func(_ []ag.Var, xs ...ag.Var) ag.Var { return xorNet(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5]) },
	"xor_net_w1": func(cs []ag.Var, xs ...ag.Var) ag.Var {
		return xorNet(cs[0], xs[0], cs[1], cs[2], cs[3], cs[4])
	},
	"wide": func(cs []ag.Var, xs ...ag.Var) ag.Var {
		x, A := xs[0], cs[0]
		return ops.Concat(0, ops.Tanh(ops.MatMul(A, x)), ops.Mul(x, x), ops.Exp(ops.MulScalar(x, 0.5)))
	},
}

// xorNet is torch_forward.py's xor_net: two layers as ops.Affine (torch.addmm), the loss
// ops.SumSquaredDiff with c = 1/n (F.mse_loss).
func xorNet(x, w1, b1, w2, b2, t ag.Var) ag.Var {
	y := ops.Sigmoid(ops.Affine(ops.Sigmoid(ops.Affine(x, w1, b1)), w2, b2))
	return ops.SumSquaredDiff(y, t, 1/float64(t.Len()))
}

// TestForwardModeMatchesTorch compares JVP, HVP, Hessian and JacFwd with PyTorch 1.13's forward
// mode (dual numbers), hvp, hessian and forward-mode jacobian on the fixed cases of
// testdata/torch_forward.json.
func TestForwardModeMatchesTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_forward.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []torchForwardCase }
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < len(torchForwardFuncs) {
		t.Fatalf("%d cases, want one or more for each of the %d functions", len(file.Cases), len(torchForwardFuncs))
	}
	// Both sides compute in float64 with the same formulas in different orders (and PyTorch's own
	// kernels for exp, erf, tanh): agreement to about 1e-12 relative; 1e-10 leaves room for the
	// sums of the convolutions and products.
	approx := cmpopts.EquateApprox(1e-10, 1e-12)
	for _, c := range file.Cases {
		f, ok := torchForwardFuncs[c.Name]
		if !ok {
			t.Errorf("%s: no Go function for this case", c.Name)
			continue
		}
		tp := ag.NewTape()
		vars := func(vs []torchValue, mk func([]float64, ...int) ag.Var) []ag.Var {
			out := make([]ag.Var, len(vs))
			for i, v := range vs {
				out[i] = mk(v.Data, v.Shape...)
			}
			return out
		}
		xs, cs, ts := vars(c.Inputs, tp.Variable), vars(c.Consts, tp.Const), vars(c.Tangents, tp.Const)
		var got, want *torchValue
		switch c.Kind {
		case "jvp":
			y, dy, err := ag.JVP(func(xs ...ag.Var) ag.Var { return f(cs, xs...) }, xs, ts)
			if err != nil {
				t.Errorf("%s: JVP: %v", c.Name, err)
				continue
			}
			if diff := cmp.Diff(c.Out.Data, y.Float64s(), approx); diff != "" {
				t.Errorf("%s: value (-torch +gograd):\n%s", c.Name, diff)
			}
			got, want = &torchValue{dy.Shape(), dy.Float64s()}, c.OutTangent
		case "hvp":
			hv, err := ag.HVP(func(x ag.Var) ag.Var { return f(cs, x) }, xs[0], ts[0])
			if err != nil {
				t.Errorf("%s: HVP: %v", c.Name, err)
				continue
			}
			got, want = &torchValue{hv.Shape(), hv.Float64s()}, c.OutTangent
		case "hessian":
			h, err := ag.Hessian(func(x ag.Var) ag.Var { return f(cs, x) }, xs[0])
			if err != nil {
				t.Errorf("%s: Hessian: %v", c.Name, err)
				continue
			}
			got, want = &torchValue{h.Shape(), h.Float64s()}, c.Out
		case "jacobian":
			j, err := ag.JacFwd(func(x ag.Var) ag.Var { return f(cs, x) }, xs[0])
			if err != nil {
				t.Errorf("%s: JacFwd: %v", c.Name, err)
				continue
			}
			got, want = &torchValue{j.Shape(), j.Float64s()}, c.Out
		default:
			t.Errorf("%s: unknown kind %q", c.Name, c.Kind)
			continue
		}
		if diff := cmp.Diff(want.Shape, got.Shape); diff != "" {
			t.Errorf("%s %s: shape (-torch +gograd):\n%s", c.Name, c.Kind, diff)
		}
		if diff := cmp.Diff(want.Data, got.Data, approx); diff != "" {
			t.Errorf("%s %s: (-torch +gograd):\n%s", c.Name, c.Kind, diff)
		}
	}
}
