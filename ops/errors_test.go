package ops_test

import (
	"errors"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

const nilMsg = "nil Var (the zero Var is not a value; create one with NewParam or Tape.Const)"

// TestErrors checks that misuse of every op family panics with an *autograd.Error that names the
// op and the shapes, wraps the right sentinel, and has exactly the documented message.
func TestErrors(t *testing.T) {
	var nilVar ag.Var
	cases := []struct {
		name string
		fn   func(tp *ag.Tape)
		kind error
		msg  string
	}{
		// Elementwise and broadcasting.
		{"Add shapes", func(tp *ag.Tape) { ops.Add(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 4)) },
			ag.ErrShape, "ops.Add: (2,3) and (4) do not broadcast: dimension 1 is 3 and 4"},
		{"Mul shapes", func(tp *ag.Tape) { ops.Mul(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 2)) },
			ag.ErrShape, "ops.Mul: (2,3) and (3,2) do not broadcast: dimension 1 is 3 and 2"},
		{"Sub leading axis", func(tp *ag.Tape) { ops.Sub(tp.Zeros(ag.Float64, 2, 1, 3), tp.Zeros(ag.Float64, 4, 1, 1)) },
			ag.ErrShape, "ops.Sub: (2,1,3) and (4,1,1) do not broadcast: dimension 0 is 2 and 4"},
		{"Add dtypes", func(tp *ag.Tape) { ops.Add(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float32, 2)) },
			ag.ErrDType, "ops.Add: float64 (2) and float32 (2) operands; convert one with ops.Cast"},
		{"Div dtypes", func(tp *ag.Tape) { ops.Div(tp.Zeros(ag.Float32, 2, 2), tp.Zeros(ag.Float64)) },
			ag.ErrDType, "ops.Div: float32 (2,2) and float64 () operands; convert one with ops.Cast"},
		{"Pow shapes", func(tp *ag.Tape) { ops.Pow(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 3)) },
			ag.ErrShape, "ops.Pow: (2) and (3) do not broadcast: dimension 0 is 2 and 3"},
		{"Greater shapes", func(tp *ag.Tape) { ops.Greater(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 3)) },
			ag.ErrShape, "ops.Greater: (2) and (3) do not broadcast: dimension 0 is 2 and 3"},
		{"Add nil", func(tp *ag.Tape) { ops.Add(nilVar, tp.Zeros(ag.Float64, 2)) }, ag.ErrNilVar, "ops.Add: " + nilMsg},
		{"Mul nil second", func(tp *ag.Tape) { ops.Mul(tp.Zeros(ag.Float64, 2), nilVar) }, ag.ErrNilVar, "ops.Mul: " + nilMsg},
		{"Exp nil", func(tp *ag.Tape) { ops.Exp(nilVar) }, ag.ErrNilVar, "ops.Exp: " + nilMsg},
		{"PowConst nil", func(tp *ag.Tape) { ops.PowConst(nilVar, 3) }, ag.ErrNilVar, "ops.PowConst: " + nilMsg},
		{"Sigmoid nil", func(tp *ag.Tape) { ops.Sigmoid(nilVar) }, ag.ErrNilVar, "ops.Sigmoid: " + nilMsg},
		{"Exp released", func(tp *ag.Tape) {
			x := tp.Zeros(ag.Float64, 2, 3)
			tp.Reset()
			ops.Exp(x)
		}, ag.ErrReleased, "ops.Exp: Var was released by Tape.Reset; recompute it in the current step"},
		{"Add released", func(tp *ag.Tape) {
			x := tp.Variable([]float64{1, 2})
			tp.Reset()
			ops.Add(x, x)
		}, ag.ErrReleased, "ops.Add: Var was released by Tape.Reset; recompute it in the current step"},
		{"Affine ranks", func(tp *ag.Tape) {
			ops.Affine(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 4), tp.Zeros(ag.Float64, 1, 4))
		},
			ag.ErrShape, "ops.Affine: (2,3) x (3,4) + (1,4): want a matrix times a matrix plus a vector"},
		{"Affine inner", func(tp *ag.Tape) {
			ops.Affine(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 2, 4), tp.Zeros(ag.Float64, 4))
		},
			ag.ErrShape, "ops.Affine: (2,3) x (2,4): inner dimensions 3 and 2 differ"},
		{"Affine bias", func(tp *ag.Tape) {
			ops.Affine(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 4), tp.Zeros(ag.Float64, 3))
		},
			ag.ErrShape, "ops.Affine: (2,3) x (3,4) + (3): the bias has 3 elements, the product 4 columns"},
		{"Affine dtypes", func(tp *ag.Tape) {
			ops.Affine(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 4), tp.Zeros(ag.Float32, 4))
		},
			ag.ErrDType, "ops.Affine: float64 (2,3) x float64 (3,4) + float32 (4): convert with ops.Cast"},
		{"Affine nil", func(tp *ag.Tape) { ops.Affine(tp.Zeros(ag.Float64, 2, 3), nilVar, tp.Zeros(ag.Float64, 4)) }, ag.ErrNilVar, "ops.Affine: " + nilMsg},
		{"Affine tapes", func(tp *ag.Tape) {
			ops.Affine(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 4), ag.NewTape().Zeros(ag.Float64, 4))
		},
			ag.ErrTapes, "ops.Affine: operands are recorded on different tapes; compute them on one tape"},
		{"SumSquaredDiff shapes", func(tp *ag.Tape) { ops.SumSquaredDiff(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3), 1) },
			ag.ErrShape, "ops.SumSquaredDiff: operands of shapes (2,3) and (3); want one shape"},
		{"SumSquaredDiff dtypes", func(tp *ag.Tape) { ops.SumSquaredDiff(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float32, 2), 1) },
			ag.ErrDType, "ops.SumSquaredDiff: operands are float64 and float32; want one dtype"},
		{"SumSquaredDiff tapes", func(tp *ag.Tape) { ops.SumSquaredDiff(tp.Zeros(ag.Float64, 2), ag.NewTape().Zeros(ag.Float64, 2), 1) },
			ag.ErrTapes, "ops.Sub: operands are recorded on different tapes; compute them on one tape"},
		{"SoftmaxCrossEntropy shapes", func(tp *ag.Tape) { ops.SoftmaxCrossEntropy(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3), 1) },
			ag.ErrShape, "ops.SoftmaxCrossEntropy: logits of shape (2,3), targets (3); want one shape"},
		{"SoftmaxCrossEntropy dtypes", func(tp *ag.Tape) { ops.SoftmaxCrossEntropy(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float32, 2), 1) },
			ag.ErrDType, "ops.SoftmaxCrossEntropy: logits are float64, targets float32; want one dtype"},
		{"SoftmaxCrossEntropy scalar", func(tp *ag.Tape) { ops.SoftmaxCrossEntropy(tp.Scalar(1), tp.Scalar(1), 1) },
			ag.ErrValue, "ops.SoftmaxCrossEntropy: axis -1 out of range for shape ()"},
		{"SoftmaxCrossEntropy empty", func(tp *ag.Tape) { ops.SoftmaxCrossEntropy(tp.Zeros(ag.Float64, 2, 0), tp.Zeros(ag.Float64, 2, 0), 1) },
			ag.ErrShape, "ops.SoftmaxCrossEntropy: axis 1 of (2,0) is empty"},
		{"SoftmaxCrossEntropy tapes", func(tp *ag.Tape) {
			ops.SoftmaxCrossEntropy(tp.Zeros(ag.Float64, 2), ag.NewTape().Zeros(ag.Float64, 2), 1)
		},
			ag.ErrTapes, "ops.SoftmaxCrossEntropy: operands are recorded on different tapes; compute them on one tape"},
		{"SoftmaxCrossEntropy nil", func(tp *ag.Tape) { ops.SoftmaxCrossEntropy(tp.Zeros(ag.Float64, 2), nilVar, 1) }, ag.ErrNilVar, "ops.SoftmaxCrossEntropy: " + nilMsg},
		{"SumSquaredDiff nil", func(tp *ag.Tape) { ops.SumSquaredDiff(tp.Zeros(ag.Float64, 2), nilVar, 1) }, ag.ErrNilVar, "ops.SumSquaredDiff: " + nilMsg},
		{"Add tapes", func(tp *ag.Tape) { ops.Add(tp.Zeros(ag.Float64, 2), ag.NewTape().Zeros(ag.Float64, 2)) },
			ag.ErrTapes, "ops.Add: operands are recorded on different tapes; compute them on one tape"},

		// Where, Clamp, Cast, OneHot.
		{"Where shapes", func(tp *ag.Tape) {
			ops.Where(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float64, 2))
		},
			ag.ErrShape, "ops.Where: (2) and (3) do not broadcast: dimension 0 is 2 and 3"},
		{"Where branch shapes", func(tp *ag.Tape) {
			ops.Where(tp.Zeros(ag.Float64, 2, 1), tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float64, 4))
		},
			ag.ErrShape, "ops.Where: (2,3) and (4) do not broadcast: dimension 1 is 3 and 4"},
		{"Where dtypes", func(tp *ag.Tape) {
			ops.Where(tp.Zeros(ag.Float32, 2), tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 2))
		},
			ag.ErrDType, "ops.Where: cond float32, a float64, b float64: all three must have one dtype"},
		{"Where nil", func(tp *ag.Tape) { ops.Where(nilVar, tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 2)) }, ag.ErrNilVar, "ops.Where: " + nilMsg},
		{"Clamp bounds", func(tp *ag.Tape) { ops.Clamp(tp.Zeros(ag.Float64, 2), 2, 1) }, ag.ErrValue, "ops.Clamp: lo 2 > hi 1"},
		{"Cast dtype", func(tp *ag.Tape) { ops.Cast(tp.Zeros(ag.Float64, 2), ag.DType(9)) }, ag.ErrDType, "ops.Cast: unsupported dtype invalid dtype"},
		{"Cast nil", func(tp *ag.Tape) { ops.Cast(nilVar, ag.Float32) }, ag.ErrNilVar, "ops.Cast: " + nilMsg},
		{"OneHot label", func(tp *ag.Tape) { ops.OneHot(tp, ag.Float64, []int{0, 3}, 3) }, ag.ErrValue, "ops.OneHot: label 3 at row 1 is outside [0, 3)"},
		{"OneHot negative", func(tp *ag.Tape) { ops.OneHot(tp, ag.Float32, []int{-1}, 3) }, ag.ErrValue, "ops.OneHot: label -1 at row 0 is outside [0, 3)"},
		{"OneHot classes", func(tp *ag.Tape) { ops.OneHot(tp, ag.Float64, []int{0}, 0) }, ag.ErrValue, "ops.OneHot: 0 classes; want at least 1"},

		// MatMul.
		{"MatMul inner", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 2, 3)) },
			ag.ErrShape, "ops.MatMul: (2,3) x (2,3): inner dimensions 3 and 2 differ"},
		{"MatMulT inner", func(tp *ag.Tape) { ops.MatMulT(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 3, 2), true, false) },
			ag.ErrShape, "ops.MatMul: (2,3) x (3,2): inner dimensions 2 and 3 differ"},
		{"MatMul rank 0", func(tp *ag.Tape) { ops.MatMul(tp.Scalar(3), tp.Zeros(ag.Float64, 3, 2)) },
			ag.ErrShape, "ops.MatMul: () x (3,2): operands must be 1-D, 2-D or 3-D"},
		{"MatMul rank 4", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float64, 1, 1, 3, 2)) },
			ag.ErrShape, "ops.MatMul: (2,3) x (1,1,3,2): operands must be 1-D, 2-D or 3-D"},
		{"MatMulT rank 1", func(tp *ag.Tape) { ops.MatMulT(tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float64, 3, 2), false, false) },
			ag.ErrShape, "ops.MatMul: (3) x (3,2): operands must be 2-D or 3-D"},
		{"MatMul vector inner", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float64, 2, 4)) },
			ag.ErrShape, "ops.MatMul: (3) x (2,4): inner dimensions 3 and 2 differ"},
		{"MatMul vector·vector inner", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float64, 2)) },
			ag.ErrShape, "ops.MatMul: (3) x (2): inner dimensions 3 and 2 differ"},
		{"MatMul vector dtype", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 3), tp.Zeros(ag.Float32, 3)) },
			ag.ErrDType, "ops.MatMul: float64 (3) x float32 (3): convert one with ops.Cast"},
		{"MatMul batch", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 2, 2, 3), tp.Zeros(ag.Float64, 3, 3, 4)) },
			ag.ErrShape, "ops.MatMul: (2,2,3) x (3,3,4): batch sizes 2 and 3 differ"},
		{"MatMul dtypes", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 2, 3), tp.Zeros(ag.Float32, 3, 2)) },
			ag.ErrDType, "ops.MatMul: float64 (2,3) x float32 (3,2): convert one with ops.Cast"},
		{"MatMul nil", func(tp *ag.Tape) { ops.MatMul(tp.Zeros(ag.Float64, 2, 3), nilVar) }, ag.ErrNilVar, "ops.MatMul: " + nilMsg},

		// Reductions.
		{"Sum axis", func(tp *ag.Tape) { ops.Sum(tp.Zeros(ag.Float64, 2, 3), 2) }, ag.ErrValue, "ops.Sum: axis 2 out of range for shape (2,3)"},
		{"Sum negative axis", func(tp *ag.Tape) { ops.Sum(tp.Zeros(ag.Float64, 2, 3), -3) }, ag.ErrValue, "ops.Sum: axis -3 out of range for shape (2,3)"},
		{"Sum scalar axis", func(tp *ag.Tape) { ops.Sum(tp.Scalar(1), 0) }, ag.ErrValue, "ops.Sum: axis 0 out of range for shape ()"},
		{"Sum repeated axis", func(tp *ag.Tape) { ops.Sum(tp.Zeros(ag.Float64, 2, 3), 0, -2) }, ag.ErrValue, "ops.Sum: axes [0 -2] name axis 0 of shape (2,3) twice"},
		{"Mean repeated axis", func(tp *ag.Tape) { ops.Mean(tp.Zeros(ag.Float64, 2, 3), 1, 1) }, ag.ErrValue, "ops.Mean: axes [1 1] name axis 1 of shape (2,3) twice"},
		{"SumKeepDims axis", func(tp *ag.Tape) { ops.SumKeepDims(tp.Zeros(ag.Float64, 2, 3), 5) }, ag.ErrValue, "ops.SumKeepDims: axis 5 out of range for shape (2,3)"},
		{"Mean axis", func(tp *ag.Tape) { ops.Mean(tp.Zeros(ag.Float64, 2, 3), 2) }, ag.ErrValue, "ops.Mean: axis 2 out of range for shape (2,3)"},
		{"Mean nil", func(tp *ag.Tape) { ops.Mean(nilVar) }, ag.ErrNilVar, "ops.Mean: " + nilMsg},
		{"Max axis", func(tp *ag.Tape) { ops.Max(tp.Zeros(ag.Float64, 2, 3), -4) }, ag.ErrValue, "ops.Max: axis -4 out of range for shape (2,3)"},
		{"MaxKeepDims repeated", func(tp *ag.Tape) { ops.MaxKeepDims(tp.Zeros(ag.Float64, 2, 3), 1, -1) }, ag.ErrValue, "ops.Max: axes [1 -1] name axis 1 of shape (2,3) twice"},
		{"Max empty", func(tp *ag.Tape) { ops.Max(tp.Zeros(ag.Float64, 2, 0), 1) }, ag.ErrShape, "ops.Max: maximum over the empty axis 1 of (2,0)"},
		{"Sum nil", func(tp *ag.Tape) { ops.Sum(nilVar) }, ag.ErrNilVar, "ops.Sum: " + nilMsg},
		{"SumTo", func(tp *ag.Tape) { ops.SumTo(tp.Zeros(ag.Float64, 2, 3), 4) }, ag.ErrShape, "ops.SumTo: (2,3) cannot be summed to (4): (4) does not broadcast to (2,3)"},
		{"SumTo larger", func(tp *ag.Tape) { ops.SumTo(tp.Zeros(ag.Float64, 3), 2, 3) }, ag.ErrShape, "ops.SumTo: (3) cannot be summed to (2,3): (2,3) does not broadcast to (3)"},

		// Shapes.
		{"Reshape count", func(tp *ag.Tape) { ops.Reshape(tp.Zeros(ag.Float64, 2, 3), 4) }, ag.ErrShape, "ops.Reshape: cannot reshape (2,3) (6 elements) to (4) (4 elements)"},
		{"Reshape infer", func(tp *ag.Tape) { ops.Reshape(tp.Zeros(ag.Float64, 2, 3), -1, 4) }, ag.ErrShape, "ops.Reshape: cannot reshape (2,3) (6 elements) to (-1,4)"},
		{"Reshape two -1", func(tp *ag.Tape) { ops.Reshape(tp.Zeros(ag.Float64, 2, 3), -1, -1) }, ag.ErrShape, "ops.Reshape: (2,3) to (-1,-1): bad dimension -1"},
		{"Reshape negative", func(tp *ag.Tape) { ops.Reshape(tp.Zeros(ag.Float64, 2, 3), 2, -3) }, ag.ErrShape, "ops.Reshape: (2,3) to (2,-3): bad dimension -3"},
		{"Reshape rank", func(tp *ag.Tape) { ops.Reshape(tp.Zeros(ag.Float64, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1) }, ag.ErrShape, "ops.Reshape: rank 9 exceeds the supported 8"},
		{"Flatten nil", func(tp *ag.Tape) { ops.Flatten(nilVar) }, ag.ErrNilVar, "ops.Reshape: " + nilMsg},
		{"BroadcastTo", func(tp *ag.Tape) { ops.BroadcastTo(tp.Zeros(ag.Float64, 2, 3), 3, 3) }, ag.ErrShape, "ops.BroadcastTo: (2,3) does not broadcast to (3,3)"},
		{"BroadcastTo smaller", func(tp *ag.Tape) { ops.BroadcastTo(tp.Zeros(ag.Float64, 2, 3), 3) }, ag.ErrShape, "ops.BroadcastTo: (2,3) does not broadcast to (3)"},
		{"Transpose repeated", func(tp *ag.Tape) { ops.Transpose(tp.Zeros(ag.Float64, 2, 3), 0, 0) }, ag.ErrValue, "ops.Transpose: [0 0] is not a permutation of 2 axes"},
		{"Transpose out of range", func(tp *ag.Tape) { ops.Transpose(tp.Zeros(ag.Float64, 2, 3, 4), 0, 3, 1) }, ag.ErrValue, "ops.Transpose: [0 3 1] is not a permutation of 3 axes"},
		{"Transpose negative", func(tp *ag.Tape) { ops.Transpose(tp.Zeros(ag.Float64, 2, 3), -1, 0) }, ag.ErrValue, "ops.Transpose: [-1 0] is not a permutation of 2 axes"},
		{"Transpose length", func(tp *ag.Tape) { ops.Transpose(tp.Zeros(ag.Float64, 2, 3), 0) }, ag.ErrShape, "ops.Transpose: permutation [0] for shape (2,3)"},
		{"Slice past end", func(tp *ag.Tape) { ops.Slice(tp.Zeros(ag.Float64, 2, 3), 1, 2, 4) }, ag.ErrValue, "ops.Slice: range 2:4 out of bounds for axis 1 of shape (2,3)"},
		{"Slice reversed", func(tp *ag.Tape) { ops.Slice(tp.Zeros(ag.Float64, 2, 3), 1, 2, 1) }, ag.ErrValue, "ops.Slice: range 2:1 out of bounds for axis 1 of shape (2,3)"},
		{"Slice negative start", func(tp *ag.Tape) { ops.Slice(tp.Zeros(ag.Float64, 2, 3), 0, -1, 1) }, ag.ErrValue, "ops.Slice: range -1:1 out of bounds for axis 0 of shape (2,3)"},
		{"Slice axis", func(tp *ag.Tape) { ops.Slice(tp.Zeros(ag.Float64, 2, 3), 2, 0, 1) }, ag.ErrValue, "ops.Slice: axis 2 out of range for shape (2,3)"},
		{"Pad negative", func(tp *ag.Tape) { ops.Pad(tp.Zeros(ag.Float64, 2, 3), 1, -1, 0) }, ag.ErrValue, "ops.Pad: negative padding -1, 0"},
		{"Pad axis", func(tp *ag.Tape) { ops.Pad(tp.Zeros(ag.Float64, 2, 3), -3, 1, 0) }, ag.ErrValue, "ops.Pad: axis -3 out of range for shape (2,3)"},
		{"Concat shapes", func(tp *ag.Tape) { ops.Concat(0, tp.Zeros(ag.Float64, 3, 3), tp.Zeros(ag.Float64, 2, 4)) },
			ag.ErrShape, "ops.Concat: operand 1 has shape (2,4), operand 0 has (3,3): they differ outside axis 0"},
		{"Concat ranks", func(tp *ag.Tape) { ops.Concat(0, tp.Zeros(ag.Float64, 3, 3), tp.Zeros(ag.Float64, 3)) },
			ag.ErrShape, "ops.Concat: operand 1 has shape (3), operand 0 has (3,3)"},
		{"Concat dtypes", func(tp *ag.Tape) { ops.Concat(1, tp.Zeros(ag.Float64, 3, 3), tp.Zeros(ag.Float32, 3, 1)) },
			ag.ErrDType, "ops.Concat: operand 1 is float32, operand 0 is float64"},
		{"Concat none", func(tp *ag.Tape) { ops.Concat(0) }, ag.ErrValue, "ops.Concat: no operands"},
		{"Concat axis", func(tp *ag.Tape) { ops.Concat(2, tp.Zeros(ag.Float64, 3, 3)) }, ag.ErrValue, "ops.Concat: axis 2 out of range for shape (3,3)"},
		{"Concat nil", func(tp *ag.Tape) { ops.Concat(0, tp.Zeros(ag.Float64, 3), nilVar) }, ag.ErrNilVar, "ops.Concat: " + nilMsg},

		// Ranks beyond the strided kernels' 8 axes are refused, not indexed out of range.
		{"Where rank 9", func(tp *ag.Tape) { x := rank9(tp); ops.Where(x, x, x) }, ag.ErrShape, "ops.Where: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Transpose rank 9", func(tp *ag.Tape) { ops.Transpose(rank9(tp)) }, ag.ErrShape, "ops.Transpose: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Sum rank 9", func(tp *ag.Tape) { ops.Sum(rank9(tp)) }, ag.ErrShape, "ops.Sum: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Max rank 9", func(tp *ag.Tape) { ops.Max(rank9(tp), 8) }, ag.ErrShape, "ops.Max: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Slice rank 9", func(tp *ag.Tape) { ops.Slice(rank9(tp), 8, 0, 1) }, ag.ErrShape, "ops.Slice: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Pad rank 9", func(tp *ag.Tape) { ops.Pad(rank9(tp), 0, 1, 1) }, ag.ErrShape, "ops.Pad: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Concat rank 9", func(tp *ag.Tape) { ops.Concat(0, rank9(tp), rank9(tp)) }, ag.ErrShape, "ops.Concat: (1,1,1,1,1,1,1,1,2): rank 9 exceeds the supported 8"},
		{"Add rank 9", func(tp *ag.Tape) { ops.Add(rank9(tp), tp.Scalar(1)) }, ag.ErrShape, "ops.Add: rank 9 exceeds the supported 8"},
		{"Standardize axes", func(tp *ag.Tape) { ops.Standardize(tp.Zeros(ag.Float32, 2, 3), 3, 1e-5) }, ag.ErrValue,
			"ops.Standardize: 3 axes of an input of shape (2,3); want 1 to 2"},
		{"Standardize eps", func(tp *ag.Tape) { ops.Standardize(tp.Zeros(ag.Float64, 2, 3), 1, -1) }, ag.ErrValue,
			"ops.Standardize: eps -1; want a value ≥ 0"},
		{"Standardize nil", func(tp *ag.Tape) { ops.Standardize(nilVar, 1, 0) }, ag.ErrNilVar, "ops.Standardize: " + nilMsg},
		{"SumTo rank 9", func(tp *ag.Tape) { ops.SumTo(rank9(tp), 2) }, ag.ErrShape,
			"ops.SumTo: (1,1,1,1,1,1,1,1,2) cannot be summed to (2): (2) does not broadcast to (1,1,1,1,1,1,1,1,2)"},
	}
	for _, c := range cases {
		err := catch(func() { c.fn(ag.NewTape()) })
		var e *ag.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v (%T), want an *autograd.Error", c.name, err, err)
			continue
		}
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: error %q wraps %v, want %v", c.name, err, e.Kind, c.kind)
		}
		if got := err.Error(); got != c.msg {
			t.Errorf("%s: message\n got %q\nwant %q", c.name, got, c.msg)
		}
	}
}

