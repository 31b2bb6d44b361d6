package ops

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// TestMatMulPackedTIsMatMulT checks MatMulPackedT against MatMulT(x, w, false, true) in both
// dtypes, on shapes small enough for the direct and plain-loop paths and as large as an LSTM
// step's (32×256 by 1024×256ᵀ, split across the cores), and that the result is MatMul's own
// primitive, so that it shares its derivative rules.
func TestMatMulPackedTIsMatMulT(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float32, ag.Float64} {
		for _, s := range []struct{ m, k, n int }{{1, 1, 1}, {3, 5, 7}, {9, 70, 49}, {32, 256, 1024}, {32, 300, 97}} {
			name := fmt.Sprintf("%v x(%d,%d) w(%d,%d)", dt, s.m, s.k, s.n, s.k)
			tp := ag.NewTape()
			ox, ow := gen(signed, 60, s.m, s.k), gen(shifted, 61, s.n, s.k)
			x, w := tp.Variable(ox.data, s.m, s.k), tp.Variable(ow.data, s.n, s.k)
			if dt == ag.Float32 {
				x, w = Cast(x, dt), Cast(w, dt)
			}
			got := MatMulPackedT(x, PackT(tp, w))
			want := MatMulT(x, w, false, true)
			if got.Op() != want.Op() {
				t.Errorf("%s: op %q, want MatMulT's %q", name, got.Op(), want.Op())
			}
			// Sums of up to 300 products of magnitude ≤ 2.25 in another order (the direct
			// kernels sum otherwise): float32 rounding is about 300·2⁻²⁴ relative.
			// An absolute tolerance for the entries that cancel: in float32, sums of up to 1024
			// such terms in another order (the purego build's gonum kernels) differed by
			// 2·10⁻⁶ at most.
			tol, atol := 1e-12, 1e-12
			if dt == ag.Float32 {
				tol, atol = 5e-5, 1e-4
			}
			if d := cmp.Diff(want.Float64s(), got.Float64s(), cmpopts.EquateApprox(tol, atol)); d != "" {
				t.Errorf("%s: MatMulPackedT differs from MatMulT (-want +got):\n%s", name, d)
			}
			if got.Aux() == nil {
				t.Errorf("%s: the product holds no packed w for its rule", name)
			}
			// The gradients, x's read through w packed (packedGradA), against MatMulT's, for the
			// loss Σ tanh(y); the tolerances as above.
			gg, err := ag.Grad([]ag.Var{Sum(Tanh(got))}, []ag.Var{x, w})
			if err != nil {
				t.Fatalf("%s: Grad through MatMulPackedT: %v", name, err)
			}
			gw, err := ag.Grad([]ag.Var{Sum(Tanh(want))}, []ag.Var{x, w})
			if err != nil {
				t.Fatalf("%s: Grad through MatMulT: %v", name, err)
			}
			for i, what := range []string{"x", "w"} {
				if d := cmp.Diff(gw[i].Float64s(), gg[i].Float64s(), cmpopts.EquateApprox(tol, atol)); d != "" {
					t.Errorf("%s: gradient of %s through MatMulPackedT differs from MatMulT's (-want +got):\n%s", name, what, d)
				}
			}
		}
	}
}

// TestMatMulPackedTFallsBack checks that without a tape, nothing is packed and the product is
// still x·wᵀ, and that bad shapes panic as MatMulT's do.
func TestMatMulPackedTFallsBack(t *testing.T) {
	x := ag.Const([]float64{1, 2, 3, 4}, 2, 2)
	w := ag.Const([]float64{1, 0, 0, 2, 1, 1}, 3, 2)
	got := MatMulPackedT(x, PackT(nil, w)).Float64s()
	want := []float64{1, 4, 3, 3, 8, 7}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MatMulPackedT(x, PackT(nil, w)) (-want +got):\n%s", d)
	}
	tp := ag.NewTape()
	defer func() {
		if _, ok := recover().(*ag.Error); !ok {
			t.Errorf("MatMulPackedT of (2,2) by a packed (3,3): want an *autograd.Error panic")
		}
	}()
	MatMulPackedT(tp.Variable([]float64{1, 2, 3, 4}, 2, 2), PackT(tp, tp.Variable(make([]float64, 9), 3, 3)))
}

// TestMatMulPackedTGradCheck checks the derivatives of a product through a packed weight, at
// orders 1 and 2, under a Tanh so that order 2 sees a nonlinear function of it.
func TestMatMulPackedTGradCheck(t *testing.T) {
	tp := ag.NewTape()
	ox, ow := gen(signed, 62, 3, 4), gen(shifted, 63, 5, 4)
	packed := 0 // calls of f that went through a packed copy
	f := func(xs ...ag.Var) ag.Var {
		p := PackT(TapeOf(xs[0]), xs[1])
		if !p.packed.IsNil() {
			packed++
		}
		return Tanh(MatMulPackedT(xs[0], p))
	}
	in := []ag.Var{tp.Variable(ox.data, 3, 4), tp.Variable(ow.data, 5, 4)}
	if err := ag.CheckGrad(f, in, ag.Order(2)); err != nil {
		t.Errorf("CheckGrad(tanh(x·wᵀ) through PackT, Order(2)) = %v, want nil", err)
	}
	if packed == 0 {
		t.Errorf("CheckGrad never evaluated the product through a packed copy")
	}
}
