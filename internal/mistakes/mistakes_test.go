// Package mistakes holds one table of the mistakes a new user of the engine can make, across
// packages, each with the exact message it gets. A message must name the op or function at fault,
// the shapes or values, and the fix where it is obvious; a mistake must never surface as an index
// out of range or a nil dereference.
package mistakes

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

const (
	nilMsg      = "nil Var (the zero Var is not a value; create one with NewParam or Tape.Const)"
	releasedMsg = "Var was released by Tape.Reset; recompute it in the current step"
)

// mistake is one row of the table: fn makes the mistake and returns the error it got, returned or
// panicked with (see run).
type mistake struct {
	name string
	fn   func(tp *ag.Tape, dir string) error
	kind error
	msg  string
}

// p wraps a call that reports misuse by panicking with an *autograd.Error.
func p(fn func(tp *ag.Tape)) func(*ag.Tape, string) error {
	return func(tp *ag.Tape, _ string) error { return ag.Maybe(func() { fn(tp) }) }
}

// pd wraps a call of package data, which does not depend on autograd and reports misuse by
// panicking with a *data.Error.
func pd(fn func()) func(*ag.Tape, string) error {
	return func(*ag.Tape, string) (err error) {
		defer func() {
			if r := recover(); r != nil {
				e, ok := r.(*data.Error)
				if !ok {
					panic(r)
				}
				err = e
			}
		}()
		fn()
		return nil
	}
}

// e wraps a call that returns its error.
func e(fn func(tp *ag.Tape) error) func(*ag.Tape, string) error {
	return func(tp *ag.Tape, _ string) error { return fn(tp) }
}

// ef wraps a call that needs a scratch directory (shown as DIR in messages) and returns its
// error.
func ef(fn func(dir string) error) func(*ag.Tape, string) error {
	return func(_ *ag.Tape, dir string) error { return fn(dir) }
}

func z(tp *ag.Tape, shape ...int) ag.Var   { return tp.Zeros(ag.Float64, shape...) }
func z32(tp *ag.Tape, shape ...int) ag.Var { return tp.Zeros(ag.Float32, shape...) }

func second[T any](_ T, err error) error { return err }

var nilVar ag.Var

