package autograd_test

import (
	"errors"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// TestHostileValues: shapes whose element count overflows int or exceeds MaxElements, invalid
// dtypes and nil values are typed errors naming the function.
func TestHostileValues(t *testing.T) {
	var nilTape *ag.Tape
	for _, tc := range []struct {
		name string
		fn   func()
		kind error
		msg  string
	}{
		{"Const 2³²×2³² (length 0 after overflow)", func() { ag.Const(nil, 1<<32, 1<<32) }, ag.ErrShape,
			"autograd.Tape.Const: shape (4294967296,4294967296) has more than MaxElements (2^40) elements"},
		{"Zeros beyond MaxElements", func() { ag.NewTape().Zeros(ag.Float32, 1<<21, 1<<20) }, ag.ErrShape,
			"autograd.Tape.Zeros: shape (2097152,1048576) has more than MaxElements (2^40) elements"},
		{"NewParam 2⁶²×4", func() { ag.NewParam(nil, 1<<62, 4) }, ag.ErrShape,
			"autograd.NewParam: shape (4611686018427387904,4) has more than MaxElements (2^40) elements"},
		{"Zeros negative after a zero", func() { ag.NewTape().Zeros(ag.Float64, 0, -3) }, ag.ErrShape,
			"autograd.Tape.Zeros: negative dimension in shape (0,-3)"},
		{"Zeros of DType(0)", func() { ag.NewTape().Zeros(ag.DType(0), 2) }, ag.ErrDType,
			"autograd.Tape.Zeros: invalid dtype 0; want autograd.Float64 or autograd.Float32"},
		{"Full of DType(9)", func() { ag.Full(ag.DType(9), 1, 2) }, ag.ErrDType,
			"autograd.Tape.Full: invalid dtype 9; want autograd.Float64 or autograd.Float32"},
		{"nil *Tape NoGrad", func() { nilTape.NoGrad(func() {}) }, ag.ErrValue,
			"autograd.Tape.NoGrad: nil *Tape: operations on parameters and heap values alone are always recorded; use Detach, or a tape from NewTape"},
		{"nil *Tape anomaly detection", func() { nilTape.SetAnomalyDetection(true) }, ag.ErrValue,
			"autograd.Tape.SetAnomalyDetection: nil *Tape: anomaly detection needs a tape from NewTape"},
		{"NewResult with a nil op", func() { ag.NewResult(nil, ag.Float64, []int{2}, ag.NewParam(nil, 2)) }, ag.ErrValue,
			"autograd.NewResult: nil *Op"},
		{"NewResult with a negative shape", func() { ag.NewResult(&ag.Op{Name: "mine"}, ag.Float64, []int{-2}, ag.NewParam(nil, 2)) }, ag.ErrShape,
			"mine: negative dimension in shape (-2)"},
		{"NewResult with an invalid dtype", func() { ag.NewResult(&ag.Op{Name: "mine"}, ag.DType(3), []int{2}, ag.NewParam(nil, 2)) }, ag.ErrDType,
			"mine: invalid dtype 3; want autograd.Float64 or autograd.Float32"},
		{"ScalarResult with a nil op", func() { ag.ScalarResult(nil, ag.Scalar(1), ag.Scalar(2), func(x, y float64) float64 { return x }) }, nil, ""},
		{"View with a nil op", func() { ag.View(nil, ag.NewParam(nil, 2), []int{2}) }, ag.ErrValue, "autograd.View: nil *Op"},
		{"WrapParam(nil, 2)", func() { ag.WrapParam(nil, 2) }, ag.ErrShape, "autograd.WrapParam: 0 values do not fill shape (2) (2 elements)"},
		{"Pad beyond MaxElements", func() { ops.Pad(ag.NewTape().Zeros(ag.Float64, 2, 2), 0, 1<<62, 1<<62) }, ag.ErrShape,
			"ops.Pad: padding 4611686018427387904, 4611686018427387904 of (2,2) makes more than MaxElements (2^40) elements"},
		{"OneHot beyond MaxElements", func() { ops.OneHot(nil, ag.Float64, []int{0, 1}, 1<<62) }, ag.ErrShape,
			"ops.OneHot: 2 labels of 4611686018427387904 classes make more than MaxElements (2^40) elements"},
		{"Reshape beyond MaxElements", func() { ops.Reshape(ag.NewTape().Zeros(ag.Float64, 0), 1<<62, 1<<62, 0) }, ag.ErrShape,
			"ops.Reshape: shape (4611686018427387904,4611686018427387904,0) has more than MaxElements (2^40) elements"},
	} {
		err := ag.Maybe(tc.fn)
		if tc.kind == nil { // ScalarResult declines, leaving the report to NewResult
			if err != nil {
				t.Errorf("%s: %v, want no panic", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, tc.kind) || err.Error() != tc.msg {
			t.Errorf("%s: got %v, want %q matching %v", tc.name, err, tc.msg, tc.kind)
		}
	}
}

// TestNilTapeQueries: what TapeOf returns for a parameter answers the queries that make sense
// for heap values.
func TestNilTapeQueries(t *testing.T) {
	tp := ops.TapeOf(ag.NewParam([]float64{1}))
	if tp != nil {
		t.Fatalf("TapeOf(param) = %p, want nil", tp)
	}
	if err := ag.Maybe(func() {
		tp.Reset()
		tp.SetAnomalyDetection(false)
		if n, rec := tp.Len(), tp.Recording(); n != 0 || !rec {
			t.Errorf("nil *Tape: Len %d, Recording %v; want 0 and true", n, rec)
		}
	}); err != nil {
		t.Errorf("nil *Tape: %v", err)
	}
}

// TestSeedNeverAliasesAGradient: a parameter's gradient never shares storage with the caller's
// seed (it did when the seed was an op's result and the rules passed it through unchanged:
// ClipGradNorm then scaled the seed, and writing the seed changed the gradient).
func TestSeedNeverAliasesAGradient(t *testing.T) {
	p := ag.NewParam([]float64{1, 2, 3})
	loss := ops.Add(p, ag.Const([]float64{0, 0, 0}))
	seed := ops.MulScalar(ag.Const([]float64{3, 4, 0}), 1) // an op's result, as a seed often is
	if err := ag.Backward(loss, ag.Seed(seed)); err != nil {
		t.Fatal(err)
	}
	optim.ClipGradNorm([]ag.Var{p}, 1) // scales p's gradient in place
	if got := seed.Data64(); got[0] != 3 || got[1] != 4 {
		t.Errorf("after clipping p's gradient the seed is %v, want [3 4 0]", got)
	}
	seed.Data64()[2] = 100
	if g := p.Grad().Data64()[2]; g != 0 {
		t.Errorf("writing the seed changed p's gradient to %v, want 0", g)
	}
}
