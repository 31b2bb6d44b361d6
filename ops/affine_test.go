package ops_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestAffineHand checks Affine and its gradients against values worked by hand, exact in both
// dtypes: x = [[1, 2], [3, 4]], W = [[1, 0, −1], [2, 1, 0]], b = (0.5, −1, 2), so x·W + b =
// [[5.5, 1, 1], [11.5, 3, −1]]; with the loss Σ y, ∂x = 1·Wᵀ = [[0, 3], [0, 3]], ∂W = xᵀ·1 =
// [[4, 4, 4], [6, 6, 6]], ∂b = (2, 2, 2).
func TestAffineHand(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		tp := ag.NewTape()
		x := matrixOf(tp, dt, []float64{1, 2, 3, 4}, 2, 2)
		w := matrixOf(tp, dt, []float64{1, 0, -1, 2, 1, 0}, 2, 3)
		b := vectorOf(tp, dt, []float64{0.5, -1, 2})
		y := ops.Affine(x, w, b)
		if d := cmp.Diff([]float64{5.5, 1, 1, 11.5, 3, -1}, y.Float64s()); d != "" || !cmp.Equal(y.Shape(), []int{2, 3}) {
			t.Errorf("%v: Affine shape %v (want (2,3)), values (-want +got):\n%s", dt, y.Shape(), d)
		}
		gs, err := ag.Grad([]ag.Var{ops.Sum(y)}, []ag.Var{x, w, b})
		if err != nil {
			t.Fatalf("%v: Grad: %v", dt, err)
		}
		for i, want := range [][]float64{{0, 3, 0, 3}, {4, 4, 4, 6, 6, 6}, {2, 2, 2}} {
			if d := cmp.Diff(want, gs[i].Float64s()); d != "" {
				t.Errorf("%v: gradient %d (-want +got):\n%s", dt, i, d)
			}
		}
	}
}

// TestAffineIsComposite checks the documented identity: Affine's value and gradients equal
// Add(MatMul(x, W), b)'s bit for bit, for a small layer (the product's direct path), the MLP
// benchmark's first layer (packed and split over the cores) and an empty batch, in both dtypes.
func TestAffineIsComposite(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range [][3]int{{4, 2, 4}, {5, 7, 3}, {64, 784, 256}, {0, 3, 2}} {
		m, k, n := s[0], s[1], s[2]
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			data := func(size int) []float64 {
				v := make([]float64, size)
				for i := range v {
					v[i] = rng.NormFloat64()
				}
				return v
			}
			xs, ws, bs, us := data(m*k), data(k*n), data(n), data(m*n)
			eval := func(f func(x, w, b ag.Var) ag.Var) [][]float64 {
				tp := ag.NewTape()
				x, w, b := matrixOf(tp, dt, xs, m, k), matrixOf(tp, dt, ws, k, n), vectorOf(tp, dt, bs)
				y := f(x, w, b)
				gs, err := ag.Grad([]ag.Var{y}, []ag.Var{x, w, b}, ag.Seed(matrixOf(tp, dt, us, m, n)))
				if err != nil {
					t.Fatalf("%v %v: Grad: %v", s, dt, err)
				}
				return [][]float64{y.Float64s(), gs[0].Float64s(), gs[1].Float64s(), gs[2].Float64s()}
			}
			got := eval(ops.Affine)
			want := eval(func(x, w, b ag.Var) ag.Var { return ops.Add(ops.MatMul(x, w), b) })
			for i, name := range []string{"value", "∂x", "∂W", "∂b"} {
				if d := cmp.Diff(want[i], got[i]); d != "" {
					t.Errorf("%v %v: %s differs from Add(MatMul(x, W), b)'s (-want +got):\n%s", s, dt, name, d)
				}
			}
		}
	}
}

// matrixOf returns a Variable of dtype dt and shape (r, c) holding xs.
func matrixOf(tp *ag.Tape, dt ag.DType, xs []float64, r, c int) ag.Var {
	return ops.Reshape(vectorOf(tp, dt, xs), r, c)
}

// TestAffineAnomaly checks that under anomaly detection Affine records the composite, so that
// an overflow is reported by the step that made it (ops.MatMul here), and the primitive
// otherwise.
func TestAffineAnomaly(t *testing.T) {
	for _, on := range []bool{false, true} {
		tp := ag.NewTape()
		tp.SetAnomalyDetection(on)
		x, w, b := tp.Variable([]float64{1e200, 1}, 1, 2), tp.Const([]float64{1e200, 0}, 2, 1), tp.Const([]float64{1}, 1)
		var y ag.Var
		err := ag.Maybe(func() { y = ops.Affine(x, w, b) })
		if on {
			const want = "autograd: anomaly: forward pass: ops.MatMul produced +Inf at element 0"
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("detection on: err = %v, want a report starting %q", err, want)
			}
			continue
		}
		if err != nil || y.Op() != "ops.Affine" || !math.IsInf(y.Float64s()[0], 1) {
			t.Errorf("detection off: err = %v, op %q, value %v; want nil, ops.Affine, +Inf", err, y.Op(), y.Float64s())
		}
	}
}
