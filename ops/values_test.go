package ops_test

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// arr is a shaped value written out by hand.
type arr struct {
	shape []int
	data  []float64
}

func a(shape []int, data ...float64) arr { return arr{shape, data} }

// s is shorthand for a shape.
func s(d ...int) []int { return append([]int{}, d...) } // non-nil: s() is a scalar

// constant puts v on t as a constant of dtype dt.
func constant(t *ag.Tape, dt ag.DType, v arr) ag.Var {
	if dt == ag.Float32 {
		return t.Const32(to32(v.data), s(v.shape...)...)
	}
	return t.Const(v.data, s(v.shape...)...)
}

// variable puts v on t as a Variable of dtype dt.
func variable(t *ag.Tape, dt ag.DType, v arr) ag.Var {
	if dt == ag.Float32 {
		return t.Variable32(to32(v.data), s(v.shape...)...)
	}
	return t.Variable(v.data, s(v.shape...)...)
}

func to32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// approx returns the comparison for values computed in dt.
func approx(dt ag.DType) cmp.Option {
	if dt == ag.Float32 {
		// float32 has ε ≈ 6e-8; inputs such as log 3 are rounded to float32 before the op and
		// the ops round a few times (exp, log, sums), so agreement to 1e-6 relative is expected.
		// The margin covers expected zeros reached by a rounded difference.
		return cmpopts.EquateApprox(1e-6, 1e-6)
	}
	// float64: every op rounds a handful of times on values of order 1 to 1e4, so results
	// agree with the hand-computed ones to a few ulps; 1e-14 relative leaves a margin of ~50 ulps.
	// The margin covers expected zeros (e.g. Softmax of −1e4 against 1e4, which underflows).
	return cmpopts.EquateApprox(1e-14, 1e-300)
}

var dtypes = []ag.DType{ag.Float64, ag.Float32}

var (
	e    = math.E
	ln2  = math.Ln2
	ln3  = math.Log(3)
	sig2 = 1 / (1 + math.Exp(-2))
)

func gelu(x float64) float64 { return x / 2 * (1 + math.Erf(x/math.Sqrt2)) }

type valueCase struct {
	name string
	f    func(xs ...ag.Var) ag.Var
	in   []arr
	want arr
}

