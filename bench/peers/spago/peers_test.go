// Peer benchmarks for github.com/nlpodyssey/spago v1.1.0.
//
// spago is define-by-run: every iteration builds the graph again by calling
// the ag operators, runs ag.Backward on the scalar loss, updates the
// parameters and clears their gradients (ZeroGrad). Notes:
//   - spago has no broadcasting; the batched bias is added inside ag.Affine
//     as an extra (w, x) pair: y = 0 + W@X + bcol@ones(1, batch), which gives
//     the correct bias gradient (row sums of dy) without a separate op.
//   - samples are columns (spago's W@x convention): X is in x batch.
//   - the optimizers package sometimes panics with a nil pointer (a param
//     whose gradient was never set), so SGD is done by hand.
//
// Workload definitions are shared with ../gorgonia, ../torch and the gograd
// suite in ../../ (see bench/README.md).
package spagopeer

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/losses"
	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/mat/float"
)

func randSlice[T float.DType](rng *rand.Rand, n int, lo, hi float64) []T {
	d := make([]T, n)
	for i := range d {
		d[i] = T(lo + (hi-lo)*rng.Float64())
	}
	return d
}

func randMatrix[T float.DType](rng *rand.Rand, lo, hi float64, rows, cols int, grad bool) *mat.Dense[T] {
	return mat.NewDense[T](mat.WithShape(rows, cols), mat.WithBacking(randSlice[T](rng, rows*cols, lo, hi)), mat.WithGrad(grad))
}

func randVector[T float.DType](rng *rand.Rand, lo, hi float64, n int, grad bool) *mat.Dense[T] {
	return mat.NewDense[T](mat.WithShape(n), mat.WithBacking(randSlice[T](rng, n, lo, hi)), mat.WithGrad(grad))
}

func constMatrix[T float.DType](v T, rows, cols int, grad bool) *mat.Dense[T] {
	return mat.NewDense[T](mat.WithShape(rows, cols), mat.WithBacking(mat.CreateInitializedSlice[T](rows*cols, v)), mat.WithGrad(grad))
}

// glorot returns an out x in weight matrix, uniform in +-sqrt(6/(in+out)).
func glorot[T float.DType](rng *rand.Rand, in, out int) *mat.Dense[T] {
	lim := math.Sqrt(6 / float64(in+out))
	return randMatrix[T](rng, -lim, lim, out, in, true)
}

// sgd does p -= lr * grad(p) and clears the gradient, by hand.
func sgd(lr float64, params ...mat.Matrix) {
	for _, p := range params {
		if g := p.Grad(); g != nil {
			p.SubInPlace(g.(mat.Matrix).ProdScalarInPlace(lr))
		}
		p.ZeroGrad()
	}
}

func zeroGrads(params ...mat.Matrix) {
	for _, p := range params {
		p.ZeroGrad()
	}
}

