package train

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// checkValidation returns an error wrapping ErrConfig if val is empty or inconsistent, or does
// not fit the training set ds: other columns, example shape or targets per row, or no labels or
// targets where ds has them.
func checkValidation(op string, ds, val *data.Dataset) error {
	if val.Rows == 0 {
		return configError(op, "empty validation set")
	}
	if err := val.Validate(); err != nil {
		return configError(op, "validation set: %s", strings.TrimPrefix(err.Error(), "data: "))
	}
	if val.Cols != ds.Cols || !reflect.DeepEqual(ds.BatchShape(nil)[1:], val.BatchShape(nil)[1:]) {
		return configError(op, "validation examples of shape %v (%d columns); the training examples have shape %v (%d columns)", val.BatchShape(nil)[1:], val.Cols, ds.BatchShape(nil)[1:], ds.Cols)
	}
	if ds.Y != nil && val.Y == nil {
		return configError(op, "the training set has labels (Dataset.Y) and the validation set has none")
	}
	if ds.T != nil && (val.T == nil || val.Targets() != ds.Targets()) {
		return configError(op, "the training set has %d targets per row and the validation set %d", ds.Targets(), len(val.T)/max(val.Rows, 1))
	}
	return nil
}

// evaluate returns the mean loss and the task's metric of m on ds, computed in evaluation mode
// without recording gradients, accuracyChunk examples at a time. It leaves m in evaluation mode.
func evaluate(m layers.Module, lossFn LossFunc, task Task, ds *data.Dataset, dt ag.DType) (loss, metric float64, err error) {
	layers.Eval(m)
	tape := ag.NewTape()
	mt := meter{task: task}
	var shape []int
	var outs []float64
	var sum float64
	tc := ds.Targets()
	for lo := 0; lo < ds.Rows && err == nil; lo += accuracyChunk {
		hi := min(lo+accuracyChunk, ds.Rows)
		chunk := data.Dataset{X: ds.X[lo*ds.Cols : hi*ds.Cols], Rows: hi - lo, Cols: ds.Cols, Shape: ds.Shape, TargetCols: ds.TargetCols}
		if ds.Y != nil {
			chunk.Y = ds.Y[lo:hi]
		}
		if ds.T != nil {
			chunk.T = ds.T[lo*tc : hi*tc]
		}
		shape = chunk.BatchShape(shape)
		tape.Reset()
		tape.NoGrad(func() {
			out := m.Forward(ops.Cast(tape.Wrap(chunk.X, shape...), dt))
			var l ag.Var
			if l, err = lossFn(out, &chunk); err != nil {
				return
			}
			if l.Len() != 1 {
				err = fmt.Errorf("the loss has shape %s; want one value, the mean over the batch", ag.FormatShape(l.Shape()))
				return
			}
			sum += l.Item() * float64(chunk.Rows)
			outs = appendFloat64s(outs[:0], out)
			mt.add(outs, chunk.Rows, chunk.Y, chunk.T)
		})
	}
	tape.Reset()
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	return sum / float64(ds.Rows), mt.value(), nil
}

// snapshot holds copies of parameter values, for KeepBest.
type snapshot struct {
	params []ag.Var
	f64    [][]float64
	f32    [][]float32
}

// take copies the values of params into s, reusing its storage, and returns it; a nil s is
// allocated.
func (s *snapshot) take(params []ag.Var) *snapshot {
	if s == nil {
		s = &snapshot{params: params, f64: make([][]float64, len(params)), f32: make([][]float32, len(params))}
	}
	for i, p := range params {
		if p.DType() == ag.Float32 {
			s.f32[i] = append(s.f32[i][:0], p.Data32()...)
		} else {
			s.f64[i] = append(s.f64[i][:0], p.Data64()...)
		}
	}
	return s
}

// restore writes the copied values back into the parameters.
func (s *snapshot) restore() {
	for i, p := range s.params {
		if p.DType() == ag.Float32 {
			copy(p.Data32(), s.f32[i])
		} else {
			copy(p.Data64(), s.f64[i])
		}
	}
}
