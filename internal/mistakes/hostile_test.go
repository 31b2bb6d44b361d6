package mistakes

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"math"
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

// digitsLike is a small labelled data set for Fit.
func digitsLike() data.Dataset {
	return data.Dataset{X: []float64{0, 1, 1, 0, 1, 1, 0, 0}, Y: []int{1, 1, 0, 0}, Rows: 4, Cols: 2}
}

func sgd(m layers.Module) *optim.SGD {
	o, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	if err != nil {
		panic(err)
	}
	return o
}

// hostileMistakes are the mistakes and hostile inputs of issue 14: sizes that overflow, nil and
// invalid values, silent wrong results turned into errors, crafted files.
func hostileMistakes() []mistake {
	return []mistake{
		// Sizes.
		{"Const of 2^32 x 2^32 elements", p(func(*ag.Tape) { ag.Const(nil, 1<<32, 1<<32) }), ag.ErrShape,
			"autograd.Tape.Const: shape (4294967296,4294967296) has more than MaxElements (2^40) elements"},
		{"Zeros beyond MaxElements", p(func(tp *ag.Tape) { tp.Zeros(ag.Float64, 1<<30, 1<<30) }), ag.ErrShape,
			"autograd.Tape.Zeros: shape (1073741824,1073741824) has more than MaxElements (2^40) elements"},
		{"Pad by 2^62", p(func(tp *ag.Tape) { ops.Pad(z(tp, 2), 0, 1<<62, 0) }), ag.ErrShape,
			"ops.Pad: padding 4611686018427387904, 0 of (2) makes more than MaxElements (2^40) elements"},
		{"OneHot of 2^62 classes", p(func(tp *ag.Tape) { ops.OneHot(tp, ag.Float64, []int{1, 2, 3}, 1<<62) }), ag.ErrShape,
			"ops.OneHot: 3 labels of 4611686018427387904 classes make more than MaxElements (2^40) elements"},
		{"NewLinear 2^40 x 2^40", p(func(*ag.Tape) { layers.NewLinear(1<<40, 1<<40) }), layers.ErrSize,
			"layers.NewLinear: input size 1099511627776 × output size 1099511627776 make more than autograd.MaxElements (2^40) weights"},

		// Nil and invalid values.
		{"Zeros of DType(0)", p(func(tp *ag.Tape) { tp.Zeros(ag.DType(0), 2) }), ag.ErrDType,
			"autograd.Tape.Zeros: invalid dtype 0; want autograd.Float64 or autograd.Float32"},
		{"NoGrad on TapeOf(param)", p(func(*ag.Tape) { ops.TapeOf(ag.NewParam(nil, 1)).NoGrad(func() {}) }), ag.ErrValue,
			"autograd.Tape.NoGrad: nil *Tape: operations on parameters and heap values alone are always recorded; use Detach, or a tape from NewTape"},
		{"NewResult with a nil op", p(func(tp *ag.Tape) { ag.NewResult(nil, ag.Float64, []int{2}, z(tp, 2)) }), ag.ErrValue, "autograd.NewResult: nil *Op"},
		{"NewResult with a negative shape", p(func(tp *ag.Tape) { ag.NewResult(&ag.Op{Name: "my.Op"}, ag.Float64, []int{2, -1}, z(tp, 2)) }), ag.ErrShape,
			"my.Op: negative dimension in shape (2,-1)"},
		{"WrapParam with too few values", p(func(*ag.Tape) { ag.WrapParam(nil, 2) }), ag.ErrShape, "autograd.WrapParam: 0 values do not fill shape (2) (2 elements)"},
		{"NewSequential with a nil layer", p(func(*ag.Tape) { layers.NewSequential(layers.NewLinear(2, 2), nil) }), ag.ErrValue,
			"layers.NewSequential: layer 1 is nil"},
		{"Sequential literal with a nil layer", p(func(tp *ag.Tape) { (&layers.Sequential{Layers: []layers.Module{nil}}).Forward(z(tp, 1, 2)) }), ag.ErrValue,
			"layers.Sequential: layer 0 is nil"},
		{"NewMLP with a nil activation", p(func(*ag.Tape) { layers.NewMLP([]int{2, 3, 1}, nil, layers.LinearHead) }), ag.ErrValue,
			"layers.NewMLP: nil hidden activation for 1 hidden layers; pass one such as layers.ReLU{}"},
		{"Save(nil)", ef(func(dir string) error {
			return ag.Maybe(func() { checkpoint.Save(filepath.Join(dir, "m.npz"), nil) })
		}), ag.ErrValue, "checkpoint.Save: nil model (<nil>)"},
		{"Load into a nil *MLP", ef(func(dir string) error {
			var m *layers.MLP
			return ag.Maybe(func() { checkpoint.Load(filepath.Join(dir, "m.npz"), m) })
		}), ag.ErrValue, "checkpoint.Load: nil model (*layers.MLP)"},
		{"Load with a typed-nil optimizer", ef(func(dir string) error {
			m := layers.NewLinear(2, 1)
			path := filepath.Join(dir, "m.npz")
			if err := checkpoint.Save(path, m); err != nil {
				return err
			}
			var o *optim.Adam
			return ag.Maybe(func() { checkpoint.Load(path, m, o) })
		}), ag.ErrValue, "checkpoint.Load: nil optimizer (*optim.Adam); pass none to leave the optimizer out"},
		{"Fit with a typed-nil optimizer", e(func(*ag.Tape) error {
			var o *optim.SGD
			return second(train.Fit(layers.NewLinear(2, 2), o, digitsLike(), train.Config{Epochs: 1, BatchSize: 2}))
		}), train.ErrConfig, "train.Fit: model *layers.Linear, optimizer *optim.SGD: want both non-nil"},
		{"StepLR of a typed-nil optimizer", e(func(*ag.Tape) error {
			var o *optim.Adam
			return second(optim.NewStepLR(o, 1, 0.5))
		}), optim.ErrHyper, "optim.NewStepLR: nil optimizer; pass the optimizer whose learning rate to schedule"},
		{"Accuracy of a nil *MLP", e(func(*ag.Tape) error {
			var m *layers.MLP
			return second(train.Accuracy(m, digitsLike()))
		}), train.ErrConfig, "train.Accuracy: nil model (*layers.MLP)"},
		{"ParallelGrad of a nil model", e(func(*ag.Tape) error {
			return second(train.ParallelGrad(nil, nil, digitsLike(), []int{0, 1}, 2))
		}), train.ErrConfig, "train.ParallelGrad: nil model (<nil>)"},
		{"Dataset whose Rows do not match X", p(func(*ag.Tape) {
			d := data.Dataset{X: []float64{1, 2}, Rows: 3, Cols: 1}
			d.Row(2)
		}), data.ErrLength, "data.Dataset.Row: data set of 3 rows × 1 columns needs 3 values in X, has 2"},
		{"FitScaler of a Dataset whose Y is short", e(func(*ag.Tape) error {
			return second(data.FitScaler(data.Dataset{X: []float64{1, 2}, Y: []int{0}, Rows: 2, Cols: 1}))
		}), data.ErrLength, "data: data set of 2 rows has 1 labels in Y; want one per row"},

		// Silent wrong results, now errors.
		{"BCE target 2", e(func(tp *ag.Tape) error {
			return second(losses.BCE(tp.Const([]float64{0.9, 0.5}, 2), tp.Const([]float64{1, 2}, 2)))
		}), losses.ErrTarget, "losses.BCE: target 2 at element 1 of (2) is outside [0, 1]"},
		{"BCE target NaN", e(func(tp *ag.Tape) error {
			return second(losses.BCE(tp.Const([]float64{0.9}, 1), tp.Const([]float64{math.NaN()}, 1)))
		}), losses.ErrTarget, "losses.BCE: target NaN at element 0 of (1) is outside [0, 1]"},
		{"optimizer given a parameter twice", e(func(*ag.Tape) error {
			w := ag.NewParam([]float64{1})
			return second(optim.NewSGD([]ag.Var{w, ag.NewParam(nil, 1), w}, optim.SGDConfig{LR: 0.1}))
		}), optim.ErrParam, "optim.NewSGD: parameter 2 is parameter 0 again; each would be updated twice per step"},
		{"LeakyReLU slope NaN", p(func(tp *ag.Tape) { ops.LeakyReLU(z(tp, 2), math.NaN()) }), ag.ErrValue, "ops.LeakyReLU: slope NaN; want a finite value"},
		{"Clamp bound NaN", p(func(tp *ag.Tape) { ops.Clamp(z(tp, 2), math.NaN(), 1) }), ag.ErrValue,
			"ops.Clamp: bounds NaN, 1; want numbers (±Inf leaves a side open)"},
		{"Fit with StepLR γ = 1e300", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2, layers.WithSeed(1))
			o := sgd(m)
			s, err := optim.NewStepLR(o, 1, 1e300)
			if err != nil {
				return err
			}
			return second(train.Fit(m, o, digitsLike(), train.Config{Epochs: 3, BatchSize: 2, Schedule: s}))
		}), optim.ErrLR, "train.Fit: the schedule after epoch 2: optim.SGD.SetLR: learning rate +Inf; want a finite value ≥ 0"},
		{"Fit with ClipNorm NaN", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			return second(train.Fit(m, sgd(m), digitsLike(), train.Config{Epochs: 1, BatchSize: 2, ClipNorm: math.NaN()}))
		}), train.ErrConfig, "train.Fit: ClipNorm NaN; want a value ≥ 0 (0 turns clipping off)"},
		{"Fit with ClipNorm -1", e(func(*ag.Tape) error {
			m := layers.NewLinear(2, 2)
			return second(train.Fit(m, sgd(m), digitsLike(), train.Config{Epochs: 1, BatchSize: 2, ClipNorm: -1}))
		}), train.ErrConfig, "train.Fit: ClipNorm -1; want a value ≥ 0 (0 turns clipping off)"},

		// Hostile files.
		{"CSV line of 2 MB", e(func(*ag.Tape) error {
			return second(data.ReadCSV(strings.NewReader(strings.Repeat(",", 2<<20))))
		}), data.ErrValue, "data: line 1: record longer than 1048576 bytes (see data.MaxLineBytes)"},
		{"CSV error quoting a 100 KB field", e(func(*ag.Tape) error {
			return second(data.ReadCSV(strings.NewReader(strings.Repeat("x", 100000)+",1\n"), data.MaxFieldBytes(1<<20)))
		}), data.ErrValue, `data: line 1, column 1: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (100000 bytes) is not a finite number`},
		{"npz header length 0xFFFFFFFF", e(func(*ag.Tape) error {
			pre := []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr': '<f8'")
			return second(npz.Read(rawMember("x.npy", deflate(pre), 20000)))
		}), npz.ErrHeader, "npz: array \"x\": corrupted .npy header: header length 4294967295 exceeds the limit of 10000 bytes"},
		{"npz member declaring 1 TB from 34 bytes", e(func(*ag.Tape) error {
			pre := []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr': '<f8'")
			return second(npz.Read(rawMember("x.npy", deflate(pre), 1<<40)))
		}), npz.ErrMember, "npz: array \"x\": invalid archive member: member declares 1099511627776 bytes from 34 compressed, more than deflate expands to"},
		{"Load of a 32 MB array for a 2x2 parameter", ef(func(dir string) error {
			path := filepath.Join(dir, "bomb.npz")
			b := npyOf("{'descr': '<f8', 'fortran_order': False, 'shape': (4194304,), }", make([]byte, 32<<20))
			r, _ := rawMember("weight.npy", deflate(b), uint64(len(b)))
			raw := make([]byte, r.Size())
			r.ReadAt(raw, 0)
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				return err
			}
			return checkpoint.Load(path, layers.NewLinear(2, 2))
		}), checkpoint.ErrMismatch, "checkpoint.Load: DIR/bomb.npz: parameter \"weight\": shape (4194304) in the file, (2,2) in the model (PyTorch's layout; gograd holds it as (2,2))"},
	}
}

// deflate compresses b.
func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// rawMember returns a reader of an archive of one deflated member whose central directory
// declares size uncompressed bytes (and a CRC of 0), and its size.
func rawMember(name string, deflated []byte, size uint64) (*bytes.Reader, int64) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(len(deflated)), UncompressedSize64: size})
	if err != nil {
		panic(err)
	}
	w.Write(deflated)
	z.Close()
	return bytes.NewReader(buf.Bytes()), int64(buf.Len())
}

// TestHostileMistakes runs the rows of hostileMistakes as TestMistakes runs its own.
func TestHostileMistakes(t *testing.T) { runMistakes(t, hostileMistakes()) }