func mustBackward(b *testing.B, loss mat.Tensor) {
	if err := ag.Backward(loss); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScalarChain: 1000 scalar ops alternating x = x*a, x = x + b,
// forward + backward.
func BenchmarkScalarChain(b *testing.B) {
	const nodes = 1000
	a := mat.Scalar(0.999, mat.WithGrad(true))
	bb := mat.Scalar(0.001, mat.WithGrad(true))
	x0 := mat.Scalar(1.0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var x mat.Tensor = x0
		for j := 0; j < nodes/2; j++ {
			x = ag.Prod(x, a)
			x = ag.Add(x, bb)
		}
		mustBackward(b, x)
		zeroGrads(a, bb)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nodes, "ns/node")
}

func elementwise[T float.DType](b *testing.B, n int) {
	rng := rand.New(rand.NewSource(1))
	x := randVector[T](rng, -1, 1, n, false)
	w := randVector[T](rng, -1, 1, n, true)
	bias := randVector[T](rng, -1, 1, n, true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		loss := ag.ReduceSum(ag.Sigmoid(ag.Add(ag.Prod(x, w), bias)))
		mustBackward(b, loss)
		zeroGrads(w, bias)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

// BenchmarkElementwise: loss = sum(sigmoid(x*w + b)), forward + backward
// w.r.t. w and b.
func BenchmarkElementwise(b *testing.B) {
	for _, n := range []int{1000, 100000, 1000000} {
		b.Run(fmt.Sprintf("n=%d/f64", n), func(b *testing.B) { elementwise[float64](b, n) })
		b.Run(fmt.Sprintf("n=%d/f32", n), func(b *testing.B) { elementwise[float32](b, n) })
	}
}

var matSizes = []int{64, 256, 512, 1024}

func gflops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
}

func matmul[T float.DType](b *testing.B, n int, backward bool) {
	rng := rand.New(rand.NewSource(1))
	A := randMatrix[T](rng, -1, 1, n, n, backward)
	B := randMatrix[T](rng, -1, 1, n, n, backward)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := ag.Mul(A, B)
		if backward {
			// ReduceSum's gradient is a flat vector, which Mul's backward
			// rejects ("matrices with not compatible size"): Flatten first,
			// its backward reshapes the gradient to n x n.
			mustBackward(b, ag.ReduceSum(ag.Flatten(c)))
			zeroGrads(A, B)
		} else {
			_ = c.Value()
		}
	}
	b.StopTimer()
	flops := 2 * float64(n) * float64(n) * float64(n)
	if backward {
		flops *= 3
	}
	gflops(b, flops)
}

// BenchmarkMatMul: a single product C = A@B (2n^3 flops).
func BenchmarkMatMul(b *testing.B) {
	for _, n := range matSizes {
		b.Run(fmt.Sprintf("n=%d/f64", n), func(b *testing.B) { matmul[float64](b, n, false) })
		b.Run(fmt.Sprintf("n=%d/f32", n), func(b *testing.B) { matmul[float32](b, n, false) })
	}
}

// BenchmarkMatMulFwdBwd: C = A@B, loss = sum(C), forward + backward w.r.t.
// A and B (3 products, 6n^3 flops).
func BenchmarkMatMulFwdBwd(b *testing.B) {
	for _, n := range matSizes {
		b.Run(fmt.Sprintf("n=%d/f64", n), func(b *testing.B) { matmul[float64](b, n, true) })
		b.Run(fmt.Sprintf("n=%d/f32", n), func(b *testing.B) { matmul[float32](b, n, true) })
	}
}

// layer is a dense layer in spago's orientation: y = W@x + b.
type layer[T float.DType] struct {
	W, B *mat.Dense[T] // out x in, out x 1
}

func newLayer[T float.DType](rng *rand.Rand, in, out int) layer[T] {
	return layer[T]{W: glorot[T](rng, in, out), B: constMatrix[T](0, out, 1, true)}
}

// forward computes W@X + B@ones for a batch X (in x batch); zero is a
// constant out x batch zero matrix and ones a constant 1 x batch row.
func (l layer[T]) forward(x, zero, ones mat.Tensor) mat.Tensor {
	return ag.Affine(zero, l.W, x, l.B, ones)
}

type mlp[T float.DType] struct {
	l1, l2      layer[T]
	zero1, ones mat.Tensor
	zero2       mat.Tensor
}

func (m *mlp[T]) params() []mat.Matrix {
	return []mat.Matrix{m.l1.W, m.l1.B, m.l2.W, m.l2.B}
}

// newMLP builds the MLPStep workload; step runs one training step and
// returns its loss.
func newMLP[T float.DType]() (step func() (float64, error)) {
	const batch, in, hid, out = 64, 784, 256, 10
	rng := rand.New(rand.NewSource(42))
	X := randMatrix[T](rng, 0, 1, in, batch, false)
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rng.Intn(out)
	}
	m := &mlp[T]{
		l1:    newLayer[T](rng, in, hid),
		l2:    newLayer[T](rng, hid, out),
		zero1: constMatrix[T](0, hid, batch, false),
		zero2: constMatrix[T](0, out, batch, false),
		ones:  constMatrix[T](1, 1, batch, false),
	}
	params := m.params()
	return func() (float64, error) {
		h := ag.ReLU(m.l1.forward(X, m.zero1, m.ones))
		z := m.l2.forward(h, m.zero2, m.ones)
		loss := losses.CrossEntropySeq(ag.ColViews(z), labels, true)
		if err := ag.Backward(loss); err != nil {
			return 0, err
		}
		sgd(0.01, params...)
		return loss.Value().Item().F64(), nil
	}
}

func mlpStep[T float.DType](b *testing.B) {
	step := newMLP[T]()
	var lastLoss float64
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if lastLoss, err = step(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if math.IsNaN(lastLoss) || math.IsInf(lastLoss, 0) {
		b.Fatalf("loss is not finite: %v", lastLoss)
	}
}

// BenchmarkMLPStep: one SGD step of a 784-256-10 ReLU MLP with softmax
// cross-entropy on integer labels, batch 64, lr 0.01.
func BenchmarkMLPStep(b *testing.B) {
	b.Run("f64", mlpStep[float64])
	b.Run("f32", mlpStep[float32])
}

// BenchmarkXORStep: one SGD step (lr 0.5) of a 2-4-1 sigmoid MLP with MSE
// (mean of squared errors) over the 4 XOR rows.
func BenchmarkXORStep(b *testing.B) {
	b.Run("f64", func(b *testing.B) {
		rng := rand.New(rand.NewSource(42))
		// columns are the 4 samples (0,0) (0,1) (1,0) (1,1)
		X := mat.NewDense[float64](mat.WithShape(2, 4), mat.WithBacking([]float64{0, 0, 1, 1, 0, 1, 0, 1}))
		Y := mat.NewDense[float64](mat.WithShape(4), mat.WithBacking([]float64{0, 1, 1, 0}))
		l1 := newLayer[float64](rng, 2, 4)
		l2 := newLayer[float64](rng, 4, 1)
		zero1 := constMatrix[float64](0, 4, 4, false)
		zero2 := constMatrix[float64](0, 1, 4, false)
		ones := constMatrix[float64](1, 1, 4, false)
		params := []mat.Matrix{l1.W, l1.B, l2.W, l2.B}
		var lastLoss float64
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			h := ag.Sigmoid(l1.forward(X, zero1, ones))
			pred := ag.Sigmoid(l2.forward(h, zero2, ones))
			// pred is 1 x 4; ReduceMean's gradient is a 4 x 1 column
			// vector, which the 1 x 4 operators would reject: transpose.
			loss := ag.ReduceMean(ag.Square(ag.Sub(ag.T(pred), Y)))
			mustBackward(b, loss)
			sgd(0.5, params...)
			lastLoss = loss.Value().Item().F64()
		}
		b.StopTimer()
		if math.IsNaN(lastLoss) || math.IsInf(lastLoss, 0) {
			b.Fatalf("loss is not finite: %v", lastLoss)
		}
	})
}
