// Peer benchmarks for gorgonia.org/gorgonia v0.9.18.
//
// Every workload is written the way a gorgonia user would write a training
// loop: the expression graph (including the symbolic gradient built by
// Grad) is constructed once, compiled once into a TapeMachine, and each
// benchmark iteration is RunAll + (solver step) + Reset.
//
// Workload definitions are shared with ../spago, ../torch and the gograd
// suite in ../../ (see bench/README.md).
package gorgoniapeer

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	gonumblas "gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var dtypes = []struct {
	name string
	dt   tensor.Dtype
}{
	{"f64", tensor.Float64},
	{"f32", tensor.Float32},
}

// randDense returns a tensor of the given shape filled with uniform values in
// [lo, hi) drawn from rng.
func randDense(rng *rand.Rand, dt tensor.Dtype, lo, hi float64, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	switch dt {
	case tensor.Float64:
		d := make([]float64, n)
		for i := range d {
			d[i] = lo + (hi-lo)*rng.Float64()
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	case tensor.Float32:
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(lo + (hi-lo)*rng.Float64())
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	}
	panic("unsupported dtype")
}

func constDense(dt tensor.Dtype, v float64, shape ...int) *tensor.Dense {
	t := tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
	switch dt {
	case tensor.Float64:
		d := t.Data().([]float64)
		for i := range d {
			d[i] = v
		}
	case tensor.Float32:
		d := t.Data().([]float32)
		for i := range d {
			d[i] = float32(v)
		}
	}
	return t
}

// glorot returns a fan_in x fan_out matrix, uniform in +-sqrt(6/(in+out)).
func glorot(rng *rand.Rand, dt tensor.Dtype, in, out int) *tensor.Dense {
	lim := math.Sqrt(6 / float64(in+out))
	return randDense(rng, dt, -lim, lim, in, out)
}

func scalarOf(dt tensor.Dtype, v float64) interface{} {
	if dt == tensor.Float32 {
		return float32(v)
	}
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// BenchmarkScalarChain: 1000 scalar ops alternating x = x*a, x = x + b,
// forward + backward.
func BenchmarkScalarChain(b *testing.B) {
	const nodes = 1000
	g := G.NewGraph()
	a := G.NewScalar(g, tensor.Float64, G.WithName("a"), G.WithValue(0.999))
	bb := G.NewScalar(g, tensor.Float64, G.WithName("b"), G.WithValue(0.001))
	x := G.NewScalar(g, tensor.Float64, G.WithName("x0"), G.WithValue(1.0))
	for i := 0; i < nodes/2; i++ {
		x = G.Must(G.Mul(x, a))
		x = G.Must(G.Add(x, bb))
	}
	_, err := G.Grad(x, a, bb)
	must(err)
	vm := G.NewTapeMachine(g, G.BindDualValues(a, bb))
	defer vm.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		must(vm.RunAll())
		vm.Reset()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nodes, "ns/node")
}

// BenchmarkElementwise: loss = sum(sigmoid(x*w + b)), forward + backward
// w.r.t. w and b.
func BenchmarkElementwise(b *testing.B) {
	for _, n := range []int{1000, 100000, 1000000} {
		for _, d := range dtypes {
			b.Run(fmt.Sprintf("n=%d/%s", n, d.name), func(b *testing.B) {
				rng := rand.New(rand.NewSource(1))
				g := G.NewGraph()
				x := G.NewVector(g, d.dt, G.WithShape(n), G.WithName("x"), G.WithValue(randDense(rng, d.dt, -1, 1, n)))
				w := G.NewVector(g, d.dt, G.WithShape(n), G.WithName("w"), G.WithValue(randDense(rng, d.dt, -1, 1, n)))
				bias := G.NewVector(g, d.dt, G.WithShape(n), G.WithName("b"), G.WithValue(randDense(rng, d.dt, -1, 1, n)))
				loss := G.Must(G.Sum(G.Must(G.Sigmoid(G.Must(G.Add(G.Must(G.HadamardProd(x, w)), bias))))))
				_, err := G.Grad(loss, w, bias)
				must(err)
				vm := G.NewTapeMachine(g, G.BindDualValues(w, bias))
				defer vm.Close()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					must(vm.RunAll())
					vm.Reset()
				}
				b.StopTimer()
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
	}
}

var matSizes = []int{64, 256, 512, 1024}

func gflops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
}

// BenchmarkMatMul: a single product C = A@B (2n^3 flops).
func BenchmarkMatMul(b *testing.B) {
	for _, n := range matSizes {
		for _, d := range dtypes {
			b.Run(fmt.Sprintf("n=%d/%s", n, d.name), func(b *testing.B) {
				rng := rand.New(rand.NewSource(1))
				g := G.NewGraph()
				A := G.NewMatrix(g, d.dt, G.WithShape(n, n), G.WithName("A"), G.WithValue(randDense(rng, d.dt, -1, 1, n, n)))
				B := G.NewMatrix(g, d.dt, G.WithShape(n, n), G.WithName("B"), G.WithValue(randDense(rng, d.dt, -1, 1, n, n)))
				G.Must(G.Mul(A, B))
				vm := G.NewTapeMachine(g)
				defer vm.Close()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					must(vm.RunAll())
					vm.Reset()
				}
				b.StopTimer()
				gflops(b, 2*float64(n)*float64(n)*float64(n))
			})
		}
	}
}

// BenchmarkMatMulFwdBwd: C = A@B, loss = sum(C), forward + backward w.r.t.
// A and B (3 products, 6n^3 flops).
func BenchmarkMatMulFwdBwd(b *testing.B) {
	for _, n := range matSizes {
		for _, d := range dtypes {
			b.Run(fmt.Sprintf("n=%d/%s", n, d.name), func(b *testing.B) {
				rng := rand.New(rand.NewSource(1))
				g := G.NewGraph()
				A := G.NewMatrix(g, d.dt, G.WithShape(n, n), G.WithName("A"), G.WithValue(randDense(rng, d.dt, -1, 1, n, n)))
				B := G.NewMatrix(g, d.dt, G.WithShape(n, n), G.WithName("B"), G.WithValue(randDense(rng, d.dt, -1, 1, n, n)))
				loss := G.Must(G.Sum(G.Must(G.Mul(A, B))))
				_, err := G.Grad(loss, A, B)
				must(err)
				vm := G.NewTapeMachine(g, G.BindDualValues(A, B))
				defer vm.Close()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					must(vm.RunAll())
					vm.Reset()
				}
				b.StopTimer()
				gflops(b, 6*float64(n)*float64(n)*float64(n))
			})
		}
	}
}