func valueCases() []valueCase {
	m12 := a(s(2, 3), 1, 2, 3, 4, 5, 6)
	mat := a(s(2, 2), 1, 2, 3, 4)
	mat2 := a(s(2, 2), 5, 6, 7, 8)
	S := e + e*e + e*e*e
	return []valueCase{
		{"Add(2,1)+(1,3)", func(x ...ag.Var) ag.Var { return ops.Add(x[0], x[1]) }, []arr{a(s(2, 1), 1, 2), a(s(1, 3), 10, 20, 30)}, a(s(2, 3), 11, 21, 31, 12, 22, 32)},
		{"Sub(3)-()", func(x ...ag.Var) ag.Var { return ops.Sub(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 0.5)}, a(s(3), 0.5, 1.5, 2.5)},
		{"Sub()-(3)", func(x ...ag.Var) ag.Var { return ops.Sub(x[0], x[1]) }, []arr{a(s(), 0.5), a(s(3), 1, 2, 3)}, a(s(3), -0.5, -1.5, -2.5)},
		{"Mul(2,3)*(3)", func(x ...ag.Var) ag.Var { return ops.Mul(x[0], x[1]) }, []arr{m12, a(s(3), 1, -1, 2)}, a(s(2, 3), 1, -2, 6, 4, -5, 12)},
		{"Div", func(x ...ag.Var) ag.Var { return ops.Div(x[0], x[1]) }, []arr{a(s(2), 1, 3), a(s(2), 4, -2)}, a(s(2), 0.25, -1.5)},
		{"Div()/(2)", func(x ...ag.Var) ag.Var { return ops.Div(x[0], x[1]) }, []arr{a(s(), 1), a(s(2), 4, -2)}, a(s(2), 0.25, -0.5)},
		{"Pow", func(x ...ag.Var) ag.Var { return ops.Pow(x[0], x[1]) }, []arr{a(s(3), 2, 9, 4), a(s(3), 3, 0.5, -1)}, a(s(3), 8, 3, 0.25)},
		{"PowConst2", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 2) }, []arr{a(s(2), -3, 0.5)}, a(s(2), 9, 0.25)},
		{"PowConst0.5", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 0.5) }, []arr{a(s(2), 4, 0.25)}, a(s(2), 2, 0.5)},
		{"PowConst-1", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], -1) }, []arr{a(s(2), 4, -0.5)}, a(s(2), 0.25, -2)},
		{"PowConst3", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 3) }, []arr{a(s(2), -2, 0.5)}, a(s(2), -8, 0.125)},
		{"PowConst0", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 0) }, []arr{a(s(2), 5, -3)}, a(s(2), 1, 1)},
		{"PowConst1", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 1) }, []arr{a(s(2), 5, -3)}, a(s(2), 5, -3)},
		{"PowConst1.5", func(x ...ag.Var) ag.Var { return ops.PowConst(x[0], 1.5) }, []arr{a(s(2), 4, 0.25)}, a(s(2), 8, 0.125)},
		{"Square", func(x ...ag.Var) ag.Var { return ops.Square(x[0]) }, []arr{a(s(), -3)}, a(s(), 9)},
		{"Sqrt", func(x ...ag.Var) ag.Var { return ops.Sqrt(x[0]) }, []arr{a(s(3), 0, 1, 16)}, a(s(3), 0, 1, 4)},
		{"Neg", func(x ...ag.Var) ag.Var { return ops.Neg(x[0]) }, []arr{a(s(2), 1.5, -2)}, a(s(2), -1.5, 2)},
		{"Exp", func(x ...ag.Var) ag.Var { return ops.Exp(x[0]) }, []arr{a(s(3), 0, 1, -1)}, a(s(3), 1, e, 1/e)},
		{"Log", func(x ...ag.Var) ag.Var { return ops.Log(x[0]) }, []arr{a(s(3), 1, 0.5, 8)}, a(s(3), 0, -ln2, 3*ln2)},
		{"Abs", func(x ...ag.Var) ag.Var { return ops.Abs(x[0]) }, []arr{a(s(3), -2, 0, 3)}, a(s(3), 2, 0, 3)},
		{"Sign", func(x ...ag.Var) ag.Var { return ops.Sign(x[0]) }, []arr{a(s(3), -2, 0, 3)}, a(s(3), -1, 0, 1)},
		{"Step", func(x ...ag.Var) ag.Var { return ops.Step(x[0]) }, []arr{a(s(3), -1, 0, 2)}, a(s(3), 0, 0, 1)},
		{"Sigmoid±1e4", func(x ...ag.Var) ag.Var { return ops.Sigmoid(x[0]) }, []arr{a(s(4), 0, 1e4, -1e4, 2)}, a(s(4), 0.5, 1, 0, sig2)},
		{"Tanh±1e4", func(x ...ag.Var) ag.Var { return ops.Tanh(x[0]) }, []arr{a(s(4), 0, 1e4, -1e4, 0.5)}, a(s(4), 0, 1, -1, math.Tanh(0.5))},
		// Softplus(−1e4) = log(1+e^−1e4) = e^−1e4, which underflows to 0 (not NaN).
		{"Softplus±1e4", func(x ...ag.Var) ag.Var { return ops.Softplus(x[0]) }, []arr{a(s(5), 0, 1e4, -1e4, 1, -30)},
			a(s(5), ln2, 1e4, 0, math.Log1p(e), math.Log1p(math.Exp(-30)))},
		{"Erf", func(x ...ag.Var) ag.Var { return ops.Erf(x[0]) }, []arr{a(s(3), 0, 1, -0.5)}, a(s(3), 0, math.Erf(1), math.Erf(-0.5))},
		{"ReLU", func(x ...ag.Var) ag.Var { return ops.ReLU(x[0]) }, []arr{a(s(3), -1, 0, 2)}, a(s(3), 0, 0, 2)},
		{"LeakyReLU", func(x ...ag.Var) ag.Var { return ops.LeakyReLU(x[0], 0.25) }, []arr{a(s(3), -2, 3, 0)}, a(s(3), -0.5, 3, 0)},
		{"GELU", func(x ...ag.Var) ag.Var { return ops.GELU(x[0]) }, []arr{a(s(4), 0, 1, -1, 3)}, a(s(4), 0, gelu(1), gelu(-1), gelu(3))},
		{"Greater", func(x ...ag.Var) ag.Var { return ops.Greater(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 2)}, a(s(3), 0, 0, 1)},
		{"GreaterEqual", func(x ...ag.Var) ag.Var { return ops.GreaterEqual(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 2)}, a(s(3), 0, 1, 1)},
		{"Less", func(x ...ag.Var) ag.Var { return ops.Less(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 2)}, a(s(3), 1, 0, 0)},
		{"LessEqual", func(x ...ag.Var) ag.Var { return ops.LessEqual(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 2)}, a(s(3), 1, 1, 0)},
		{"Equal", func(x ...ag.Var) ag.Var { return ops.Equal(x[0], x[1]) }, []arr{a(s(3), 1, 2, 3), a(s(), 2)}, a(s(3), 0, 1, 0)},
		{"Where", func(x ...ag.Var) ag.Var { return ops.Where(x[0], x[1], x[2]) }, []arr{a(s(2, 1), 1, 0), a(s(1, 3), 1, 2, 3), a(s(), -1)}, a(s(2, 3), 1, 2, 3, -1, -1, -1)},
		{"Clamp", func(x ...ag.Var) ag.Var { return ops.Clamp(x[0], -1, 1) }, []arr{a(s(5), -2, 0.5, 3, -1, 1)}, a(s(5), -1, 0.5, 1, -1, 1)},
		{"Maximum", func(x ...ag.Var) ag.Var { return ops.Maximum(x[0], x[1]) }, []arr{a(s(3), 1, 5, -2), a(s(3), 3, 4, -2)}, a(s(3), 3, 5, -2)},
		{"Minimum", func(x ...ag.Var) ag.Var { return ops.Minimum(x[0], x[1]) }, []arr{a(s(3), 1, 5, -2), a(s(3), 3, 4, -2)}, a(s(3), 1, 4, -2)},
		{"MatMul", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{mat, mat2}, a(s(2, 2), 19, 22, 43, 50)},
		{"MatMulT(tA)", func(x ...ag.Var) ag.Var { return ops.MatMulT(x[0], x[1], true, false) }, []arr{mat, mat2}, a(s(2, 2), 26, 30, 38, 44)},
		{"MatMulT(tB)", func(x ...ag.Var) ag.Var { return ops.MatMulT(x[0], x[1], false, true) }, []arr{mat, mat2}, a(s(2, 2), 17, 23, 39, 53)},
		{"MatMulT(tA,tB)", func(x ...ag.Var) ag.Var { return ops.MatMulT(x[0], x[1], true, true) }, []arr{mat, mat2}, a(s(2, 2), 23, 31, 34, 46)},
		{"MatMul(2,3)x(3,1)", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{m12, a(s(3, 1), 1, 0, -1)}, a(s(2, 1), -2, -2)},
		{"MatMul3Dx2D", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{a(s(2, 1, 2), 1, 2, 3, 4), a(s(2, 1), 1, 10)}, a(s(2, 1, 1), 21, 43)},
		{"MatMul2Dx3D", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{a(s(1, 2), 1, 2), a(s(2, 2, 1), 1, 1, 2, -1)}, a(s(2, 1, 1), 3, 0)},
		{"MatMul3Dx3D", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{a(s(2, 1, 2), 1, 2, 3, 4), a(s(2, 2, 1), 1, 1, 2, -1)}, a(s(2, 1, 1), 3, 2)},
		{"MatMul(2,0)x(0,3)", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{a(s(2, 0)), a(s(0, 3))}, a(s(2, 3), 0, 0, 0, 0, 0, 0)},
		{"MatMul(2,3)x(3,0)", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{m12, a(s(3, 0))}, a(s(2, 0))},
		{"MatMul(0,2,3)x(3,1)", func(x ...ag.Var) ag.Var { return ops.MatMul(x[0], x[1]) }, []arr{a(s(0, 2, 3)), a(s(3, 1), 1, 2, 3)}, a(s(0, 2, 1))},
		{"Transpose", func(x ...ag.Var) ag.Var { return ops.Transpose(x[0]) }, []arr{m12}, a(s(3, 2), 1, 4, 2, 5, 3, 6)},
		{"Transpose(1,2,3)[2,0,1]", func(x ...ag.Var) ag.Var { return ops.Transpose(x[0], 2, 0, 1) }, []arr{a(s(1, 2, 3), 0, 1, 2, 3, 4, 5)}, a(s(3, 1, 2), 0, 3, 1, 4, 2, 5)},
		{"Transpose(2,2,2)[0,2,1]", func(x ...ag.Var) ag.Var { return ops.Transpose(x[0], 0, 2, 1) }, []arr{a(s(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7)}, a(s(2, 2, 2), 0, 2, 1, 3, 4, 6, 5, 7)},
		{"Transpose()", func(x ...ag.Var) ag.Var { return ops.Transpose(x[0]) }, []arr{a(s(), 7)}, a(s(), 7)},
		{"Reshape(3,-1)", func(x ...ag.Var) ag.Var { return ops.Reshape(x[0], 3, -1) }, []arr{m12}, a(s(3, 2), 1, 2, 3, 4, 5, 6)},
		{"Reshape()→(1,1)", func(x ...ag.Var) ag.Var { return ops.Reshape(x[0], 1, 1) }, []arr{a(s(), 7)}, a(s(1, 1), 7)},
		{"Reshape(1)→()", func(x ...ag.Var) ag.Var { return ops.Reshape(x[0]) }, []arr{a(s(1), 7)}, a(s(), 7)},
		{"Flatten", func(x ...ag.Var) ag.Var { return ops.Flatten(x[0]) }, []arr{m12}, a(s(6), 1, 2, 3, 4, 5, 6)},
		{"BroadcastTo(2,1)→(2,3)", func(x ...ag.Var) ag.Var { return ops.BroadcastTo(x[0], 2, 3) }, []arr{a(s(2, 1), 1, 2)}, a(s(2, 3), 1, 1, 1, 2, 2, 2)},
		{"BroadcastTo(3)→(2,3)", func(x ...ag.Var) ag.Var { return ops.BroadcastTo(x[0], 2, 3) }, []arr{a(s(3), 1, 2, 3)}, a(s(2, 3), 1, 2, 3, 1, 2, 3)},
		{"BroadcastTo()→(2,2)", func(x ...ag.Var) ag.Var { return ops.BroadcastTo(x[0], 2, 2) }, []arr{a(s(), 7)}, a(s(2, 2), 7, 7, 7, 7)},
		{"SumTo(3)", func(x ...ag.Var) ag.Var { return ops.SumTo(x[0], 3) }, []arr{m12}, a(s(3), 5, 7, 9)},
		{"SumTo(2,1)", func(x ...ag.Var) ag.Var { return ops.SumTo(x[0], 2, 1) }, []arr{m12}, a(s(2, 1), 6, 15)},
		{"SumTo()", func(x ...ag.Var) ag.Var { return ops.SumTo(x[0]) }, []arr{m12}, a(s(), 21)},
		{"Sum", func(x ...ag.Var) ag.Var { return ops.Sum(x[0]) }, []arr{m12}, a(s(), 21)},
		{"Sum[1]", func(x ...ag.Var) ag.Var { return ops.Sum(x[0], 1) }, []arr{m12}, a(s(2), 6, 15)},
		{"Sum[-2]", func(x ...ag.Var) ag.Var { return ops.Sum(x[0], -2) }, []arr{m12}, a(s(3), 5, 7, 9)},
		// a[i,j,k] = 6i+2j+k; Σ over i and k = 14 + 8j.
		{"Sum(2,3,2)[0,2]", func(x ...ag.Var) ag.Var { return ops.Sum(x[0], 0, 2) }, []arr{a(s(2, 3, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)}, a(s(3), 14, 22, 30)},
		{"Sum()", func(x ...ag.Var) ag.Var { return ops.Sum(x[0]) }, []arr{a(s(), 7)}, a(s(), 7)},
		{"SumKeepDims[0]", func(x ...ag.Var) ag.Var { return ops.SumKeepDims(x[0], 0) }, []arr{m12}, a(s(1, 3), 5, 7, 9)},
		{"SumKeepDims", func(x ...ag.Var) ag.Var { return ops.SumKeepDims(x[0]) }, []arr{m12}, a(s(1, 1), 21)},
		{"Mean", func(x ...ag.Var) ag.Var { return ops.Mean(x[0]) }, []arr{m12}, a(s(), 3.5)},
		{"Mean[0]", func(x ...ag.Var) ag.Var { return ops.Mean(x[0], 0) }, []arr{m12}, a(s(3), 2.5, 3.5, 4.5)},
		{"Mean(2,3,2)[0,2]", func(x ...ag.Var) ag.Var { return ops.Mean(x[0], 0, 2) }, []arr{a(s(2, 3, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)}, a(s(3), 3.5, 5.5, 7.5)},
		{"MeanKeepDims[1]", func(x ...ag.Var) ag.Var { return ops.MeanKeepDims(x[0], 1) }, []arr{m12}, a(s(2, 1), 2, 5)},
		{"Max", func(x ...ag.Var) ag.Var { return ops.Max(x[0]) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(), 5)},
		{"Max[1]", func(x ...ag.Var) ag.Var { return ops.Max(x[0], 1) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(2), 3, 5)},
		{"Max[0]", func(x ...ag.Var) ag.Var { return ops.Max(x[0], 0) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(3), 3, 5, 4)},
		{"MaxKeepDims[1]", func(x ...ag.Var) ag.Var { return ops.MaxKeepDims(x[0], 1) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(2, 1), 3, 5)},
		{"Min[1]", func(x ...ag.Var) ag.Var { return ops.Min(x[0], 1) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(2), -1, 0)},
		{"MinKeepDims", func(x ...ag.Var) ag.Var { return ops.MinKeepDims(x[0]) }, []arr{a(s(2, 3), 3, -1, 2, 0, 5, 4)}, a(s(1, 1), -1)},
		{"Min", func(x ...ag.Var) ag.Var { return ops.Min(x[0]) }, []arr{a(s(3), -1e4, 2, 1e4)}, a(s(), -1e4)},
		{"Concat[1]", func(x ...ag.Var) ag.Var { return ops.Concat(1, x[0], x[1]) }, []arr{a(s(2, 1), 1, 2), a(s(2, 2), 3, 4, 5, 6)}, a(s(2, 3), 1, 3, 4, 2, 5, 6)},
		{"Concat[0]", func(x ...ag.Var) ag.Var { return ops.Concat(0, x[0], x[1]) }, []arr{a(s(1, 2), 1, 2), a(s(2, 2), 3, 4, 5, 6)}, a(s(3, 2), 1, 2, 3, 4, 5, 6)},
		{"Slice[1,1:3]", func(x ...ag.Var) ag.Var { return ops.Slice(x[0], 1, 1, 3) }, []arr{m12}, a(s(2, 2), 2, 3, 5, 6)},
		{"Slice[0,1:2]", func(x ...ag.Var) ag.Var { return ops.Slice(x[0], 0, 1, 2) }, []arr{m12}, a(s(1, 3), 4, 5, 6)},
		{"Pad[0,1,0]", func(x ...ag.Var) ag.Var { return ops.Pad(x[0], 0, 1, 0) }, []arr{mat}, a(s(3, 2), 0, 0, 1, 2, 3, 4)},
		{"Pad[1,0,1]", func(x ...ag.Var) ag.Var { return ops.Pad(x[0], 1, 0, 1) }, []arr{mat}, a(s(2, 3), 1, 2, 0, 3, 4, 0)},
		{"LogSumExp[1e4,1e4]", func(x ...ag.Var) ag.Var { return ops.LogSumExp(x[0], 0) }, []arr{a(s(2), 1e4, 1e4)}, a(s(), 1e4+ln2)},
		{"LogSumExp[-1e4,-1e4]", func(x ...ag.Var) ag.Var { return ops.LogSumExp(x[0], 0) }, []arr{a(s(2), -1e4, -1e4)}, a(s(), -1e4+ln2)},
		{"LogSumExp rows", func(x ...ag.Var) ag.Var { return ops.LogSumExp(x[0], 1) }, []arr{a(s(2, 2), 0, ln3, 1e4, -1e4)}, a(s(2), 2*ln2, 1e4)},
		{"LogSumExpKeepDims rows", func(x ...ag.Var) ag.Var { return ops.LogSumExpKeepDims(x[0], 1) }, []arr{a(s(2, 2), 0, ln3, 1e4, -1e4)}, a(s(2, 1), 2*ln2, 1e4)},
		{"LogSumExpKeepDims[1e4,1e4]", func(x ...ag.Var) ag.Var { return ops.LogSumExpKeepDims(x[0], 0) }, []arr{a(s(2), 1e4, 1e4)}, a(s(1), 1e4+ln2)},
		{"LogSoftmax", func(x ...ag.Var) ag.Var { return ops.LogSoftmax(x[0], 0) }, []arr{a(s(2), 0, ln3)}, a(s(2), -2*ln2, ln3-2*ln2)},
		{"LogSoftmax±1e4", func(x ...ag.Var) ag.Var { return ops.LogSoftmax(x[0], 0) }, []arr{a(s(2), 1e4, -1e4)}, a(s(2), 0, -2e4)},
		{"SoftmaxCrossEntropy", func(x ...ag.Var) ag.Var { return ops.SoftmaxCrossEntropy(x[0], x[1], 1) }, []arr{a(s(2), 0, ln3), a(s(2), 0, 1)}, a(s(), 2*ln2-ln3)},
		{"SoftmaxCrossEntropy masked -Inf", func(x ...ag.Var) ag.Var { return ops.SoftmaxCrossEntropy(x[0], x[1], 1) }, []arr{a(s(3), math.Inf(-1), 0, ln3), a(s(3), 0, 0, 1)}, a(s(), 2*ln2-ln3)},
		{"SoftmaxCrossEntropy±1e4", func(x ...ag.Var) ag.Var { return ops.SoftmaxCrossEntropy(x[0], x[1], 1) }, []arr{a(s(2), 1e4, -1e4), a(s(2), 0, 1)}, a(s(), 2e4)},
		{"SoftmaxCrossEntropy rows soft", func(x ...ag.Var) ag.Var { return ops.SoftmaxCrossEntropy(x[0], x[1], 0.5) }, []arr{a(s(2, 2), 0, ln3, 1e4, -1e4), a(s(2, 2), 0.5, 0.5, 1, 0)},
			a(s(), 0.5*(0.5*2*ln2+0.5*(2*ln2-ln3)))},
		{"Softmax rows", func(x ...ag.Var) ag.Var { return ops.Softmax(x[0], 1) }, []arr{a(s(3, 3), 1, 2, 3, 1e4, 1e4, 1e4, -1e4, -1e4, -1e4)},
			a(s(3, 3), e/S, e*e/S, e*e*e/S, 1./3, 1./3, 1./3, 1./3, 1./3, 1./3)},
		{"Softmax cols", func(x ...ag.Var) ag.Var { return ops.Softmax(x[0], 0) }, []arr{a(s(2, 2), 1e4, 0, -1e4, ln3)}, a(s(2, 2), 1, 0.25, 0, 0.75)},
		{"AddScalar", func(x ...ag.Var) ag.Var { return ops.AddScalar(x[0], 0.5) }, []arr{a(s(2), 1, 2)}, a(s(2), 1.5, 2.5)},
		{"MulScalar", func(x ...ag.Var) ag.Var { return ops.MulScalar(x[0], -3) }, []arr{a(s(2), 1, 2)}, a(s(2), -3, -6)},
		{"RSubScalar", func(x ...ag.Var) ag.Var { return ops.RSubScalar(10, x[0]) }, []arr{a(s(2), 1, 2)}, a(s(2), 9, 8)},
	}
}

// TestValues compares every op with hand-computed results, in float64 and float32.
func TestValues(t *testing.T) {
	for _, c := range valueCases() {
		for _, dt := range dtypes {
			tp := ag.NewTape()
			xs := make([]ag.Var, len(c.in))
			for i, v := range c.in {
				xs[i] = constant(tp, dt, v)
			}
			var y ag.Var
			if err := ag.Maybe(func() { y = c.f(xs...) }); err != nil {
				t.Errorf("%s %v: %v", c.name, dt, err)
				continue
			}
			if got := y.DType(); got != dt {
				t.Errorf("%s %v: dtype %v, want %v", c.name, dt, got, dt)
			}
			if got, want := y.Shape(), c.want.shape; !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
				t.Errorf("%s %v: shape %v, want %v", c.name, dt, got, want)
			}
			if diff := cmp.Diff(c.want.data, y.Float64s(), approx(dt), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s %v: values (-want +got):\n%s", c.name, dt, diff)
			}
		}
	}
}