func mistakes() []mistake {
	return []mistake{
		// Elementwise ops and broadcasting.
		{"Add shapes do not broadcast", p(func(tp *ag.Tape) { ops.Add(z(tp, 2, 3), z(tp, 2)) }), ag.ErrShape,
			"ops.Add: (2,3) and (2) do not broadcast: dimension 1 is 3 and 2"},
		{"Mul batch axes differ", p(func(tp *ag.Tape) { ops.Mul(z(tp, 4, 3), z(tp, 5, 3)) }), ag.ErrShape,
			"ops.Mul: (4,3) and (5,3) do not broadcast: dimension 0 is 4 and 5"},
		{"Add float32 with float64", p(func(tp *ag.Tape) { ops.Add(z32(tp, 2), z(tp, 2)) }), ag.ErrDType,
			"ops.Add: float32 (2) and float64 (2) operands; convert one with ops.Cast"},
		{"Add nil Var", p(func(tp *ag.Tape) { ops.Add(z(tp, 2), ag.Var{}) }), ag.ErrNilVar, "ops.Add: " + nilMsg},
		{"Add Vars from two tapes", p(func(tp *ag.Tape) { ops.Add(z(tp, 2), ag.NewTape().Zeros(ag.Float64, 2)) }), ag.ErrTapes,
			"ops.Add: operands are recorded on different tapes; compute them on one tape"},
		{"Exp of a released Var", p(func(tp *ag.Tape) {
			x := z(tp, 2)
			tp.Reset()
			ops.Exp(x)
		}), ag.ErrReleased, "ops.Exp: " + releasedMsg},

		// Composites name themselves, not the primitive or accessor inside.
		{"MulScalar nil", p(func(*ag.Tape) { ops.MulScalar(nilVar, 2) }), ag.ErrNilVar, "ops.MulScalar: " + nilMsg},
		{"AddScalar nil", p(func(*ag.Tape) { ops.AddScalar(nilVar, 2) }), ag.ErrNilVar, "ops.AddScalar: " + nilMsg},
		{"RSubScalar nil", p(func(*ag.Tape) { ops.RSubScalar(1, nilVar) }), ag.ErrNilVar, "ops.RSubScalar: " + nilMsg},
		{"ScalarLike nil", p(func(*ag.Tape) { ops.ScalarLike(nilVar, 1) }), ag.ErrNilVar, "ops.ScalarLike: " + nilMsg},
		{"TapeOf nil", p(func(*ag.Tape) { ops.TapeOf(nilVar) }), ag.ErrNilVar, "ops.TapeOf: " + nilMsg},
		{"LeakyReLU nil", p(func(*ag.Tape) { ops.LeakyReLU(nilVar, 0.1) }), ag.ErrNilVar, "ops.LeakyReLU: " + nilMsg},
		{"GELU nil", p(func(*ag.Tape) { ops.GELU(nilVar) }), ag.ErrNilVar, "ops.GELU: " + nilMsg},
		{"Clamp nil", p(func(*ag.Tape) { ops.Clamp(nilVar, 0, 1) }), ag.ErrNilVar, "ops.Clamp: " + nilMsg},
		{"Clamp bounds reversed", p(func(tp *ag.Tape) { ops.Clamp(z(tp, 2), 1, 0) }), ag.ErrValue, "ops.Clamp: lo 1 > hi 0"},
		{"Maximum nil", p(func(tp *ag.Tape) { ops.Maximum(z(tp, 2), nilVar) }), ag.ErrNilVar, "ops.Maximum: " + nilMsg},
		{"Minimum released", p(func(tp *ag.Tape) {
			x := z(tp, 2)
			tp.Reset()
			ops.Minimum(x, x)
		}), ag.ErrReleased, "ops.Minimum: " + releasedMsg},
		{"Min nil", p(func(*ag.Tape) { ops.Min(nilVar) }), ag.ErrNilVar, "ops.Min: " + nilMsg},
		{"Min axis", p(func(tp *ag.Tape) { ops.Min(z(tp, 2, 3), 2) }), ag.ErrValue, "ops.Min: axis 2 out of range for shape (2,3)"},
		{"MinKeepDims axis", p(func(tp *ag.Tape) { ops.MinKeepDims(z(tp, 2), -2) }), ag.ErrValue, "ops.Min: axis -2 out of range for shape (2)"},
		{"Softmax nil", p(func(*ag.Tape) { ops.Softmax(nilVar, -1) }), ag.ErrNilVar, "ops.Softmax: " + nilMsg},
		{"Softmax axis", p(func(tp *ag.Tape) { ops.Softmax(z(tp, 2, 3), 2) }), ag.ErrValue, "ops.Softmax: axis 2 out of range for shape (2,3)"},
		{"Softmax of a scalar", p(func(tp *ag.Tape) { ops.Softmax(tp.Scalar(1), 0) }), ag.ErrValue, "ops.Softmax: axis 0 out of range for shape ()"},
		{"LogSoftmax axis", p(func(tp *ag.Tape) { ops.LogSoftmax(z(tp, 2, 3), -3) }), ag.ErrValue, "ops.LogSoftmax: axis -3 out of range for shape (2,3)"},
		{"LogSoftmax released", p(func(tp *ag.Tape) {
			x := z(tp, 2)
			tp.Reset()
			ops.LogSoftmax(x, 0)
		}), ag.ErrReleased, "ops.LogSoftmax: " + releasedMsg},
		{"LogSumExp axis", p(func(tp *ag.Tape) { ops.LogSumExp(z(tp, 4), 1) }), ag.ErrValue, "ops.LogSumExp: axis 1 out of range for shape (4)"},
		{"LogSumExp nil", p(func(*ag.Tape) { ops.LogSumExp(nilVar, 0) }), ag.ErrNilVar, "ops.LogSumExp: " + nilMsg},
		{"Mean nil", p(func(*ag.Tape) { ops.Mean(nilVar) }), ag.ErrNilVar, "ops.Mean: " + nilMsg},
		{"Mean axis", p(func(tp *ag.Tape) { ops.Mean(z(tp, 2, 3), 2) }), ag.ErrValue, "ops.Mean: axis 2 out of range for shape (2,3)"},
		{"Mean repeated axis", p(func(tp *ag.Tape) { ops.Mean(z(tp, 2, 3), 0, -2) }), ag.ErrValue, "ops.Mean: axes [0 -2] name axis 0 of shape (2,3) twice"},
		{"MeanKeepDims axis", p(func(tp *ag.Tape) { ops.MeanKeepDims(z(tp, 2, 3), 5) }), ag.ErrValue, "ops.MeanKeepDims: axis 5 out of range for shape (2,3)"},

		// MatMul.
		{"MatMul inner dimensions", p(func(tp *ag.Tape) { ops.MatMul(z(tp, 4, 3), z(tp, 4, 2)) }), ag.ErrShape,
			"ops.MatMul: (4,3) x (4,2): inner dimensions 3 and 4 differ"},
		{"MatMul of a 4-D operand", p(func(tp *ag.Tape) { ops.MatMul(z(tp, 1, 1, 3, 2), z(tp, 2, 2)) }), ag.ErrShape,
			"ops.MatMul: (1,1,3,2) x (2,2): operands must be 1-D, 2-D or 3-D"},
		{"MatMul of a vector", p(func(tp *ag.Tape) { ops.MatMul(z(tp, 3), z(tp, 2, 2)) }), ag.ErrShape,
			"ops.MatMul: (3) x (2,2): inner dimensions 3 and 2 differ"},
		{"MatMul of a scalar", p(func(tp *ag.Tape) { ops.MatMul(tp.Scalar(2), z(tp, 3, 2)) }), ag.ErrShape,
			"ops.MatMul: () x (3,2): operands must be 1-D, 2-D or 3-D"},
		{"MatMul float64 with float32", p(func(tp *ag.Tape) { ops.MatMul(z(tp, 2, 3), z32(tp, 3, 2)) }), ag.ErrDType,
			"ops.MatMul: float64 (2,3) x float32 (3,2): convert one with ops.Cast"},

		// Reductions and axes.
		{"Sum axis", p(func(tp *ag.Tape) { ops.Sum(z(tp, 2, 3), 2) }), ag.ErrValue, "ops.Sum: axis 2 out of range for shape (2,3)"},
		{"Max of nothing", p(func(tp *ag.Tape) { ops.Max(z(tp, 0, 3)) }), ag.ErrShape, "ops.Max: maximum over the empty axis 0 of (0,3)"},
		{"Softmax over an empty axis", p(func(tp *ag.Tape) { ops.Softmax(z(tp, 2, 0), 1) }), ag.ErrShape, "ops.Softmax: axis 1 of (2,0) is empty"},
		{"SumTo a shape that does not broadcast", p(func(tp *ag.Tape) { ops.SumTo(z(tp, 2, 3), 2) }), ag.ErrShape,
			"ops.SumTo: (2,3) cannot be summed to (2): (2) does not broadcast to (2,3)"},

		// Shapes.
		{"BroadcastTo a negative shape", p(func(tp *ag.Tape) { ops.BroadcastTo(z(tp, 1), -1) }), ag.ErrShape,
			"ops.BroadcastTo: (1) does not broadcast to (-1)"},
		{"Reshape element count", p(func(tp *ag.Tape) { ops.Reshape(z(tp, 2, 3), 4, 2) }), ag.ErrShape,
			"ops.Reshape: cannot reshape (2,3) (6 elements) to (4,2) (8 elements)"},
		{"Reshape inferred axis", p(func(tp *ag.Tape) { ops.Reshape(z(tp, 2, 3), -1, 4) }), ag.ErrShape,
			"ops.Reshape: cannot reshape (2,3) (6 elements) to (-1,4)"},
		{"Concat shapes", p(func(tp *ag.Tape) { ops.Concat(1, z(tp, 2, 3), z(tp, 3, 3)) }), ag.ErrShape,
			"ops.Concat: operand 1 has shape (3,3), operand 0 has (2,3): they differ outside axis 1"},
		{"Concat dtypes", p(func(tp *ag.Tape) { ops.Concat(0, z(tp, 2), z32(tp, 2)) }), ag.ErrDType,
			"ops.Concat: operand 1 is float32, operand 0 is float64"},
		{"Slice past the end", p(func(tp *ag.Tape) { ops.Slice(z(tp, 2, 3), 1, 1, 5) }), ag.ErrValue,
			"ops.Slice: range 1:5 out of bounds for axis 1 of shape (2,3)"},
		{"Transpose permutation", p(func(tp *ag.Tape) { ops.Transpose(z(tp, 2, 3), 1, 1) }), ag.ErrValue,
			"ops.Transpose: [1 1] is not a permutation of 2 axes"},
		{"Transpose permutation length", p(func(tp *ag.Tape) { ops.Transpose(z(tp, 2, 3, 4), 1, 0) }), ag.ErrShape,
			"ops.Transpose: permutation [1 0] for shape (2,3,4)"},
		{"Where shapes", p(func(tp *ag.Tape) { ops.Where(z(tp, 3), z(tp, 2), z(tp, 3)) }), ag.ErrShape,
			"ops.Where: (3) and (2) do not broadcast: dimension 0 is 3 and 2"},
		{"Where dtypes", p(func(tp *ag.Tape) { ops.Where(z(tp, 2), z(tp, 2), z32(tp, 2)) }), ag.ErrDType,
			"ops.Where: cond float64, a float64, b float32: all three must have one dtype"},

		// Tape values and accessors.
		{"Const shape", p(func(tp *ag.Tape) { tp.Const([]float64{1, 2, 3}, 2, 2) }), ag.ErrShape,
			"autograd.Tape.Const: 3 values do not fill shape (2,2) (4 elements)"},
		{"NewParam shape", p(func(*ag.Tape) { ag.NewParam([]float64{1, 2, 3}, 2, 2) }), ag.ErrShape,
			"autograd.NewParam: 3 values do not fill shape (2,2) (4 elements)"},
		{"Item of a vector", p(func(tp *ag.Tape) { z(tp, 3).Item() }), ag.ErrShape,
			"autograd.Var.Item: Var of shape (3) has 3 elements, want 1"},
		{"Data64 of float32", p(func(tp *ag.Tape) { z32(tp, 3).Data64() }), ag.ErrDType,
			"autograd.Var.Data64: Var is float32; use Data32"},
		{"Grad of an intermediate", p(func(tp *ag.Tape) { ops.Exp(tp.Variable([]float64{1})).Grad() }), ag.ErrValue,
			"autograd.Var.Grad: Var is an intermediate result (op ops.Exp); only leaves collect gradients: use autograd.Grad"},

		// Backward and Grad.
		{"Backward of a nil Var", e(func(*ag.Tape) error { return ag.Backward(ag.Var{}) }), ag.ErrNilVar, "autograd.Backward: " + nilMsg},
		{"Backward of a non-scalar without a seed", e(func(tp *ag.Tape) error {
			return ag.Backward(ops.Exp(tp.Variable([]float64{1, 2})))
		}), ag.ErrSeed, "autograd.Backward: output 0 has shape (2); a non-scalar output needs an explicit seed (autograd.Seed)"},
		{"Backward with an ill-shaped seed", e(func(tp *ag.Tape) error {
			y := ops.Exp(tp.Variable([]float64{1, 2}))
			return ag.Backward(y, ag.Seed(z(tp, 3)))
		}), ag.ErrSeed, "autograd.Backward: seed 0 is (3) float64, output is (2) float64"},
		{"Backward through a released step", e(func(tp *ag.Tape) error {
			loss := ops.Sum(ops.Exp(tp.Variable([]float64{1, 2})))
			tp.Reset()
			return ag.Backward(loss)
		}), ag.ErrReleased, "autograd.Backward: " + releasedMsg},
		{"Backward of a constant", e(func(tp *ag.Tape) error { return ag.Backward(ops.Sum(z(tp, 2))) }), ag.ErrValue,
			"autograd.Backward: output 0 (shape (), op ops.SumTo) does not require a gradient: no parameter or Variable leads to it"},
		{"Grad with an unused input", e(func(tp *ag.Tape) error {
			x, y := tp.Variable([]float64{1, 2}), tp.Variable([]float64{3, 4, 5})
			return second(ag.Grad([]ag.Var{ops.Sum(ops.Exp(x))}, []ag.Var{x, y}))
		}), ag.ErrUnused, "autograd.Grad: input 1 (shape (3)) is not used to compute the outputs; pass AllowUnused to get zeros"},
		{"Grad of a released input", e(func(tp *ag.Tape) error {
			x := tp.Variable([]float64{1})
			tp.Reset()
			y := tp.Variable([]float64{1})
			return second(ag.Grad([]ag.Var{ops.Sum(y)}, []ag.Var{x}))
		}), ag.ErrReleased, "autograd.Grad: " + releasedMsg},
		{"Grad without outputs", e(func(tp *ag.Tape) error { return second(ag.Grad(nil, []ag.Var{z(tp, 1)})) }), ag.ErrValue,
			"autograd.Grad: no outputs"},

		// Forward mode.
		{"JVP with a tangent of another shape", e(func(tp *ag.Tape) error {
			sq := func(xs ...ag.Var) ag.Var { return ops.Square(xs[0]) }
			_, _, err := ag.JVP(sq, []ag.Var{z(tp, 3)}, []ag.Var{z(tp, 3, 1)})
			return err
		}), ag.ErrShape, "autograd.JVP: tangent 0 has shape (3,1); input 0 has shape (3)"},
		{"JVP with a float32 tangent", e(func(tp *ag.Tape) error {
			sq := func(xs ...ag.Var) ag.Var { return ops.Square(xs[0]) }
			_, _, err := ag.JVP(sq, []ag.Var{z(tp, 3)}, []ag.Var{z32(tp, 3)})
			return err
		}), ag.ErrDType, "autograd.JVP: tangent 0 is float32; input 0 is float64"},
		{"JVP of a function that ignores its input", e(func(tp *ag.Tape) error {
			_, _, err := ag.JVP(func(xs ...ag.Var) ag.Var { return z(tp, 2) }, []ag.Var{z(tp, 3)}, []ag.Var{z(tp, 3)})
			return err
		}), ag.ErrUnused, "autograd.JVP: no output (first: (2) float64) depends on the inputs; pass AllowUnused to get zeros"},
		{"JVP through an op without a forward rule", e(func(tp *ag.Tape) error {
			op := &ag.Op{Name: "user.Double", Grads: []func(g, y ag.Var) ag.Var{func(g, y ag.Var) ag.Var { return ops.MulScalar(g, 2) }}}
			double := func(xs ...ag.Var) ag.Var {
				out := ag.NewResult(op, ag.Float64, xs[0].Shape(), xs[0])
				for i, v := range xs[0].Data64() {
					out.Data64()[i] = 2 * v
				}
				return out
			}
			_, _, err := ag.JVP(double, []ag.Var{z(tp, 2, 3)}, []ag.Var{z(tp, 2, 3)})
			return err
		}), ag.ErrNoJVP, "autograd.JVP: operation user.Double (output (2,3) float64, 1 inputs) has no forward-mode rule (Op.JVP); give it one, or use reverse mode"},

		// Losses.
		{"CrossEntropy label out of range", e(func(tp *ag.Tape) error {
			return second(losses.CrossEntropy(z(tp, 2, 3), []int{0, 3}))
		}), losses.ErrLabel, "losses.CrossEntropy: label 3 at row 1 is outside [0, 3)"},
		{"CrossEntropy negative label", e(func(tp *ag.Tape) error {
			return second(losses.CrossEntropy(z(tp, 2, 3), []int{-1, 0}))
		}), losses.ErrLabel, "losses.CrossEntropy: label -1 at row 0 is outside [0, 3)"},
		{"CrossEntropy labels of another batch", e(func(tp *ag.Tape) error {
			return second(losses.CrossEntropy(z(tp, 2, 3), []int{0, 1, 2}))
		}), losses.ErrBatch, "losses.CrossEntropy: input has batch size 2, labels 3"},
		{"CrossEntropy empty batch", e(func(tp *ag.Tape) error {
			return second(losses.CrossEntropy(z(tp, 0, 3), nil))
		}), losses.ErrEmpty, "losses.CrossEntropy: no rows"},
		{"CrossEntropy of a vector", p(func(tp *ag.Tape) { losses.CrossEntropy(z(tp, 3), []int{0, 1, 2}) }), ag.ErrShape,
			"losses.CrossEntropy: input of shape (3); want (batch, classes)"},
		{"CrossEntropy nil", p(func(*ag.Tape) { losses.CrossEntropy(nilVar, []int{0}) }), ag.ErrNilVar, "losses.CrossEntropy: " + nilMsg},
		{"NLL label out of range", e(func(tp *ag.Tape) error {
			return second(losses.NLL(z(tp, 1, 2), []int{2}))
		}), losses.ErrLabel, "losses.NLL: label 2 at row 0 is outside [0, 2)"},
		{"BCE shape", e(func(tp *ag.Tape) error { return second(losses.BCE(z(tp, 4, 1), z(tp, 4))) }), losses.ErrShape,
			"losses.BCE: predictions of shape (4,1), targets of shape (4)"},
		{"BCE batch", e(func(tp *ag.Tape) error { return second(losses.BCE(z(tp, 4, 1), z(tp, 3, 1))) }), losses.ErrBatch,
			"losses.BCE: predictions have batch size 4, targets 3"},
		{"BCEWithLogits empty", e(func(tp *ag.Tape) error { return second(losses.BCEWithLogits(z(tp, 0), z(tp, 0))) }), losses.ErrEmpty,
			"losses.BCEWithLogits: predictions of shape (0) have no elements"},
		{"MSE nil target", p(func(tp *ag.Tape) { losses.MSE(z(tp, 2), nilVar) }), ag.ErrNilVar, "losses.MSE: " + nilMsg},
		{"Eps out of range", p(func(*ag.Tape) { losses.Eps(0.5) }), ag.ErrValue, "losses.Eps: ε 0.5; want a value in (0, 0.5)"},

		// Optimisers.
		{"SGD learning rate NaN", e(func(*ag.Tape) error {
			return second(optim.NewSGD([]ag.Var{ag.NewParam([]float64{1})}, optim.SGDConfig{LR: nan()}))
		}), optim.ErrLR, "optim.NewSGD: learning rate NaN; want a finite value ≥ 0"},
		{"Adam learning rate negative", e(func(*ag.Tape) error {
			return second(optim.NewAdam([]ag.Var{ag.NewParam([]float64{1})}, optim.AdamConfig{LR: -0.01}))
		}), optim.ErrLR, "optim.NewAdam: learning rate -0.01 is negative; want a finite value ≥ 0"},
		{"RMSProp learning rate infinite", e(func(*ag.Tape) error {
			return second(optim.NewRMSProp([]ag.Var{ag.NewParam([]float64{1})}, optim.RMSPropConfig{LR: inf()}))
		}), optim.ErrLR, "optim.NewRMSProp: learning rate +Inf; want a finite value ≥ 0"},
		{"AdamW β₁ of 1", e(func(*ag.Tape) error {
			return second(optim.NewAdamW([]ag.Var{ag.NewParam([]float64{1})}, optim.AdamConfig{LR: 0.1, Betas: [2]float64{1, 0.999}}))
		}), optim.ErrHyper, "optim.NewAdamW: β₁ 1; want a value in [0, 1)"},
		{"SGD of a nil parameter", e(func(*ag.Tape) error {
			return second(optim.NewSGD([]ag.Var{ag.NewParam([]float64{1}), {}}, optim.SGDConfig{LR: 0.1}))
		}), optim.ErrParam, "optim.NewSGD: parameter 1: autograd.Var.Grad: " + nilMsg},
		{"StepLR of a nil optimizer", e(func(*ag.Tape) error { return second(optim.NewStepLR(nil, 10, 0.5)) }), optim.ErrHyper,
			"optim.NewStepLR: nil optimizer; pass the optimizer whose learning rate to schedule"},
		{"CosineAnnealing of a nil optimizer", e(func(*ag.Tape) error { return second(optim.NewCosineAnnealing(nil, 10, 0)) }), optim.ErrHyper,
			"optim.NewCosineAnnealing: nil optimizer; pass the optimizer whose learning rate to schedule"},
		{"SetLR negative", p(func(*ag.Tape) {
			o, _ := optim.NewSGD([]ag.Var{ag.NewParam([]float64{1})}, optim.SGDConfig{LR: 0.1})
			o.SetLR(-1)
		}), optim.ErrLR, "optim.SGD.SetLR: learning rate -1 is negative; want a finite value ≥ 0"},

		// Layers.
		{"Linear of size 0", p(func(*ag.Tape) { layers.NewLinear(0, 3) }), layers.ErrSize, "layers.NewLinear: input size 0; want at least 1"},
		{"Linear output size 0", p(func(*ag.Tape) { layers.NewLinear(3, 0) }), layers.ErrSize, "layers.NewLinear: output size 0; want at least 1"},
		{"MLP hidden size 0", p(func(*ag.Tape) { layers.NewMLP([]int{2, 0, 1}, layers.Tanh{}, layers.LinearHead) }), layers.ErrSize,
			"layers.NewMLP: layer 1 size 0; want at least 1"},
		{"MLP of one size", p(func(*ag.Tape) { layers.NewMLP([]int{2}, layers.Tanh{}, layers.LinearHead) }), layers.ErrSize,
			"layers.NewMLP: 1 layer sizes; want at least 2 (input and output)"},
		{"Linear input of the wrong width", p(func(tp *ag.Tape) { layers.NewLinear(3, 2).Forward(z(tp, 5, 4)) }), ag.ErrShape,
			"layers.Linear: input of shape (5,4); want (batch, 3)"},
		{"Forward of a nil *Linear", p(func(tp *ag.Tape) {
			var l *layers.Linear
			l.Forward(z(tp, 1, 3))
		}), ag.ErrValue, "layers.Linear: nil *Linear; create it with layers.NewLinear"},
		{"Load wrong shapes", ef(func(dir string) error {
			path := filepath.Join(dir, "m.npz")
			if err := checkpoint.Save(path, layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead)); err != nil {
				return err
			}
			return checkpoint.Load(path, layers.NewMLP([]int{3, 5, 2}, layers.Tanh{}, layers.SoftmaxHead))
		}), checkpoint.ErrMismatch, "checkpoint.Load: DIR/m.npz: parameter \"0.weight\": shape (4,3) in the file, (5,3) in the model (PyTorch's layout; gograd holds it as (3,5))"},
		{"Load missing parameter", ef(func(dir string) error {
			path := filepath.Join(dir, "m.npz")
			if err := checkpoint.Save(path, layers.NewLinear(3, 2)); err != nil {
				return err
			}
			return checkpoint.Load(path, layers.NewMLP([]int{3, 2}, nil, layers.LinearHead))
		}), checkpoint.ErrMissing, "checkpoint.Load: DIR/m.npz: no array for parameter \"0.weight\"; the file holds \"weight\", \"bias\""},
		{"Load no file", ef(func(dir string) error {
			return checkpoint.Load(filepath.Join(dir, "none.npz"), layers.NewLinear(3, 2))
		}), os.ErrNotExist, "checkpoint.Load: open DIR/none.npz: no such file or directory"},

		// Data files.
		{"CSV ragged line", e(func(*ag.Tape) error { return second(data.ReadCSV(strings.NewReader("1,2,0\n3,1\n"))) }), data.ErrRagged,
			"data: line 2: 2 fields, want 3 as on the first data line"},
		{"CSV not a number", e(func(*ag.Tape) error { return second(data.ReadCSV(strings.NewReader("1,2,0\n3,x,1\n"))) }), data.ErrValue,
			"data: line 2, column 2: \"x\" is not a finite number"},
		{"CSV fractional label", e(func(*ag.Tape) error { return second(data.ReadCSV(strings.NewReader("1,2,0.5\n"))) }), data.ErrValue,
			"data: line 1, column 3: label \"0.5\" is not a non-negative integer"},
		{"CSV empty", e(func(*ag.Tape) error { return second(data.ReadCSV(strings.NewReader(""))) }), data.ErrEmpty, "data: no data rows"},
		{"CSV file with a header not skipped", ef(func(dir string) error {
			path := filepath.Join(dir, "d.csv")
			if err := os.WriteFile(path, []byte("a,b,label\n1,2,0\n"), 0o644); err != nil {
				return err
			}
			return second(data.LoadCSV(path))
		}), data.ErrValue, "data: DIR/d.csv: line 1, column 1: \"a\" is not a finite number"},
		{"IDX bad magic", e(func(*ag.Tape) error { _, _, err := data.ReadIDX(bytes.NewReader([]byte{1, 2, 8, 1})); return err }), data.ErrFormat,
			"data: magic number 0x01020801 does not start with two zero bytes"},
		{"IDX truncated", e(func(*ag.Tape) error {
			_, _, err := data.ReadIDX(bytes.NewReader([]byte{0, 0, 8, 1, 0, 0, 0, 4, 1, 2}))
			return err
		}), data.ErrTruncated, "data: data ends before the 4 unsigned byte values of shape [4] (got 2)"},
		{"npz not a zip", e(func(*ag.Tape) error { return second(npz.Read(bytes.NewReader([]byte("hello")), 5)) }), nil,
			"npz: zip: not a valid zip file"},
		{"npz of an unsupported dtype", e(func(*ag.Tape) error {
			return second(npz.Read(zipOf("x.npy", npyOf("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)))))
		}), npz.ErrDtype, "npz: array \"x\": unsupported dtype: \"<c16\" (want f8, f4, f2, i8, i4, i2, i1, u8, u4, u2, u1 or b1 after < or >, or | for 1-byte types)"},
		{"npz shape larger than the data", e(func(*ag.Tape) error {
			return second(npz.Read(zipOf("x.npy", npyOf("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", make([]byte, 16)))))
		}), npz.ErrTruncated, "npz: array \"x\": truncated array data: shape [3] of float64 needs 24 bytes, the file has 16 after the header"},
		{"npz member that is not .npy", e(func(*ag.Tape) error { return second(npz.Read(zipOf("notes.txt", []byte("hi")))) }), npz.ErrMember,
			"npz: invalid archive member: member \"notes.txt\" is not a .npy file"},
		{"npz file truncated", ef(func(dir string) error {
			var buf bytes.Buffer
			if err := npz.Write(&buf, []npz.Array{npz.Float64("w", []float64{1, 2, 3, 4}, 2, 2)}); err != nil {
				return err
			}
			b := buf.Bytes()
			return second(npz.Read(bytes.NewReader(b[:len(b)-30]), int64(len(b)-30)))
		}), nil, "npz: zip: not a valid zip file"},

		// Data sets and batches.
		{"Row past the end", pd(func() { (&data.Dataset{X: make([]float64, 10), Rows: 5, Cols: 2}).Row(7) }), data.ErrRange,
			"data.Dataset.Row: index 7 out of range [0, 5)"},
		{"Subset index past the end", pd(func() { (&data.Dataset{X: make([]float64, 10), Rows: 5, Cols: 2}).Subset([]int{0, 5}) }), data.ErrRange,
			"data.Dataset.Subset: idx[1] = 5 out of range [0, 5)"},
		{"Split past the end", pd(func() { data.Split(data.Dataset{X: make([]float64, 10), Rows: 5, Cols: 2}, 6) }), data.ErrRange,
			"data.Split: split point 6 out of range [0, 5]"},
		{"NewBatches batch size 0", pd(func() { data.NewBatches(10, 0, nil) }), data.ErrRange,
			"data.NewBatches: batch size 0; want at least 1"},
		{"NewBatches negative count", pd(func() { data.NewBatches(-1, 4, nil) }), data.ErrRange,
			"data.NewBatches: n -1; want at least 0"},
		{"Argmax with a ragged row", pd(func() { data.Argmax(nil, make([]float64, 7), 3) }), data.ErrLength,
			"data.Argmax: 7 values in rows of 3 columns; want a multiple of 3"},

		// Training.
		{"Fit without labels", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2}, Rows: 1, Cols: 2}, train.Config{Epochs: 1, BatchSize: 1}))
		}), train.ErrConfig, "train.Fit: the data set has neither labels (Dataset.Y) nor targets (Dataset.T): set Config.Loss and Config.Task, or give it labels or targets"},
		{"Fit batch size 0", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2}, Y: []int{0}, Rows: 1, Cols: 2}, train.Config{Epochs: 1}))
		}), train.ErrConfig, "train.Fit: 1 epochs of batches of 0; want at least 1 of each"},
		{"Fit with fewer values than rows × columns", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2, 3}, Y: []int{0, 1}, Rows: 2, Cols: 2}, train.Config{Epochs: 1, BatchSize: 2}))
		}), train.ErrConfig, "train.Fit: data set of 2 rows × 2 columns needs 4 values in X, has 3"},
		{"Fit with fewer labels than rows", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{0}, Rows: 2, Cols: 2}, train.Config{Epochs: 1, BatchSize: 2}))
		}), train.ErrConfig, "train.Fit: data set of 2 rows has 1 labels in Y; want one per row"},
		{"Fit MSE without targets", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 1)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{0, 1}, Rows: 2, Cols: 2}, train.Config{Epochs: 1, BatchSize: 2, Loss: train.MSE}))
		}), train.ErrConfig, "train.MSE: the batch has 2 rows and 0 targets (Dataset.T); want 1 per row"},
		{"Accuracy with a short X", e(func(*ag.Tape) error {
			return second(train.Accuracy(layers.NewLinear(2, 2), data.Dataset{X: []float64{1, 2}, Y: []int{0, 1}, Rows: 2, Cols: 2}))
		}), train.ErrConfig, "train.Accuracy: data set of 2 rows × 2 columns needs 4 values in X, has 2"},
		{"Fit label out of range", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			o, _ := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
			return second(train.Fit(m, o, data.Dataset{X: []float64{1, 2}, Y: []int{2}, Rows: 1, Cols: 2}, train.Config{Epochs: 1, BatchSize: 1}))
		}), losses.ErrLabel, "losses.CrossEntropy: label 2 at row 0 is outside [0, 2)"},
	}
}

