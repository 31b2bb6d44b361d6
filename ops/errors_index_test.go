package ops_test

import (
	"errors"
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestIndexErrors checks that misuse of the indexing operations panics with an *autograd.Error
// naming the op, the axis, the index and the size or shapes at fault, never with a runtime
// index-out-of-range panic from a kernel.
func TestIndexErrors(t *testing.T) {
	z := func(tp *ag.Tape, shape ...int) ag.Var { return tp.Zeros(ag.Float64, shape...) }
	cases := []struct {
		name string
		fn   func(tp *ag.Tape)
		kind error
		msg  string
	}{
		{"NewIndex shape", func(tp *ag.Tape) { ops.NewIndex([]int{1, 2, 3}, 2, 2) }, ag.ErrShape, "ops.NewIndex: 3 positions do not fill shape (2,2) (4 elements)"},
		{"NewIndex negative dim", func(tp *ag.Tape) { ops.NewIndex(nil, -1) }, ag.ErrShape, "ops.NewIndex: negative dimension in shape (-1)"},
		{"Gather out of range", func(tp *ag.Tape) { ops.Gather(z(tp, 2, 4), 1, ops.NewIndex([]int{0, 1, 3, 4}, 2, 2)) },
			ag.ErrValue, "ops.Gather: index 4 (element 3 of the index) is out of range for axis 1 of size 4"},
		{"Gather negative", func(tp *ag.Tape) { ops.Gather(z(tp, 2, 4), 0, ops.NewIndex([]int{0, -1}, 1, 2)) },
			ag.ErrValue, "ops.Gather: index -1 (element 1 of the index) is out of range for axis 0 of size 2"},
		{"Gather rank", func(tp *ag.Tape) { ops.Gather(z(tp, 2, 4), 1, ops.NewIndex([]int{0, 1})) },
			ag.ErrShape, "ops.Gather: index (2) and operand (2,4) differ in rank"},
		{"Gather larger", func(tp *ag.Tape) { ops.Gather(z(tp, 2, 4), 1, ops.NewIndex([]int{0, 1, 2}, 3, 1)) },
			ag.ErrShape, "ops.Gather: index (3,1) is larger than operand (2,4) in axis 0 (only axis 1 may differ)"},
		{"Gather axis", func(tp *ag.Tape) { ops.Gather(z(tp, 2, 4), 2, ops.NewIndex([]int{0}, 1, 1)) },
			ag.ErrValue, "ops.Gather: axis 2 out of range for shape (2,4)"},
		{"ScatterAdd src shape", func(tp *ag.Tape) { ops.ScatterAdd(z(tp, 2, 4), 1, ops.NewIndex([]int{0, 1}, 1, 2), z(tp, 2, 2)) },
			ag.ErrShape, "ops.ScatterAdd: src (2,2) and index (1,2) differ in shape"},
		{"ScatterAdd dtypes", func(tp *ag.Tape) {
			ops.ScatterAdd(z(tp, 2, 4), 1, ops.NewIndex([]int{0, 1}, 1, 2), tp.Zeros(ag.Float32, 1, 2))
		}, ag.ErrDType, "ops.ScatterAdd: a is float64, src is float32"},
		{"ScatterAdd out of range", func(tp *ag.Tape) { ops.ScatterAdd(z(tp, 2, 4), 0, ops.NewIndex([]int{2}, 1, 1), z(tp, 1, 1)) },
			ag.ErrValue, "ops.ScatterAdd: index 2 (element 0 of the index) is out of range for axis 0 of size 2"},
		{"IndexSelect out of range", func(tp *ag.Tape) { ops.IndexSelect(z(tp, 5, 3), 0, ops.NewIndex([]int{4, 5, 0})) },
			ag.ErrValue, "ops.IndexSelect: index 5 (element 1 of the index) is out of range for axis 0 of size 5"},
		{"IndexSelect nil", func(tp *ag.Tape) { ops.IndexSelect(ag.Var{}, 0, ops.NewIndex([]int{0})) },
			ag.ErrNilVar, "ops.IndexSelect: " + nilMsg},
		{"IndexAdd src shape", func(tp *ag.Tape) { ops.IndexAdd(z(tp, 5, 3), 0, ops.NewIndex([]int{1, 2}), z(tp, 2, 2)) },
			ag.ErrShape, "ops.IndexAdd: src (2,2) does not fit operand (5,3) and index (2) along axis 0: want (2,3)"},
		{"Take out of range", func(tp *ag.Tape) { ops.Take(z(tp, 2, 3), ops.NewIndex([]int{6})) },
			ag.ErrValue, "ops.Take: index 6 (element 0 of the index) is out of range for axis 0 of size 6"},
		{"SliceAxes twice", func(tp *ag.Tape) {
			ops.SliceAxes(z(tp, 2, 3), ops.Range{Axis: 1, Stop: 1}, ops.Range{Axis: -1, Stop: 2})
		},
			ag.ErrValue, "ops.SliceAxes: axis 1 of shape (2,3) is sliced twice"},
		{"SliceAxes axis", func(tp *ag.Tape) { ops.SliceAxes(z(tp, 2, 3), ops.Range{Axis: 2, Stop: 1}) },
			ag.ErrValue, "ops.SliceAxes: axis 2 out of range for shape (2,3)"},
		{"Flip twice", func(tp *ag.Tape) { ops.Flip(z(tp, 2, 3), 0, -2) }, ag.ErrValue, "ops.Flip: axes [0 -2] name axis 0 of shape (2,3) twice"},
		{"Cumsum axis", func(tp *ag.Tape) { ops.Cumsum(z(tp, 2, 3), 2) }, ag.ErrValue, "ops.Cumsum: axis 2 out of range for shape (2,3)"},
		{"Stack shapes", func(tp *ag.Tape) { ops.Stack(0, z(tp, 2, 3), z(tp, 3, 2)) }, ag.ErrShape, "ops.Stack: operand 1 has shape (3,2), operand 0 has (2,3)"},
		{"Stack none", func(tp *ag.Tape) { ops.Stack(0) }, ag.ErrValue, "ops.Stack: no operands"},
		{"Split sizes", func(tp *ag.Tape) { ops.Split(z(tp, 2, 5), 1, 2, 2) }, ag.ErrValue, "ops.Split: sizes [2 2] add up to 4, axis 1 of (2,5) has 5"},
		{"Chunk count", func(tp *ag.Tape) { ops.Chunk(z(tp, 2, 5), 0, 1) }, ag.ErrValue, "ops.Chunk: 0 chunks; want at least 1"},
		{"Unsqueeze axis", func(tp *ag.Tape) { ops.Unsqueeze(z(tp, 2, 5), 3) }, ag.ErrValue, "ops.Unsqueeze: axis 3 out of range for inserting into shape (2,5)"},
		{"Squeeze axis", func(tp *ag.Tape) { ops.Squeeze(z(tp, 1, 5), 2) }, ag.ErrValue, "ops.Squeeze: axis 2 out of range for shape (1,5)"},
		{"Expand", func(tp *ag.Tape) { ops.Expand(z(tp, 2, 1), 3, -1) }, ag.ErrShape, "ops.Expand: (2,1) does not broadcast to (3,1)"},
		{"Expand leading -1", func(tp *ag.Tape) { ops.Expand(z(tp, 2), -1, 2) }, ag.ErrShape, "ops.Expand: −1 in the new leading axis 0 of (-1,2)"},
		{"Repeat short", func(tp *ag.Tape) { ops.Repeat(z(tp, 2, 3), 2) }, ag.ErrShape, "ops.Repeat: 1 repeats for shape (2,3); want at least its rank"},
		{"Tile negative", func(tp *ag.Tape) { ops.Tile(z(tp, 2, 3), -1) }, ag.ErrValue, "ops.Tile: negative count in [1 -1]"},
		{"Roll axis", func(tp *ag.Tape) { ops.Roll(z(tp, 2, 3), 1, 2) }, ag.ErrValue, "ops.Roll: axis 2 out of range for shape (2,3)"},
		{"Tril rank", func(tp *ag.Tape) { ops.Tril(z(tp, 3), 0) }, ag.ErrShape, "ops.Tril: (3) has fewer than two axes"},
		{"MaskedFill mask", func(tp *ag.Tape) { ops.MaskedFill(z(tp, 3), z(tp, 2, 3), 1) }, ag.ErrShape, "ops.MaskedFill: mask (2,3) does not broadcast to (3)"},
		{"ArgMax empty", func(tp *ag.Tape) { ops.ArgMax(z(tp, 2, 0), 1) }, ag.ErrShape, "ops.ArgMax: empty axis 1 of (2,0)"},
		{"ArgMin axis", func(tp *ag.Tape) { ops.ArgMin(z(tp, 2, 3), -3) }, ag.ErrValue, "ops.ArgMin: axis -3 out of range for shape (2,3)"},
		{"TopK k", func(tp *ag.Tape) { ops.TopK(z(tp, 2, 3), 4, 1) }, ag.ErrValue, "ops.TopK: k = 4 is outside [0, 3] for axis 1 of (2,3)"},
		{"Var axes", func(tp *ag.Tape) { ops.Var(z(tp, 2, 3), 1, 0, 0) }, ag.ErrValue, "ops.Var: axes [0 0] name axis 0 of shape (2,3) twice"},
		{"Norm p", func(tp *ag.Tape) { ops.Norm(z(tp, 2, 3), 3) }, ag.ErrValue, "ops.Norm: p = 3; want 1, 2 or +Inf"},
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

// TestIndexOf checks the conversion of a float tensor to positions: integers pass, a fraction,
// NaN or infinity is a typed error naming the element.
func TestIndexOf(t *testing.T) {
	tp := ag.NewTape()
	x, err := ops.IndexOf(tp.Const([]float64{3, 0, -1, 7}, 2, 2))
	if err != nil {
		t.Fatalf("IndexOf(integers) = %v, want nil", err)
	}
	if got, want := x.Ints(), []int{3, 0, -1, 7}; !equalInts(got, want) || !equalInts(x.Shape(), []int{2, 2}) {
		t.Errorf("IndexOf(integers) = %v %v, want %v (2,2)", got, x.Shape(), want)
	}
	for _, bad := range []float64{2.5, math.NaN(), math.Inf(1), 1e17} {
		_, err := ops.IndexOf(tp.Const32([]float32{1, float32(bad)}))
		var e *ag.Error
		if !errors.As(err, &e) || !errors.Is(err, ag.ErrValue) {
			t.Errorf("IndexOf([1 %g]) = %v, want an *autograd.Error wrapping ErrValue", bad, err)
		}
	}
	_, err = ops.IndexOf(tp.Const([]float64{0.5}))
	if want := "ops.IndexOf: element 0 of the float64 index (1) is 0.5, not an integer"; err == nil || err.Error() != want {
		t.Errorf("IndexOf([0.5]) = %v, want %q", err, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIndexZero checks that the zero Index is an empty vector that selects nothing.
func TestIndexZero(t *testing.T) {
	var x ops.Index
	if lo, hi := x.Bounds(); x.Len() != 0 || !equalInts(x.Shape(), []int{0}) || lo != 0 || hi != -1 {
		t.Errorf("zero Index: Len %d, Shape %v, Bounds (%d, %d); want 0, [0], (0, -1)", x.Len(), x.Shape(), lo, hi)
	}
	tp := ag.NewTape()
	y := ops.IndexSelect(tp.Variable([]float64{1, 2, 3, 4}, 2, 2), 0, x)
	if !equalInts(y.Shape(), []int{0, 2}) {
		t.Errorf("IndexSelect(a (2,2), zero Index) has shape %v, want (0,2)", y.Shape())
	}
}