// TestSoftmaxSumsToOne checks that rows of Softmax are probabilities for moderate and huge inputs.
func TestSoftmaxSumsToOne(t *testing.T) {
	inputs := []struct {
		name string
		x    arr
		ax   int
	}{
		{"moderate", a(s(2, 4), 0.3, -1.2, 2.5, 0.1, 4, 4.5, -3, 0), 1},
		{"huge", a(s(2, 4), 1e4, -1e4, 5e3, 1e4, -1e4, -1e4+1, -1e4, -2e4), 1},
		{"columns", a(s(3, 2), 1, 1e3, 2, -1e3, 3, 0), 0},
	}
	for _, in := range inputs {
		for _, dt := range dtypes {
			tp := ag.NewTape()
			p := ops.Softmax(constant(tp, dt, in.x), in.ax)
			for i, v := range p.Float64s() {
				if !(v >= 0 && v <= 1) {
					t.Errorf("%s %v: p[%d] = %v, want in [0, 1]", in.name, dt, i, v)
				}
			}
			got := ops.Sum(p, in.ax).Float64s()
			want := make([]float64, len(got))
			for i := range want {
				want[i] = 1
			}
			if diff := cmp.Diff(want, got, approx(dt)); diff != "" {
				t.Errorf("%s %v: row sums of Softmax (-want +got):\n%s", in.name, dt, diff)
			}
		}
	}
}