// zipOf returns a reader over a zip archive of one stored member, and its size.
func zipOf(name string, content []byte) (*bytes.Reader, int64) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		panic(err)
	}
	w.Write(content)
	if err := z.Close(); err != nil {
		panic(err)
	}
	return bytes.NewReader(buf.Bytes()), int64(buf.Len())
}

// npyOf returns a version 1.0 .npy file with the given header dictionary and data.
func npyOf(dict string, data []byte) []byte {
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), byte(len(dict)>>8))
	return append(append(b, dict...), data...)
}

func nan() float64 { return inf() - inf() }
func inf() float64 { x := 1e308; return x * 10 }

// TestMistakes runs every mistake and checks the exact message and the sentinel it wraps. A
// panic other than an *autograd.Error, or a *data.Error from package data (an index out of
// range, a nil dereference), fails the row.
func TestMistakes(t *testing.T) { runMistakes(t, mistakes()) }

// runMistakes runs every row of ms in a subtest and checks its exact message (with the row's
// temporary folder written DIR) and the sentinel it wraps, when it names one. With
// MISTAKES_PRINT set it prints every message, to review a table at once.
func runMistakes(t *testing.T, ms []mistake) {
	for _, m := range ms {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("raw panic: %v", r)
					}
				}()
				return m.fn(ag.NewTape(), dir)
			}()
			if err == nil {
				t.Fatalf("no error; want %q", m.msg)
			}
			got := strings.ReplaceAll(err.Error(), dir, "DIR")
			if os.Getenv("MISTAKES_PRINT") != "" {
				fmt.Printf("%-45s %q\n", m.name, got)
			}
			if got != m.msg {
				t.Errorf("message\n got %q\nwant %q", got, m.msg)
			}
			if m.kind != nil && !errors.Is(err, m.kind) {
				t.Errorf("error %q does not wrap %v", got, m.kind)
			}
		})
	}
}
