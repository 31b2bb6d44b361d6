package autograd_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestJVPClosedForms checks JVP against hand-derived tangents. All values are small integers or
// halves: every product and sum is exact.
func TestJVPClosedForms(t *testing.T) {
	cases := []struct {
		name     string
		f        func(xs ...ag.Var) ag.Var
		primals  [][]float64
		tangents [][]float64
		shapes   [][]int
		wantY    []float64
		wantDot  []float64
	}{
		{
			// y = x⊙x: ẏ = 2x⊙v.
			name:     "x²",
			f:        func(xs ...ag.Var) ag.Var { return ops.Mul(xs[0], xs[0]) },
			primals:  [][]float64{{1, -2, 3}},
			tangents: [][]float64{{1, 1, -2}},
			shapes:   [][]int{{3}},
			wantY:    []float64{1, 4, 9},
			wantDot:  []float64{2, -4, -12},
		},
		{
			// y = A·x: ẏ = Ȧ·x + A·ẋ.
			name:     "Ax",
			f:        func(xs ...ag.Var) ag.Var { return ops.MatMul(xs[0], xs[1]) },
			primals:  [][]float64{{1, 2, 3, 4}, {1, -1}},
			tangents: [][]float64{{1, 0, 0, 1}, {2, 1}},
			shapes:   [][]int{{2, 2}, {2, 1}},
			wantY:    []float64{1 - 2, 3 - 4},
			wantDot:  []float64{(1*1 + 0) + (1*2 + 2*1), (0 + 1*-1) + (3*2 + 4*1)},
		},
		{
			// y = a/b with b a broadcast scalar: ẏ = (ȧ − ḃ·y)/b.
			name:     "a/b",
			f:        func(xs ...ag.Var) ag.Var { return ops.Div(xs[0], xs[1]) },
			primals:  [][]float64{{2, 4}, {2}},
			tangents: [][]float64{{1, 1}, {1}},
			shapes:   [][]int{{2}, {}},
			wantY:    []float64{1, 2},
			wantDot:  []float64{(1 - 1) / 2.0, (1 - 2) / 2.0},
		},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		var xs, vs []ag.Var
		for i := range c.primals {
			xs = append(xs, tp.Const(c.primals[i], c.shapes[i]...)) // constants: forward mode needs no gradient
			vs = append(vs, tp.Const(c.tangents[i], c.shapes[i]...))
		}
		y, dy, err := ag.JVP(c.f, xs, vs)
		if err != nil {
			t.Errorf("%s: JVP: %v", c.name, err)
			continue
		}
		if diff := cmp.Diff(c.wantY, y.Float64s()); diff != "" {
			t.Errorf("%s: y (-want +got):\n%s", c.name, diff)
		}
		if diff := cmp.Diff(c.wantDot, dy.Float64s()); diff != "" {
			t.Errorf("%s: ẏ (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestJVPFloat32 checks forward mode in float32: ẏ = 2x⊙v for y = x⊙x, exact for these values.
func TestJVPFloat32(t *testing.T) {
	tp := ag.NewTape()
	x, v := tp.Const32([]float32{1, -2, 0.5}), tp.Const32([]float32{3, 1, -4})
	_, dy, err := ag.JVP(func(xs ...ag.Var) ag.Var { return ops.Mul(xs[0], xs[0]) }, []ag.Var{x}, []ag.Var{v})
	if err != nil {
		t.Fatal(err)
	}
	if dy.DType() != ag.Float32 {
		t.Errorf("tangent dtype %v, want float32", dy.DType())
	}
	if diff := cmp.Diff([]float32{6, -4, -4}, dy.Data32()); diff != "" {
		t.Errorf("ẏ (-want +got):\n%s", diff)
	}
}

// TestJacobianModesAgree checks JacFwd, JacRev and Jacobian against the closed form of
// f(x) = (x₀x₁, x₁², x₀ + x₂, 3x₂, x₀x₁x₂) at x = (1, 2, 3), and that Jacobian picks a mode
// that gives the same values for a wide function.
func TestJacobianModesAgree(t *testing.T) {
	f := func(x ag.Var) ag.Var {
		x0, x1, x2 := ops.Slice(x, 0, 0, 1), ops.Slice(x, 0, 1, 2), ops.Slice(x, 0, 2, 3)
		return ops.Concat(0, ops.Mul(x0, x1), ops.Square(x1), ops.Add(x0, x2), ops.MulScalar(x2, 3), ops.Mul(ops.Mul(x0, x1), x2))
	}
	want := []float64{
		2, 1, 0,
		0, 4, 0,
		1, 0, 1,
		0, 0, 3,
		6, 3, 2,
	}
	for name, jac := range map[string]func(func(ag.Var) ag.Var, ag.Var) (ag.Var, error){
		"JacFwd": ag.JacFwd, "JacRev": ag.JacRev, "Jacobian": ag.Jacobian,
	} {
		tp := ag.NewTape()
		j, err := jac(f, tp.Variable([]float64{1, 2, 3}))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := j.Shape(); !cmp.Equal(got, []int{5, 3}) {
			t.Errorf("%s: shape %v, want (5,3)", name, got)
		}
		if diff := cmp.Diff(want, j.Float64s()); diff != "" { // exact integer arithmetic
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

// TestHessianForwardMatchesReverse checks that forward-over-reverse (Hessian, HVP) and
// reverse-over-reverse (HessianRev, HVPRev) agree on a function with every kind of term.
func TestHessianForwardMatchesReverse(t *testing.T) {
	f := func(x ag.Var) ag.Var {
		a := ag.Const([]float64{0.5, -1, 2, 0.25, 1, -0.5}, 2, 3)
		z := ops.MatMul(a, ops.Reshape(x, 3, 1))
		return ops.Add(ops.Sum(ops.Softplus(z)), ops.Sum(ops.Mul(ops.Tanh(x), ops.Exp(ops.MulScalar(x, 0.5)))))
	}
	tp := ag.NewTape()
	x := tp.Variable([]float64{0.3, -0.7, 1.1})
	hf, err := ag.Hessian(f, x)
	if err != nil {
		t.Fatal(err)
	}
	hr, err := ag.HessianRev(f, x)
	if err != nil {
		t.Fatal(err)
	}
	// The two modes sum the same terms in different orders: a few ulps apart.
	approx := cmpopts.EquateApprox(0, 1e-13)
	if diff := cmp.Diff(hr.Float64s(), hf.Float64s(), approx); diff != "" {
		t.Errorf("Hessian by forward-over-reverse (-reverse +forward):\n%s", diff)
	}
	v := tp.Const([]float64{1, -2, 0.5})
	hvf, err := ag.HVP(f, x, v)
	if err != nil {
		t.Fatal(err)
	}
	hvr, err := ag.HVPRev(f, x, v)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hvr.Float64s(), hvf.Float64s(), approx); diff != "" {
		t.Errorf("HVP by forward-over-reverse (-reverse +forward):\n%s", diff)
	}
	// JVP of a function that calls Grad with CreateGraph is forward-over-reverse by hand.
	grad := func(xs ...ag.Var) ag.Var {
		g, err := ag.Grad([]ag.Var{f(xs[0])}, xs, ag.CreateGraph())
		if err != nil {
			panic(err)
		}
		return g[0]
	}
	_, hv, err := ag.JVP(grad, []ag.Var{x}, []ag.Var{v})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hvr.Float64s(), hv.Float64s(), approx); diff != "" {
		t.Errorf("JVP of ∇f (-HVPRev +JVP):\n%s", diff)
	}
}

// noJVPSquare is a user-defined x² with a reverse-mode rule and no forward-mode rule.
var noJVPSquare = &ag.Op{Name: "user.Square", Grads: []func(g, y ag.Var) ag.Var{
	func(g, y ag.Var) ag.Var { return ops.Mul(g, ops.MulScalar(y.Inputs()[0], 2)) },
}}

func userSquare(x ag.Var) ag.Var {
	out := ag.NewResult(noJVPSquare, ag.Float64, x.Shape(), x)
	for i, v := range x.Data64() {
		out.Data64()[i] = v * v
	}
	return out
}

// TestSecondOrderFallsBackToReverse checks that HVP and Hessian of a function with an operation
// that has no forward-mode rule fall back to reverse-over-reverse, and that forward mode itself
// reports the operation: f(x) = Σ x²·x has H = diag(6x).
func TestSecondOrderFallsBackToReverse(t *testing.T) {
	f := func(x ag.Var) ag.Var { return ops.Sum(ops.Mul(userSquare(x), x)) }
	tp := ag.NewTape()
	x := tp.Variable([]float64{1, -2})
	hv, err := ag.HVP(f, x, tp.Const([]float64{1, 1}))
	if err != nil {
		t.Fatalf("HVP: %v", err)
	}
	if diff := cmp.Diff([]float64{6, -12}, hv.Float64s()); diff != "" {
		t.Errorf("HVP (-want +got):\n%s", diff)
	}
	h, err := ag.Hessian(f, x)
	if err != nil {
		t.Fatalf("Hessian: %v", err)
	}
	if diff := cmp.Diff([]float64{6, 0, 0, -12}, h.Float64s()); diff != "" {
		t.Errorf("Hessian (-want +got):\n%s", diff)
	}
	_, _, err = ag.JVP(func(xs ...ag.Var) ag.Var { return f(xs[0]) }, []ag.Var{x}, []ag.Var{tp.Const([]float64{1, 1})})
	if !errors.Is(err, ag.ErrNoJVP) || !strings.Contains(err.Error(), "user.Square") {
		t.Errorf("JVP through user.Square: err = %v, want ErrNoJVP naming user.Square", err)
	}
	// Jacobian picks forward mode for a square Jacobian and falls back to reverse mode.
	j, err := ag.Jacobian(userSquare, x)
	if err != nil {
		t.Fatalf("Jacobian: %v", err)
	}
	if diff := cmp.Diff([]float64{2, 0, 0, -4}, j.Float64s()); diff != "" {
		t.Errorf("Jacobian of user.Square (-want +got):\n%s", diff)
	}
}

// TestVJPMatchesGrad checks VJP against Grad with the same seed.
func TestVJPMatchesGrad(t *testing.T) {
	f := func(xs ...ag.Var) ag.Var { return ops.Mul(ops.Tanh(xs[0]), xs[1]) }
	tp := ag.NewTape()
	a, b := tp.Variable([]float64{0.5, -1, 2}), tp.Variable([]float64{2})
	u := tp.Const([]float64{1, -2, 0.5})
	y, g, err := ag.VJP(f, []ag.Var{a, b}, u)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ag.Grad([]ag.Var{f(a, b)}, []ag.Var{a, b}, ag.Seed(u))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f(a, b).Float64s(), y.Float64s()); diff != "" {
		t.Errorf("VJP's value (-f +VJP):\n%s", diff)
	}
	for i := range g {
		if diff := cmp.Diff(want[i].Float64s(), g[i].Float64s()); diff != "" { // the same pass: identical
			t.Errorf("VJP input %d (-Grad +VJP):\n%s", i, diff)
		}
	}
}

// TestForwardErrors checks the typed errors of the forward-mode entry points.
func TestForwardErrors(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Variable([]float64{1, 2, 3})
	sq := func(xs ...ag.Var) ag.Var { return ops.Square(xs[0]) }
	cases := []struct {
		name string
		err  func() error
		kind error
		msg  string
	}{
		{"tangent of another shape", func() error {
			_, _, err := ag.JVP(sq, []ag.Var{x}, []ag.Var{tp.Const([]float64{1, 2}, 2, 1)})
			return err
		}, ag.ErrShape, "autograd.JVP: tangent 0 has shape (2,1); input 0 has shape (3)"},
		{"tangent of another dtype", func() error {
			_, _, err := ag.JVP(sq, []ag.Var{x}, []ag.Var{tp.Const32([]float32{1, 2, 3})})
			return err
		}, ag.ErrDType, "autograd.JVP: tangent 0 is float32; input 0 is float64"},
		{"missing tangent", func() error {
			_, _, err := ag.JVP(sq, []ag.Var{x}, nil)
			return err
		}, ag.ErrValue, "autograd.JVP: 1 inputs and 0 tangents; want one tangent per input"},
		{"f returns nothing", func() error {
			_, _, err := ag.JVP(func(xs ...ag.Var) ag.Var { return ag.Var{} }, []ag.Var{x}, []ag.Var{x})
			return err
		}, ag.ErrNilVar, "autograd.JVP: f returned the zero Var; want a value computed from its inputs"},
		{"f ignores its input", func() error {
			_, _, err := ag.JVP(func(xs ...ag.Var) ag.Var { return tp.Scalar(1) }, []ag.Var{x}, []ag.Var{x})
			return err
		}, ag.ErrUnused, "autograd.JVP: no output (first: () float64) depends on the inputs; pass AllowUnused to get zeros"},
		{"input listed twice", func() error {
			_, err := ag.Tangents([]ag.Var{ops.Mul(x, x)}, []ag.Var{x, x}, []ag.Var{x, x})
			return err
		}, ag.ErrValue, "autograd.Tangents: input 1 is input 0 again; pass each input once"},
		{"op without a forward rule", func() error {
			_, err := ag.JacFwd(userSquare, x)
			return err
		}, ag.ErrNoJVP, "autograd.JacFwd: operation user.Square (output (3) float64, 1 inputs) has no forward-mode rule (Op.JVP); give it one, or use reverse mode"},
		{"JacRev of a constant", func() error {
			_, err := ag.JacRev(func(v ag.Var) ag.Var { return ops.Square(v) }, tp.Const([]float64{1}))
			return err
		}, ag.ErrValue, "autograd.JacRev: x (1) does not need a gradient; reverse mode needs a parameter or a Tape.Variable"},
	}
	for _, c := range cases {
		err := c.err()
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.kind)
			continue
		}
		if err.Error() != c.msg {
			t.Errorf("%s: message\n%q, want\n%q", c.name, err.Error(), c.msg)
		}
	}
	// With AllowUnused, an output that does not depend on the inputs gets a zero tangent.
	_, dy, err := ag.JVP(func(xs ...ag.Var) ag.Var { return tp.Zeros(ag.Float64, 2) }, []ag.Var{x}, []ag.Var{x}, ag.AllowUnused())
	if err != nil || !cmp.Equal(dy.Float64s(), []float64{0, 0}) {
		t.Errorf("JVP of a constant with AllowUnused = %v, %v; want zeros, nil", dy, err)
	}
}

// wrongJVPSquare is x² with a right reverse rule and a wrong forward rule (ȧ·a, not 2ȧ·a);
// detachedJVPSquare has the right forward value, with a as a constant, which only
// reverse-over-forward (CheckJVP at order 2) catches.
var (
	wrongJVPSquare = &ag.Op{Name: "test.WrongJVPSquare",
		Grads: []func(g, y ag.Var) ag.Var{func(g, y ag.Var) ag.Var { return ops.Mul(g, ops.MulScalar(y.Inputs()[0], 2)) }},
		JVP:   func(y ag.Var, t []ag.Var) ag.Var { return ops.Mul(t[0], y.Inputs()[0]) }}
	detachedJVPSquare = &ag.Op{Name: "test.DetachedJVPSquare",
		Grads: []func(g, y ag.Var) ag.Var{func(g, y ag.Var) ag.Var { return ops.Mul(g, ops.MulScalar(y.Inputs()[0], 2)) }},
		JVP: func(y ag.Var, t []ag.Var) ag.Var {
			return ops.Mul(t[0], ops.MulScalar(ag.Detach(y.Inputs()[0]), 2))
		}}
)

func squareBy(op *ag.Op) func(xs ...ag.Var) ag.Var {
	return func(xs ...ag.Var) ag.Var {
		out := ag.NewResult(op, ag.Float64, xs[0].Shape(), xs[0])
		for i, v := range xs[0].Data64() {
			out.Data64()[i] = v * v
		}
		return ops.Sum(out)
	}
}

// TestCheckJVPCatchesWrongRules makes sure CheckJVP can fail, at the order where each defect
// shows.
func TestCheckJVPCatchesWrongRules(t *testing.T) {
	x := ag.Const([]float64{0.5, -1.5, 2}, 3)
	err := ag.CheckJVP(squareBy(wrongJVPSquare), []ag.Var{x})
	if !errors.Is(err, ag.ErrGradCheck) || !strings.Contains(err.Error(), "order 1") {
		t.Errorf("wrong forward rule: CheckJVP = %v, want an order 1 ErrGradCheck", err)
	}
	if err := ag.CheckJVP(squareBy(detachedJVPSquare), []ag.Var{x}); err != nil {
		t.Errorf("detached forward rule, order 1: CheckJVP = %v, want nil", err)
	}
	err = ag.CheckJVP(squareBy(detachedJVPSquare), []ag.Var{x}, ag.Order(2))
	if !errors.Is(err, ag.ErrGradCheck) || !strings.Contains(err.Error(), "reverse-over-forward") {
		t.Errorf("detached forward rule, order 2: CheckJVP = %v, want a reverse-over-forward ErrGradCheck", err)
	}
}