// TestExtremeGradients checks closed-form gradients at ±1e4, where naive formulas overflow:
// they must be finite and exact.
func TestExtremeGradients(t *testing.T) {
	cases := []struct {
		name string
		f    func(x ag.Var) ag.Var
		x    []float64
		want []float64
	}{
		{"Sigmoid", ops.Sigmoid, []float64{1e4, -1e4, 0}, []float64{0, 0, 0.25}},
		{"Tanh", ops.Tanh, []float64{1e4, -1e4, 0}, []float64{0, 0, 1}},
		{"Softplus", ops.Softplus, []float64{1e4, -1e4, 0}, []float64{1, 0, 0.5}},
		{"GELU", ops.GELU, []float64{1e4, -1e4, 0}, []float64{1, 0, 0.5}},
		{"Exp(-1e4)", ops.Exp, []float64{-1e4}, []float64{0}},
		{"Abs", ops.Abs, []float64{1e4, -1e4}, []float64{1, -1}},
		{"ReLU", ops.ReLU, []float64{1e4, -1e4}, []float64{1, 0}},
		{"LogSumExp[1e4,1e4]", func(x ag.Var) ag.Var { return ops.LogSumExp(x, 0) }, []float64{1e4, 1e4}, []float64{0.5, 0.5}},
		{"LogSumExp[-1e4,-1e4]", func(x ag.Var) ag.Var { return ops.LogSumExp(x, 0) }, []float64{-1e4, -1e4}, []float64{0.5, 0.5}},
		{"LogSumExp[1e4,-1e4]", func(x ag.Var) ag.Var { return ops.LogSumExp(x, 0) }, []float64{1e4, -1e4}, []float64{1, 0}},
		// Σᵢ (xᵢ − LSE(x)): ∂ = 1 − n·softmax.
		{"LogSoftmax[1e4,-1e4]", func(x ag.Var) ag.Var { return ops.LogSoftmax(x, 0) }, []float64{1e4, -1e4}, []float64{-1, 1}},
		// softmax − t, with a class masked out by −Inf: (0, 1/2, −1/2) at (−Inf, 0, 0), target 3.
		{"SoftmaxCrossEntropy masked -Inf", func(x ag.Var) ag.Var {
			return ops.SoftmaxCrossEntropy(x, ops.Reshape(ops.OneHot(ops.TapeOf(x), x.DType(), []int{2}, 3), 3), 1)
		}, []float64{math.Inf(-1), 0, 0}, []float64{0, 0.5, -0.5}},
		{"SoftmaxCrossEntropy[1e4,-1e4]", func(x ag.Var) ag.Var {
			return ops.SoftmaxCrossEntropy(x, ops.Reshape(ops.OneHot(ops.TapeOf(x), x.DType(), []int{1}, 2), 2), 1)
		}, []float64{1e4, -1e4}, []float64{1, -1}},
		// Σ softmax = 1: ∂ = 0.
		{"Softmax[1e4,1e4,-1e4]", func(x ag.Var) ag.Var { return ops.Softmax(x, 0) }, []float64{1e4, 1e4, -1e4}, []float64{0, 0, 0}},
		// s·w with w = (1, 0): ∂ = s·(w − s·w) = (0.25, −0.25).
		{"Softmax·w", func(x ag.Var) ag.Var {
			return ops.Mul(ops.Softmax(x, 0), ops.Cast(ops.TapeOf(x).Const([]float64{1, 0}), x.DType()))
		}, []float64{1e4, 1e4}, []float64{0.25, -0.25}},
	}
	for _, c := range cases {
		for _, dt := range dtypes {
			tp := ag.NewTape()
			x := variable(tp, dt, a(s(len(c.x)), c.x...))
			err := ag.Maybe(func() {
				if err := ag.Backward(ops.Sum(c.f(x))); err != nil {
					panic(err)
				}
			})
			if err != nil {
				t.Errorf("%s %v: %v", c.name, dt, err)
				continue
			}
			g := x.Grad()
			if g.DType() != dt {
				t.Errorf("%s %v: gradient dtype %v, want %v", c.name, dt, g.DType(), dt)
			}
			// Beyond the float32 / float64 rounding of approx, the gradients are exact: the
			// stable formulas give exact 0, 1/2, 1 and 1/4 here.
			if diff := cmp.Diff(c.want, g.Float64s(), approx(dt)); diff != "" {
				t.Errorf("%s %v: gradient at %v (-want +got):\n%s", c.name, dt, c.x, diff)
			}
		}
	}
}

