package ops_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Second-order derivatives against closed forms.

// TestHessianCube checks ∇²Σx³ = diag(6x), for x³ written three ways.
func TestHessianCube(t *testing.T) {
	x0 := []float64{1, -2, 0.5, 3}
	cubes := []struct {
		name string
		f    func(x ag.Var) ag.Var
	}{
		{"PowConst", func(x ag.Var) ag.Var { return ops.PowConst(x, 3) }},
		{"Mul", func(x ag.Var) ag.Var { return ops.Mul(x, ops.Square(x)) }},
		{"Pow", func(x ag.Var) ag.Var { return ops.Pow(ops.Abs(x), ops.ScalarLike(x, 3)) }}, // |x|³: diag(6|x|)
	}
	for _, c := range cubes {
		tp := ag.NewTape()
		x := tp.Variable(x0)
		h, err := ag.Hessian(func(x ag.Var) ag.Var { return ops.Sum(c.f(x)) }, x)
		if err != nil {
			t.Fatalf("%s: Hessian: %v", c.name, err)
		}
		want := make([]float64, len(x0)*len(x0))
		for i, v := range x0 {
			if c.name == "Pow" {
				v = math.Abs(v)
			}
			want[i*len(x0)+i] = 6 * v
		}
		// PowConst and Mul only multiply small integers and halves: exact. Pow goes through
		// exp/log inside math.Pow (a^(b−1) and log a), which is accurate to a few ulps of values
		// up to 18: 1e-13 absolute.
		opt := cmpopts.EquateApprox(0, 1e-13)
		if diff := cmp.Diff(want, h.Data64(), opt); diff != "" {
			t.Errorf("%s: Hessian of Σx³ at %v (-want +got):\n%s", c.name, x0, diff)
		}
	}
}

// TestHVPQuadratic checks that the Hessian-vector product of f(x) = ½ xᵀAx, A symmetric, is A·v,
// and that the Hessian is A.
func TestHVPQuadratic(t *testing.T) {
	A := []float64{
		2, 1, 0,
		1, 3, -1,
		0, -1, 4,
	}
	x0 := []float64{0.5, -1, 2}
	v0 := []float64{1, -1, 2}
	f := func(x ag.Var) ag.Var {
		a := ops.TapeOf(x).Const(A, 3, 3)
		xc := ops.Reshape(x, 3, 1)
		return ops.MulScalar(ops.Sum(ops.Mul(xc, ops.MatMul(a, xc))), 0.5)
	}
	tp := ag.NewTape()
	x := tp.Variable(x0)
	hv, err := ag.HVP(f, x, tp.Const(v0))
	if err != nil {
		t.Fatalf("HVP: %v", err)
	}
	// A·v = (2−1, 1−3−2, 1+8) = (1, −4, 9). All values are small integers and halves: the
	// products and sums are exact, so the comparison is exact.
	if diff := cmp.Diff([]float64{1, -4, 9}, hv.Float64s()); diff != "" {
		t.Errorf("HVP of ½xᵀAx with v = %v (-want +got):\n%s", v0, diff)
	}
	h, err := ag.Hessian(f, x)
	if err != nil {
		t.Fatalf("Hessian: %v", err)
	}
	if diff := cmp.Diff(A, h.Data64()); diff != "" {
		t.Errorf("Hessian of ½xᵀAx (-want +got):\n%s", diff)
	}
}

// TestHessianLogistic checks the Hessian of the logistic loss L(w) = Σᵢ softplus(zᵢ) − yᵢzᵢ,
// z = Xw, against its closed form Xᵀ diag(σ(z)(1−σ(z))) X, for the loss written with Softplus
// and with Sigmoid and Log.
func TestHessianLogistic(t *testing.T) {
	X := []float64{
		1, 0.5, -1,
		0.2, -1.5, 2,
		-0.7, 1, 0.3,
		1.2, 0.1, 0.4,
	}
	y := []float64{1, 0, 1, 0}
	w0 := []float64{0.3, -0.2, 0.5}
	const n, d = 4, 3

	want := make([]float64, d*d)
	for i := 0; i < n; i++ {
		z := 0.0
		for j := 0; j < d; j++ {
			z += X[i*d+j] * w0[j]
		}
		p := 1 / (1 + math.Exp(-z))
		for j := 0; j < d; j++ {
			for k := 0; k < d; k++ {
				want[j*d+k] += p * (1 - p) * X[i*d+j] * X[i*d+k]
			}
		}
	}

	losses := []struct {
		name string
		f    func(z, y ag.Var) ag.Var
	}{
		{"Softplus", func(z, y ag.Var) ag.Var { return ops.Sub(ops.Softplus(z), ops.Mul(y, z)) }},
		// −y log σ(z) − (1−y) log(1−σ(z))
		{"Sigmoid", func(z, y ag.Var) ag.Var {
			p := ops.Sigmoid(z)
			return ops.Neg(ops.Add(ops.Mul(y, ops.Log(p)), ops.Mul(ops.RSubScalar(1, y), ops.Log(ops.RSubScalar(1, p)))))
		}},
	}
	for _, l := range losses {
		tp := ag.NewTape()
		w := tp.Variable(w0, 3, 1)
		h, err := ag.Hessian(func(w ag.Var) ag.Var {
			t := ops.TapeOf(w)
			z := ops.MatMul(t.Const(X, n, d), w)
			return ops.Sum(l.f(z, t.Const(y, n, 1)))
		}, w)
		if err != nil {
			t.Fatalf("%s: Hessian: %v", l.name, err)
		}
		// Both sides compute σ(z)(1−σ(z)) with a few roundings each, on values of order 1:
		// they agree to about 1e-16 relative per term; 1e-13 leaves room for sums of 4 terms
		// and for the Sigmoid form's 1/(1−σ) and 1/σ factors.
		if diff := cmp.Diff(want, h.Data64(), cmpopts.EquateApprox(1e-13, 1e-15)); diff != "" {
			t.Errorf("%s: Hessian of the logistic loss (-want +got):\n%s", l.name, diff)
		}
	}
}

// TestThirdOrder differentiates three times: d³/dx³ Σx⁴ = 24x, through Grad with
// CreateGraph twice and HVP.
func TestThirdOrder(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Variable([]float64{0.5, -2})
	y := ops.Sum(ops.PowConst(x, 4))
	g1, err := ag.Grad([]ag.Var{y}, []ag.Var{x}, ag.CreateGraph())
	if err != nil {
		t.Fatal(err)
	}
	g2, err := ag.Grad([]ag.Var{ops.Sum(g1[0])}, []ag.Var{x}, ag.CreateGraph())
	if err != nil {
		t.Fatal(err)
	}
	g3, err := ag.Grad([]ag.Var{ops.Sum(g2[0])}, []ag.Var{x})
	if err != nil {
		t.Fatal(err)
	}
	// 4x³, 12x², 24x of 0.5 and −2: exact.
	for _, c := range []struct {
		name string
		got  ag.Var
		want []float64
	}{
		{"first", g1[0], []float64{0.5, -32}},
		{"second", g2[0], []float64{3, 48}},
		{"third", g3[0], []float64{12, -48}},
	} {
		if diff := cmp.Diff(c.want, c.got.Float64s()); diff != "" {
			t.Errorf("%s derivative of Σx⁴ (-want +got):\n%s", c.name, diff)
		}
	}
}
