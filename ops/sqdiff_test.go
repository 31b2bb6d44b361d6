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

// TestSumSquaredDiffHand checks SumSquaredDiff and its gradients against values worked by hand:
// a − b = (1, −2, 2), Σ (a − b)² = 9, ∂a = 2c·(a − b), ∂b = −∂a. Every value is exact in both
// dtypes (c is a power of two), so the comparison is exact.
func TestSumSquaredDiffHand(t *testing.T) {
	for _, c := range []struct {
		name  string
		scale float64
		want  float64
		da    []float64
	}{
		{"sum", 1, 9, []float64{2, -4, 4}},
		{"half", 0.5, 4.5, []float64{1, -2, 2}},
		{"quarter", 0.25, 2.25, []float64{0.5, -1, 1}},
	} {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			a, b := vectorOf(tp, dt, []float64{1, 2, 3}), vectorOf(tp, dt, []float64{0, 4, 1})
			l := ops.SumSquaredDiff(a, b, c.scale)
			if got := l.Float64s(); len(got) != 1 || got[0] != c.want || len(l.Shape()) != 0 {
				t.Errorf("%s %v: SumSquaredDiff = %v (shape %v), want [%v] (shape ())", c.name, dt, got, l.Shape(), c.want)
			}
			gs, err := ag.Grad([]ag.Var{l}, []ag.Var{a, b})
			if err != nil {
				t.Fatalf("%s %v: Grad: %v", c.name, dt, err)
			}
			db := make([]float64, len(c.da))
			for i, v := range c.da {
				db[i] = -v
			}
			if d := cmp.Diff(c.da, gs[0].Float64s()); d != "" {
				t.Errorf("%s %v: ∂a (-want +got):\n%s", c.name, dt, d)
			}
			if d := cmp.Diff(db, gs[1].Float64s()); d != "" {
				t.Errorf("%s %v: ∂b (-want +got):\n%s", c.name, dt, d)
			}
		}
	}
}

// vectorOf returns a Variable vector of dtype dt holding xs.
func vectorOf(tp *ag.Tape, dt ag.DType, xs []float64) ag.Var {
	if dt == ag.Float32 {
		x32 := make([]float32, len(xs))
		for i, x := range xs {
			x32[i] = float32(x)
		}
		return tp.Variable32(x32, len(xs))
	}
	return tp.Variable(xs, len(xs))
}

// TestSumSquaredDiffIsComposite checks the documented identity: the value and both gradients
// equal those of MulScalar(Sum(Square(Sub(a, b))), c) bit for bit, for sizes within one sum
// block, across blocks and across the cores (reduceAll's parallel sums), in both dtypes.
func TestSumSquaredDiffIsComposite(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 4, 63, 64, 65, 1000, 300000} {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			xs, ys := make([]float64, n), make([]float64, n)
			for i := range xs {
				xs[i], ys[i] = rng.NormFloat64(), rng.NormFloat64()
			}
			c := 1 / float64(n)
			eval := func(f func(a, b ag.Var) ag.Var) (l float64, da, db []float64) {
				tp := ag.NewTape()
				a, b := vectorOf(tp, dt, xs), vectorOf(tp, dt, ys)
				out := f(a, b)
				gs, err := ag.Grad([]ag.Var{out}, []ag.Var{a, b})
				if err != nil {
					t.Fatalf("n=%d %v: Grad: %v", n, dt, err)
				}
				return out.Float64s()[0], gs[0].Float64s(), gs[1].Float64s()
			}
			gl, gda, gdb := eval(func(a, b ag.Var) ag.Var { return ops.SumSquaredDiff(a, b, c) })
			wl, wda, wdb := eval(func(a, b ag.Var) ag.Var { return ops.MulScalar(ops.Sum(ops.Square(ops.Sub(a, b))), c) })
			if gl != wl {
				t.Errorf("n=%d %v: SumSquaredDiff = %v, composite %v", n, dt, gl, wl)
			}
			if d := cmp.Diff(wda, gda); d != "" {
				t.Errorf("n=%d %v: ∂a differs from the composite's (-want +got):\n%s", n, dt, d)
			}
			if d := cmp.Diff(wdb, gdb); d != "" {
				t.Errorf("n=%d %v: ∂b differs from the composite's (-want +got):\n%s", n, dt, d)
			}
		}
	}
}

// TestSumSquaredDiffAnomaly checks that under anomaly detection SumSquaredDiff records the
// composite, so that an overflow is reported by the step that made it (ops.PowConst), and the
// primitive otherwise.
func TestSumSquaredDiffAnomaly(t *testing.T) {
	for _, on := range []bool{false, true} {
		tp := ag.NewTape()
		tp.SetAnomalyDetection(on)
		a := tp.Variable([]float64{1e200, 1})
		var l ag.Var
		err := ag.Maybe(func() { l = ops.SumSquaredDiff(a, tp.Const([]float64{0, 0}), 0.5) })
		if on {
			const want = "autograd: anomaly: forward pass: ops.PowConst produced +Inf at element 0"
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("detection on: err = %v, want a report starting %q", err, want)
			}
			continue
		}
		if err != nil || l.Op() != "ops.SumSquaredDiff" || !math.IsInf(l.Float64s()[0], 1) {
			t.Errorf("detection off: err = %v, op %q, value %v; want nil, ops.SumSquaredDiff, +Inf", err, l.Op(), l.Float64s())
		}
	}
}