// TestCast checks the float32 path: values are converted, and the gradient comes back in the
// input's dtype.
func TestCast(t *testing.T) {
	for _, c := range []struct {
		from, to ag.DType
	}{{ag.Float64, ag.Float32}, {ag.Float32, ag.Float64}, {ag.Float64, ag.Float64}, {ag.Float32, ag.Float32}} {
		tp := ag.NewTape()
		x := variable(tp, c.from, a(s(3), 0.5, -1.25, 3))
		y := ops.Cast(x, c.to)
		if y.DType() != c.to {
			t.Errorf("Cast %v→%v: dtype %v, want %v", c.from, c.to, y.DType(), c.to)
		}
		// 0.5, −1.25 and 3 are exact in both dtypes.
		if diff := cmp.Diff([]float64{0.5, -1.25, 3}, y.Float64s()); diff != "" {
			t.Errorf("Cast %v→%v: values (-want +got):\n%s", c.from, c.to, diff)
		}
		if err := ag.Backward(ops.Sum(ops.Square(y))); err != nil {
			t.Fatalf("Cast %v→%v: Backward: %v", c.from, c.to, err)
		}
		g := x.Grad()
		if g.DType() != c.from {
			t.Errorf("Cast %v→%v: gradient dtype %v, want %v", c.from, c.to, g.DType(), c.from)
		}
		// ∂Σy² = 2x, exact in both dtypes for these inputs.
		if diff := cmp.Diff([]float64{1, -2.5, 6}, g.Float64s()); diff != "" {
			t.Errorf("Cast %v→%v: gradient (-want +got):\n%s", c.from, c.to, diff)
		}
	}
}