// dense builds y = x@W + b with b broadcast over the batch (rows).
func dense(x, w, bias *G.Node) *G.Node {
	return G.Must(G.BroadcastAdd(G.Must(G.Mul(x, w)), bias, nil, []byte{0}))
}

// BenchmarkMLPStep: one SGD step of a 784-256-10 ReLU MLP with softmax
// cross-entropy on integer labels (one-hot encoded), batch 64, lr 0.01.
func BenchmarkMLPStep(b *testing.B) {
	for _, d := range dtypes {
		b.Run(d.name, func(b *testing.B) {
			step, closeVM := newMLP(d.dt)
			defer closeVM()
			b.ReportAllocs()
			b.ResetTimer()
			var loss float64
			for i := 0; i < b.N; i++ {
				loss = step()
			}
			b.StopTimer()
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				b.Fatalf("loss is not finite: %v", loss)
			}
		})
	}
}

// newMLP builds the MLPStep workload; step runs one training step and
// returns the loss computed in it.
func newMLP(dt tensor.Dtype) (step func() float64, closeVM func()) {
	const batch, in, hid, out = 64, 784, 256, 10
	rng := rand.New(rand.NewSource(42))
	xv := randDense(rng, dt, 0, 1, batch, in)
	yv := constDense(dt, 0, batch, out)
	for i := 0; i < batch; i++ {
		must(yv.SetAt(scalarOf(dt, 1), i, rng.Intn(out)))
	}
	g := G.NewGraph()
	X := G.NewMatrix(g, dt, G.WithShape(batch, in), G.WithName("X"), G.WithValue(xv))
	Y := G.NewMatrix(g, dt, G.WithShape(batch, out), G.WithName("Y"), G.WithValue(yv))
	W1 := G.NewMatrix(g, dt, G.WithShape(in, hid), G.WithName("W1"), G.WithValue(glorot(rng, dt, in, hid)))
	b1 := G.NewMatrix(g, dt, G.WithShape(1, hid), G.WithName("b1"), G.WithValue(constDense(dt, 0, 1, hid)))
	W2 := G.NewMatrix(g, dt, G.WithShape(hid, out), G.WithName("W2"), G.WithValue(glorot(rng, dt, hid, out)))
	b2 := G.NewMatrix(g, dt, G.WithShape(1, out), G.WithName("b2"), G.WithValue(constDense(dt, 0, 1, out)))
	h := G.Must(G.Rectify(dense(X, W1, b1)))
	logp := G.Must(G.LogSoftMax(dense(h, W2, b2)))
	nll := G.Must(G.Neg(G.Must(G.Sum(G.Must(G.HadamardProd(logp, Y))))))
	loss := G.Must(G.Div(nll, G.NewConstant(scalarOf(dt, batch))))
	var lossVal G.Value
	G.Read(loss, &lossVal)
	learnables := G.Nodes{W1, b1, W2, b2}
	_, err := G.Grad(loss, learnables...)
	must(err)
	vm := G.NewTapeMachine(g, G.BindDualValues(learnables...))
	solver := G.NewVanillaSolver(G.WithLearnRate(0.01))
	model := G.NodesToValueGrads(learnables)
	return func() float64 {
		must(vm.RunAll())
		must(solver.Step(model))
		vm.Reset()
		return toF64(lossVal.Data())
	}, func() { vm.Close() }
}

