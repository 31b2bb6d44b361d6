package ops_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/ops"
)

// TestSoftmaxCrossEntropyIsComposite checks the documented identity: with finite logits, the
// value and both gradients of SoftmaxCrossEntropy equal those of −c·Σ t·LogSoftmax(x), with
// one-hot and soft targets, rows short and long, in both dtypes.
func TestSoftmaxCrossEntropyIsComposite(t *testing.T) {
	composite := func(x, tg ag.Var, c float64) ag.Var {
		return ops.MulScalar(ops.Sum(ops.Neg(ops.Mul(tg, ops.LogSoftmax(x, -1)))), c)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	// 40×1000 is split over the cores by rows (more than 2·parallel.Grain elements).
	for _, s := range [][2]int{{64, 10}, {3, 1}, {5, 300}, {2, 7}, {40, 1000}} {
		for _, soft := range []bool{false, true} {
			for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
				rows, n := s[0], s[1]
				xs, ts := make([]float64, rows*n), make([]float64, rows*n)
				for i := range xs {
					xs[i] = 3 * rng.NormFloat64()
					if soft {
						ts[i] = rng.Float64()
					}
				}
				if !soft {
					for r := range rows {
						ts[r*n+rng.IntN(n)] = 1
					}
				}
				c := 1 / float64(rows)
				eval := func(f func(x, tg ag.Var, c float64) ag.Var) []float64 {
					tp := ag.NewTape()
					x, tg := tp.Variable(xs, rows, n), tp.Variable(ts, rows, n)
					if dt == ag.Float32 {
						x, tg = ops.Cast(x, dt), ops.Cast(tg, dt)
					}
					out := f(x, tg, c)
					gs, err := ag.Grad([]ag.Var{out}, []ag.Var{x, tg})
					if err != nil {
						t.Fatalf("Grad: %v", err)
					}
					return append(append(out.Float64s(), gs[0].Float64s()...), gs[1].Float64s()...)
				}
				name := fmt.Sprintf("%dx%d soft=%v %v", rows, n, soft, dt)
				got, want := eval(ops.SoftmaxCrossEntropy), eval(composite)
				// The primitive sums in float64 and takes log Σ e^z once per row where the
				// composite sums in the dtype and subtracts log Σ from every z: a few units in the
				// last place of the dtype apart (float32's 6e-8, float64's 1.1e-16), plus an
				// absolute floor for gradients that cancel to near 0.
				rel, abs := 1e-12, 1e-14
				if dt == ag.Float32 {
					rel, abs = 2e-5, 1e-7
				}
				if d := cmp.Diff(want, got, cmpopts.EquateApprox(rel, abs)); d != "" {
					t.Errorf("%s: loss, ∂x, ∂t differ from the composite's (-want +got):\n%s", name, d)
				}
			}
		}
	}
}

// TestSoftmaxCrossEntropyAnomaly checks that under anomaly detection SoftmaxCrossEntropy records
// the composite, so that a report names the step at fault, and the primitive otherwise.
func TestSoftmaxCrossEntropyAnomaly(t *testing.T) {
	for _, on := range []bool{false, true} {
		tp := ag.NewTape()
		tp.SetAnomalyDetection(on)
		x := tp.Variable([]float64{0, 1, 2, 3}, 2, 2)
		l := ops.SoftmaxCrossEntropy(x, tp.Const([]float64{1, 0, 0, 1}, 2, 2), 0.5)
		want := "ops.SoftmaxCrossEntropy"
		if on {
			want = "ops.MulScalar"
		}
		if l.Op() != want {
			t.Errorf("detection %v: loss recorded by %q, want %q", on, l.Op(), want)
		}
	}
}

// TestSoftmaxCrossEntropySplitBits checks that a loss large enough to be split over the cores by
// rows has the bits, value and gradient, it has on one core (the pool reserved).
func TestSoftmaxCrossEntropySplitBits(t *testing.T) {
	const rows, n = 64, 1000
	rng := rand.New(rand.NewPCG(5, 6))
	xs, ts := make([]float64, rows*n), make([]float64, rows*n)
	for i := range xs {
		xs[i], ts[i] = 3*rng.NormFloat64(), rng.Float64()
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		eval := func() []float64 {
			tp := ag.NewTape()
			x, tg := tp.Variable(xs, rows, n), tp.Const(ts, rows, n)
			if dt == ag.Float32 {
				x, tg = ops.Cast(x, dt), ops.Cast(tg, dt)
			}
			l := ops.SoftmaxCrossEntropy(x, tg, 1.0/rows)
			gs, err := ag.Grad([]ag.Var{l}, []ag.Var{x})
			if err != nil {
				t.Fatalf("Grad: %v", err)
			}
			return append(l.Float64s(), gs[0].Float64s()...)
		}
		split := eval()
		if !parallel.Reserve() {
			t.Fatal("the pool is held by another goroutine")
		}
		alone := eval()
		parallel.Release()
		if d := cmp.Diff(alone, split); d != "" {
			t.Errorf("%v: split over the cores, loss and gradient differ from one core's (-alone +split):\n%s", dt, d)
		}
	}
}