// TestComparisonsHaveNoGradient checks that comparisons, Sign and Step stop gradients: an output
// built only from them needs none, and inside a sum they contribute zeros.
func TestComparisonsHaveNoGradient(t *testing.T) {
	fns := []struct {
		name string
		f    func(a, b ag.Var) ag.Var
	}{
		{"Greater", ops.Greater}, {"GreaterEqual", ops.GreaterEqual}, {"Less", ops.Less}, {"LessEqual", ops.LessEqual}, {"Equal", ops.Equal},
		{"Sign", func(a, b ag.Var) ag.Var { return ops.Sign(ops.Sub(a, b)) }},
		{"Step", func(a, b ag.Var) ag.Var { return ops.Step(ops.Sub(a, b)) }},
	}
	for _, fn := range fns {
		tp := ag.NewTape()
		x := tp.Variable([]float64{1, 2, 3})
		y := tp.Variable([]float64{2, 2, 2})
		c := fn.f(x, y)
		if c.RequiresGrad() {
			t.Errorf("%s: RequiresGrad() = true, want false", fn.name)
		}
		if _, err := ag.Grad([]ag.Var{ops.Sum(c)}, []ag.Var{x}); err == nil {
			t.Errorf("%s: Grad through a comparison alone = nil error, want one", fn.name)
		}
		loss := ops.Add(ops.Sum(c), ops.Sum(ops.MulScalar(x, 0)))
		gs, err := ag.Grad([]ag.Var{loss}, []ag.Var{x, y}, ag.AllowUnused())
		if err != nil {
			t.Fatalf("%s: Grad: %v", fn.name, err)
		}
		for i, g := range gs {
			if diff := cmp.Diff([]float64{0, 0, 0}, g.Float64s()); diff != "" {
				t.Errorf("%s: gradient %d (-want +got):\n%s", fn.name, i, diff)
			}
		}
	}
}

