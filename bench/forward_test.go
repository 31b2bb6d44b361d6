package bench

import (
	"fmt"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// The forward-mode figures of issue 18: the JVP of an MLP's forward pass against the forward
// pass alone, the Hessian-vector product of its loss by forward-over-reverse against
// reverse-over-reverse, and the Jacobian of a function with 4 inputs and 1000 outputs by forward
// against reverse mode.

// timed runs step b.N times after one warm-up call, and reports beside the wall time the CPU time
// per call (cpu-ns/op, on Unix systems; see cputime_unix_test.go), the steadier measure of work on a
// loaded machine: it counts the process's own cycles, not the time others' jobs take.
func timed(b *testing.B, step func()) {
	step()
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for range b.N {
		step()
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// mlpJVPSetup returns the 784-256-10 ReLU MLP of BenchmarkMLPStep (float64, batch 64), its
// forward pass on tp, an input, and tangents for the input and for the parameters.
func mlpJVPSetup() (params []ag.Var, forward func(x ag.Var, ps ...ag.Var) ag.Var, x, dx []float64, dps [][]float64) {
	const batch, in, hidden, classes = 64, 784, 256, 10
	l1, l2 := newDense(10, in, hidden, ag.Float64), newDense(11, hidden, classes, ag.Float64)
	params = []ag.Var{l1.w, l1.b, l2.w, l2.b}
	forward = func(x ag.Var, ps ...ag.Var) ag.Var {
		h := ops.ReLU(ops.Add(ops.MatMul(x, ps[0]), ps[1]))
		return ops.Add(ops.MatMul(h, ps[2]), ps[3])
	}
	x, dx = randSlice(12, batch*in, 0, 1), randSlice(14, batch*in, -1, 1)
	for i, p := range params {
		dps = append(dps, randSlice(uint64(20+i), p.Len(), -1, 1))
	}
	return params, forward, x, dx, dps
}

// BenchmarkMLPJVP: the forward pass of the 784-256-10 MLP alone ("forward"), and its value with
// the Jacobian-vector product along a direction of the input ("jvp-input", one extra product per
// layer) or of all the parameters ("jvp-params", two extra products per layer).
func BenchmarkMLPJVP(b *testing.B) {
	params, forward, xs, dxs, dps := mlpJVPSetup()
	const batch, in = 64, 784
	tp := ag.NewTape()
	run := timed
	b.Run("forward", func(b *testing.B) {
		run(b, func() {
			tp.Reset()
			forward(tp.Wrap(xs, batch, in), params...)
		})
	})
	b.Run("jvp-input", func(b *testing.B) {
		run(b, func() {
			tp.Reset()
			f := func(v ...ag.Var) ag.Var { return forward(v[0], params...) }
			if _, _, err := ag.JVP(f, []ag.Var{tp.Wrap(xs, batch, in)}, []ag.Var{tp.Wrap(dxs, batch, in)}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("jvp-params", func(b *testing.B) {
		run(b, func() {
			tp.Reset()
			x := tp.Wrap(xs, batch, in)
			ts := make([]ag.Var, len(params))
			for i, p := range params {
				ts[i] = tp.Wrap(dps[i], p.Shape()...)
			}
			f := func(ps ...ag.Var) ag.Var { return forward(x, ps...) }
			if _, _, err := ag.JVP(f, params, ts); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkMLPHVP: the Hessian-vector product of the MLP's softmax cross-entropy loss with
// respect to all its parameters, by forward-over-reverse (HVPs, the default) and by
// reverse-over-reverse (HVPsRev). Of the products of the first layer's size, reverse-over-reverse
// does four (x·W₁ forward, xᵀ·ḡ backward, and one of each again), forward-over-reverse three: it
// never computes the gradient of W₁ itself, only its tangent (see autograd.HVP).
func BenchmarkMLPHVP(b *testing.B) {
	params, forward, xs, _, dps := mlpJVPSetup()
	const batch, in, classes = 64, 784, 10
	labels := make([]int, batch)
	for i, u := range randSlice(13, batch, 0, classes) {
		labels[i] = int(u)
	}
	tp := ag.NewTape()
	for _, m := range []struct {
		name string
		hvp  func(f func(xs ...ag.Var) ag.Var, xs, vs []ag.Var, opts ...ag.Option) ([]ag.Var, error)
	}{{"fwd-over-rev", ag.HVPs}, {"rev-over-rev", ag.HVPsRev}} {
		b.Run(m.name, func(b *testing.B) {
			step := func() {
				tp.Reset()
				x := tp.Wrap(xs, batch, in)
				vs := make([]ag.Var, len(params))
				for i, p := range params {
					vs[i] = tp.Wrap(dps[i], p.Shape()...)
				}
				loss := func(ps ...ag.Var) ag.Var {
					l, err := losses.CrossEntropy(forward(x, ps...), labels)
					if err != nil {
						panic(err)
					}
					return l
				}
				if _, err := m.hvp(loss, params, vs); err != nil {
					b.Fatal(err)
				}
			}
			timed(b, step)
		})
	}
}

// BenchmarkJacobianWide: the 1000×4 Jacobian of f(x) = tanh(A·x) ⊙ σ(B·x), A and B 1000×4, by
// forward mode (4 sweeps) and by reverse mode (1000 passes).
func BenchmarkJacobianWide(b *testing.B) {
	const m, n = 1000, 4
	a, bm := ag.Const(randSlice(30, m*n, -1, 1), m, n), ag.Const(randSlice(31, m*n, -1, 1), m, n)
	f := func(x ag.Var) ag.Var { return ops.Mul(ops.Tanh(ops.MatMul(a, x)), ops.Sigmoid(ops.MatMul(bm, x))) }
	x0 := randSlice(32, n, -1, 1)
	tp := ag.NewTape()
	for _, mode := range []struct {
		name string
		jac  func(func(ag.Var) ag.Var, ag.Var) (ag.Var, error)
	}{{"fwd", ag.JacFwd}, {"rev", ag.JacRev}} {
		b.Run(mode.name, func(b *testing.B) {
			step := func() {
				tp.Reset()
				if _, err := mode.jac(f, tp.Variable(x0, n)); err != nil {
					b.Fatal(err)
				}
			}
			timed(b, step)
		})
	}
}

// TestJacobianWideModesAgree checks that the two modes of BenchmarkJacobianWide compute the same
// Jacobian, so that the benchmark compares equal work.
func TestJacobianWideModesAgree(t *testing.T) {
	const m, n = 1000, 4
	a, bm := ag.Const(randSlice(30, m*n, -1, 1), m, n), ag.Const(randSlice(31, m*n, -1, 1), m, n)
	f := func(x ag.Var) ag.Var { return ops.Mul(ops.Tanh(ops.MatMul(a, x)), ops.Sigmoid(ops.MatMul(bm, x))) }
	tp := ag.NewTape()
	x := tp.Variable(randSlice(32, n, -1, 1), n)
	jf, err := ag.JacFwd(f, x)
	if err != nil {
		t.Fatal(err)
	}
	jr, err := ag.JacRev(f, x)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range jr.Float64s() {
		// The same products summed in different orders: within a few ulps of values below 1.
		if got := jf.At(i); got-want > 1e-14 || want-got > 1e-14 {
			t.Fatalf("J[%d]: forward %v, reverse %v", i, got, want)
		}
	}
}

// BenchmarkRosenbrockHVP: the Hessian-vector product of the n-dimensional Rosenbrock function
// Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², elementwise operations only, by forward-over-reverse (HVP) and
// by reverse-over-reverse (HVPRev), for n = 10 (where the fixed cost per operation dominates)
// and n = 10000.
func BenchmarkRosenbrockHVP(b *testing.B) {
	for _, n := range []int{10, 10000} {
		f := func(x ag.Var) ag.Var {
			head, tail := ops.Slice(x, 0, 0, n-1), ops.Slice(x, 0, 1, n)
			d := ops.Sub(tail, ops.Square(head))
			return ops.Sum(ops.Add(ops.MulScalar(ops.Square(d), 100), ops.Square(ops.RSubScalar(1, head))))
		}
		x0, v0 := randSlice(40, n, -1, 1), randSlice(41, n, -1, 1)
		tp := ag.NewTape()
		for _, m := range []struct {
			name string
			hvp  func(f func(ag.Var) ag.Var, x, v ag.Var, opts ...ag.Option) (ag.Var, error)
		}{{"fwd-over-rev", ag.HVP}, {"rev-over-rev", ag.HVPRev}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, m.name), func(b *testing.B) {
				timed(b, func() {
					tp.Reset()
					if _, err := m.hvp(f, tp.Variable(x0, n), tp.Wrap(v0, n)); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// BenchmarkRosenbrockHessian: the whole Hessian of the Rosenbrock function by forward-over-reverse
// (Hessian: the recorded gradient swept forward once per column) and by reverse-over-reverse
// (HessianRev: one reverse pass per row), n = 10 and 100.
func BenchmarkRosenbrockHessian(b *testing.B) {
	for _, n := range []int{10, 100} {
		f := func(x ag.Var) ag.Var {
			head, tail := ops.Slice(x, 0, 0, n-1), ops.Slice(x, 0, 1, n)
			d := ops.Sub(tail, ops.Square(head))
			return ops.Sum(ops.Add(ops.MulScalar(ops.Square(d), 100), ops.Square(ops.RSubScalar(1, head))))
		}
		x0 := randSlice(40, n, -1, 1)
		tp := ag.NewTape()
		for _, m := range []struct {
			name string
			h    func(f func(ag.Var) ag.Var, x ag.Var) (ag.Var, error)
		}{{"fwd-over-rev", ag.Hessian}, {"rev-over-rev", ag.HessianRev}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, m.name), func(b *testing.B) {
				timed(b, func() {
					tp.Reset()
					if _, err := m.h(f, tp.Variable(x0, n)); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}
