package ops

import (
	"fmt"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestStepsAllocateNothing runs each op, forward and backward on a tape that is Reset between
// steps, in both dtypes, on a small input (one core) and one large enough to be split over the
// cores, and checks that steady steps allocate nothing: the tape recycles values and gradients,
// and every kernel takes its scratch from a free list. (An array on the stack that escapes through
// a function table, as tanh32's did, or a slice of results, as Split's, fails it.)
func TestStepsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	ops := []struct {
		name string
		f    func(x, y ag.Var) ag.Var // x (rows, cols) needs a gradient; y is a constant of its shape
	}{
		{"Neg", func(x, _ ag.Var) ag.Var { return Neg(x) }},
		{"Exp", func(x, _ ag.Var) ag.Var { return Exp(x) }},
		{"Log", func(x, _ ag.Var) ag.Var { return Log(Square(x)) }},
		{"Sqrt", func(x, _ ag.Var) ag.Var { return Sqrt(Square(x)) }},
		{"Abs", func(x, _ ag.Var) ag.Var { return Abs(x) }},
		{"Sigmoid", func(x, _ ag.Var) ag.Var { return Sigmoid(x) }},
		{"Tanh", func(x, _ ag.Var) ag.Var { return Tanh(x) }},
		{"ReLU", func(x, _ ag.Var) ag.Var { return ReLU(x) }},
		{"GELU", func(x, _ ag.Var) ag.Var { return GELU(x) }},
		{"Softplus", func(x, _ ag.Var) ag.Var { return Softplus(x) }},
		{"Add", func(x, y ag.Var) ag.Var { return Add(x, y) }},
		{"Sub", func(x, y ag.Var) ag.Var { return Sub(y, x) }},
		{"Mul", func(x, y ag.Var) ag.Var { return Mul(x, y) }},
		{"Div", func(x, y ag.Var) ag.Var { return Div(y, AddScalar(Square(x), 1)) }},
		{"MulScalar", func(x, _ ag.Var) ag.Var { return MulScalar(x, 3) }},
		{"AddBias", func(x, _ ag.Var) ag.Var { return Add(x, Slice(x, 0, 0, 1)) }},
		{"SumTo", func(x, _ ag.Var) ag.Var { return SumTo(x, x.Shape()[1]) }},
		{"SumToWide", func(x, y ag.Var) ag.Var { // 300 columns: the float32 column sums' split
			return SumTo(Concat(1, x, y, x), 3*x.Shape()[1])
		}},
		{"Mean", func(x, _ ag.Var) ag.Var { return Mean(x) }},
		{"Softmax", func(x, _ ag.Var) ag.Var { return Softmax(x, -1) }},
		{"LogSoftmax", func(x, _ ag.Var) ag.Var { return LogSoftmax(x, -1) }},
		{"Standardize", func(x, _ ag.Var) ag.Var { return Standardize(x, 1, 1e-5) }},
		{"Slice", func(x, _ ag.Var) ag.Var { return Slice(x, 1, 1, x.Shape()[1]) }},
		{"Transpose", func(x, _ ag.Var) ag.Var { return Transpose(x) }},
		{"MatMul", func(x, y ag.Var) ag.Var { return MatMulT(x, y, false, true) }},
		{"Concat", func(x, y ag.Var) ag.Var { return Concat(1, x, y) }},
		{"Max", func(x, _ ag.Var) ag.Var { return Max(x, 1) }},
		{"SoftmaxCrossEntropy", func(x, y ag.Var) ag.Var { return SoftmaxCrossEntropy(x, Softmax(y, -1), 0.5) }},
		{"LSTMCell", func(x, y ag.Var) ag.Var { // pre (rows, 100): 25 hidden units
			h, c := LSTMCell(x, Slice(y, 1, 0, 25))
			return Mul(h, c)
		}},
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, rows := range []int{10, 700} { // 10×100 on one core; 700×100 = 70000 elements, split
			const cols = 100
			for _, op := range ops {
				t.Run(fmt.Sprintf("%s/%v/%dx%d", op.name, dt, rows, cols), func(t *testing.T) {
					xs := gen(signed, 21, rows, cols).data
					x := ag.NewParam(xs, rows, cols)
					if dt == ag.Float32 {
						x = ag.NewParam32(to32s(xs), rows, cols)
					}
					ys := gen(shifted, 22, rows, cols).data
					tp := ag.NewTape()
					step := func() {
						tp.Reset()
						y := tp.Const(ys, rows, cols)
						if dt == ag.Float32 {
							y = Cast(y, ag.Float32)
						}
						if err := ag.Backward(Sum(op.f(OnTape(tp, x), y))); err != nil {
							t.Fatal(err)
						}
						ag.ZeroGrad(x)
					}
					step()
					step()
					step()
					// The average of ten steps: the worker pool may switch a product between its
					// split and serial paths under load (another test binary running), and the first
					// switch may grow a buffer once; what is counted is a steady allocation.
					if n := testing.AllocsPerRun(10, step); n != 0 {
						t.Errorf("a steady step allocates %v times, want 0", n)
					}
				})
			}
		}
	}
}

func to32s(x []float64) []float32 {
	o := make([]float32, len(x))
	for i, v := range x {
		o[i] = float32(v)
	}
	return o
}