func TestOneHot(t *testing.T) {
	for _, dt := range dtypes {
		for _, tp := range []*ag.Tape{ag.NewTape(), nil} {
			y := ops.OneHot(tp, dt, []int{2, 0, 1, 2}, 3)
			if y.DType() != dt {
				t.Errorf("OneHot %v: dtype %v, want %v", dt, y.DType(), dt)
			}
			if got, want := y.Shape(), []int{4, 3}; !cmp.Equal(got, want) {
				t.Errorf("OneHot %v: shape %v, want %v", dt, got, want)
			}
			want := []float64{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}
			if diff := cmp.Diff(want, y.Float64s()); diff != "" {
				t.Errorf("OneHot %v: values (-want +got):\n%s", dt, diff)
			}
			if y.RequiresGrad() {
				t.Errorf("OneHot %v: RequiresGrad() = true, want a constant", dt)
			}
		}
	}
	y := ops.OneHot(ag.NewTape(), ag.Float64, nil, 2)
	if got, want := y.Shape(), []int{0, 2}; !cmp.Equal(got, want) {
		t.Errorf("OneHot(no labels): shape %v, want %v", got, want)
	}
}

// TestInfinityAndNaNEdges checks values PyTorch 1.13 gives at infinities and NaN: logsumexp of a
// row of −Inf is −Inf and of a row holding +Inf is +Inf; maximum and minimum propagate a NaN from
// either operand; a maximum over a kept empty axis is empty.
func TestInfinityAndNaNEdges(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tp := ag.NewTape()
	lse := ops.LogSumExp(tp.Const([]float64{-inf, -inf, inf, 0}, 2, 2), 1).Float64s()
	if lse[0] != -inf || lse[1] != inf {
		t.Errorf("LogSumExp of rows [-Inf -Inf] and [+Inf 0] = %v, want [-Inf +Inf]", lse)
	}
	one, n := tp.Scalar(1), tp.Scalar(nan)
	for _, c := range []struct {
		name string
		got  ag.Var
	}{
		{"Maximum(NaN, 1)", ops.Maximum(n, one)},
		{"Maximum(1, NaN)", ops.Maximum(one, n)},
		{"Minimum(NaN, 1)", ops.Minimum(n, one)},
		{"Minimum(1, NaN)", ops.Minimum(one, n)},
	} {
		if v := c.got.Item(); !math.IsNaN(v) {
			t.Errorf("%s = %v, want NaN", c.name, v)
		}
	}
	empty := tp.Zeros(ag.Float64, 0, 3)
	if got := ops.MaxKeepDims(empty, 1).Shape(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("MaxKeepDims of (0,3) over axis 1: shape %v, want [0 1]", got)
	}
	if got := ops.Softmax(empty, 1).Shape(); !slices.Equal(got, []int{0, 3}) {
		t.Errorf("Softmax of (0,3) over axis 1: shape %v, want [0 3]", got)
	}
}