func toF64(v interface{}) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

func isFinite(v interface{}) bool {
	switch x := v.(type) {
	case float64:
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0)
	}
	return true
}

// BenchmarkXORStep: one SGD step (lr 0.5) of a 2-4-1 sigmoid MLP with MSE
// over the 4 XOR rows.
func BenchmarkXORStep(b *testing.B) {
	b.Run("f64", func(b *testing.B) {
		dt := tensor.Float64
		rng := rand.New(rand.NewSource(42))
		g := G.NewGraph()
		xv := tensor.New(tensor.WithShape(4, 2), tensor.WithBacking([]float64{0, 0, 0, 1, 1, 0, 1, 1}))
		yv := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float64{0, 1, 1, 0}))
		X := G.NewMatrix(g, dt, G.WithShape(4, 2), G.WithName("X"), G.WithValue(xv))
		Y := G.NewMatrix(g, dt, G.WithShape(4, 1), G.WithName("Y"), G.WithValue(yv))
		W1 := G.NewMatrix(g, dt, G.WithShape(2, 4), G.WithName("W1"), G.WithValue(glorot(rng, dt, 2, 4)))
		b1 := G.NewMatrix(g, dt, G.WithShape(1, 4), G.WithName("b1"), G.WithValue(constDense(dt, 0, 1, 4)))
		W2 := G.NewMatrix(g, dt, G.WithShape(4, 1), G.WithName("W2"), G.WithValue(glorot(rng, dt, 4, 1)))
		b2 := G.NewMatrix(g, dt, G.WithShape(1, 1), G.WithName("b2"), G.WithValue(constDense(dt, 0, 1, 1)))
		h := G.Must(G.Sigmoid(dense(X, W1, b1)))
		pred := G.Must(G.Sigmoid(dense(h, W2, b2)))
		loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, Y))))))
		learnables := G.Nodes{W1, b1, W2, b2}
		_, err := G.Grad(loss, learnables...)
		must(err)
		vm := G.NewTapeMachine(g, G.BindDualValues(learnables...))
		defer vm.Close()
		solver := G.NewVanillaSolver(G.WithLearnRate(0.5))
		model := G.NodesToValueGrads(learnables)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			must(vm.RunAll())
			must(solver.Step(model))
			vm.Reset()
		}
		b.StopTimer()
		if v := loss.Value().Data(); !isFinite(v) {
			b.Fatalf("loss is not finite: %v", v)
		}
	})
}

// BenchmarkRefGEMM/gonum: the pure-Go gonum BLAS (gonum.org/v1/gonum/blas/gonum),
// which gorgonia uses by default, as a reference for C = A@B.
func BenchmarkRefGEMM(b *testing.B) {
	impl := gonumblas.Implementation{}
	for _, n := range matSizes {
		rng := rand.New(rand.NewSource(1))
		b.Run(fmt.Sprintf("gonum/n=%d/f64", n), func(b *testing.B) {
			a := randDense(rng, tensor.Float64, -1, 1, n, n).Data().([]float64)
			bm := randDense(rng, tensor.Float64, -1, 1, n, n).Data().([]float64)
			c := make([]float64, n*n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				impl.Dgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bm, n, 0, c, n)
			}
			b.StopTimer()
			gflops(b, 2*float64(n)*float64(n)*float64(n))
		})
		b.Run(fmt.Sprintf("gonum/n=%d/f32", n), func(b *testing.B) {
			a := randDense(rng, tensor.Float32, -1, 1, n, n).Data().([]float32)
			bm := randDense(rng, tensor.Float32, -1, 1, n, n).Data().([]float32)
			c := make([]float32, n*n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				impl.Sgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bm, n, 0, c, n)
			}
			b.StopTimer()
			gflops(b, 2*float64(n)*float64(n)*float64(n))
		})
	}
}