// TestCompositeErrors checks the composites: misuse panics with an *autograd.Error of the right
// kind (no runtime panic). Each composite checks its operands and axes under its own name; the
// full messages are pinned in internal/mistakes.
func TestCompositeErrors(t *testing.T) {
	var nilVar ag.Var
	cases := []struct {
		name string
		fn   func(tp *ag.Tape)
		kind error
	}{
		{"AddScalar nil", func(tp *ag.Tape) { ops.AddScalar(nilVar, 1) }, ag.ErrNilVar},
		{"MulScalar nil", func(tp *ag.Tape) { ops.MulScalar(nilVar, 1) }, ag.ErrNilVar},
		{"RSubScalar nil", func(tp *ag.Tape) { ops.RSubScalar(1, nilVar) }, ag.ErrNilVar},
		{"LeakyReLU nil", func(tp *ag.Tape) { ops.LeakyReLU(nilVar, 0.1) }, ag.ErrNilVar},
		{"GELU nil", func(tp *ag.Tape) { ops.GELU(nilVar) }, ag.ErrNilVar},
		{"Clamp nil", func(tp *ag.Tape) { ops.Clamp(nilVar, 0, 1) }, ag.ErrNilVar},
		{"Maximum nil", func(tp *ag.Tape) { ops.Maximum(nilVar, tp.Scalar(1)) }, ag.ErrNilVar},
		{"Min nil", func(tp *ag.Tape) { ops.Min(nilVar) }, ag.ErrNilVar},
		{"MinKeepDims axis", func(tp *ag.Tape) { ops.MinKeepDims(tp.Zeros(ag.Float64, 2), 1) }, ag.ErrValue},
		{"Softmax nil", func(tp *ag.Tape) { ops.Softmax(nilVar, 0) }, ag.ErrNilVar},
		{"Softmax axis", func(tp *ag.Tape) { ops.Softmax(tp.Zeros(ag.Float64, 2, 3), 2) }, ag.ErrValue},
		{"LogSoftmax axis", func(tp *ag.Tape) { ops.LogSoftmax(tp.Zeros(ag.Float64, 2, 3), -3) }, ag.ErrValue},
		{"LogSumExp axis", func(tp *ag.Tape) { ops.LogSumExp(tp.Zeros(ag.Float64, 2, 3), 2) }, ag.ErrValue},
		{"Maximum shapes", func(tp *ag.Tape) { ops.Maximum(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float64, 3)) }, ag.ErrShape},
		{"Minimum dtypes", func(tp *ag.Tape) { ops.Minimum(tp.Zeros(ag.Float64, 2), tp.Zeros(ag.Float32, 2)) }, ag.ErrDType},
		{"Softmax released", func(tp *ag.Tape) {
			x := tp.Zeros(ag.Float64, 2)
			tp.Reset()
			ops.Softmax(x, 0)
		}, ag.ErrReleased},
		// A released Var whose node was recycled by a later allocation is still detected.
		{"Exp released and recycled", func(tp *ag.Tape) {
			x := tp.Zeros(ag.Float64, 2)
			tp.Reset()
			tp.Zeros(ag.Float64, 3)
			ops.Exp(x)
		}, ag.ErrReleased},
	}
	for _, c := range cases {
		err := catch(func() { c.fn(ag.NewTape()) })
		var e *ag.Error
		if !errors.As(err, &e) || !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v (%T), want an *autograd.Error wrapping %v", c.name, err, err, c.kind)
		}
	}
}

// catch runs fn and returns the error it panicked with: the *autograd.Error through
// autograd.Maybe, or any other panic value wrapped in a plain error so the test reports it
// instead of crashing.
func catch(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &otherPanic{r}
		}
	}()
	return ag.Maybe(fn)
}

type otherPanic struct{ v any }

func (p *otherPanic) Error() string { return "non-*autograd.Error panic: " + fmtAny(p.v) }

func fmtAny(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "?"
}

// rank9 returns a constant of rank 9, one more than the strided kernels handle.
func rank9(tp *ag.Tape) ag.Var { return tp.Const([]float64{1, 2}, 1, 1, 1, 1, 1, 1, 1, 1, 2) }