// TestFloat32SumsDoNotDrift checks a float32 sum of millions of values against the exact sum:
// float32 running sums would drift by percents.
func TestFloat32SumsDoNotDrift(t *testing.T) {
	const n = 1 << 21
	x := make([]float32, n)
	for i := range x {
		x[i] = 0.1
	}
	tp := ag.NewTape()
	got := ops.Sum(tp.Const32(x, n)).Item()
	want := float64(float32(0.1)) * n   // exact: n is a power of two
	if math.Abs(got-want) > 1e-6*want { // float32 has 24 bits: one rounding of the result
		t.Errorf("float32 Sum of %d copies of 0.1 = %v, want %v", n, got, want)
	}
}

// TestPowGradientAtZero checks the gradients of a^b at a = 0 against PyTorch 1.13
// (torch.pow(a, b).sum().backward(), float64): 0 where the formulas give 0·∞.
func TestPowGradientAtZero(t *testing.T) {
	tp := ag.NewTape()
	a := tp.Variable([]float64{0, 0, 0, 2}, 4)
	b := tp.Variable([]float64{0, 2, 0.5, 3}, 4)
	if err := ag.Backward(ops.Sum(ops.Pow(a, b))); err != nil {
		t.Fatal(err)
	}
	wantA := []float64{0, 0, math.Inf(1), 12}
	wantB := []float64{0, 0, 0, 8 * math.Log(2)}
	if got := a.Grad().Float64s(); !slices.Equal(got, wantA) {
		t.Errorf("∂a = %v, want %v", got, wantA)
	}
	// 8·log 2 in two roundings against one: an ulp.
	if got := b.Grad().Float64s(); !cmp.Equal(got, wantB, cmpopts.EquateApprox(1e-15, 0)) {
		t.Errorf("∂b = %v, want %v", got, wantB)
	}
}

// TestFloat32ColumnSumsDoNotDrift checks a float32 sum over a million rows of each column (a bias
// gradient's reduction) against the exact sum.
func TestFloat32ColumnSumsDoNotDrift(t *testing.T) {
	const rows = 1 << 20
	x := make([]float32, 2*rows)
	for i := range x {
		x[i] = 0.1
	}
	tp := ag.NewTape()
	got := ops.Sum(tp.Const32(x, rows, 2), 0).Float64s()
	want := float64(float32(0.1)) * rows // exact: rows is a power of two
	for j, g := range got {
		if math.Abs(g-want) > 1e-6*want { // one float32 rounding of the result
			t.Errorf("float32 column %d sum of %d copies of 0.1 = %v, want %v", j, rows, g, want)
		}
	}
}
