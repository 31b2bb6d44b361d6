package ops_test

import (
	"errors"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestConvErrors checks that misuse of the convolutions and pools panics with an
// *autograd.Error that names the op, the shapes and the value at fault, wraps the right
// sentinel, and has exactly the documented message.
func TestConvErrors(t *testing.T) {
	z := func(tp *ag.Tape, s ...int) ag.Var { return tp.Zeros(ag.Float64, s...) }
	one, zero := [2]int{1, 1}, [2]int{0, 0}
	cases := []struct {
		name string
		fn   func(tp *ag.Tape)
		kind error
		msg  string
	}{
		{"Conv2d rank", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, zero, one, 1) },
			ag.ErrShape, "ops.Conv2d: input (2,3,5); want (N, C, H, W)"},
		{"Conv2d weight rank", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3), ag.Var{}, one, zero, one, 1) },
			ag.ErrShape, "ops.Conv2d: weight (4,3,3) for input (2,3,5,5); want rank 4 (out, in/groups, kernel...)"},
		{"Conv2d channels", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 2, 3, 3), ag.Var{}, one, zero, one, 1) },
			ag.ErrShape, "ops.Conv2d: weight (4,2,3,3) for input (2,3,5,5) with groups 1; want 3 input channels per group (axis 1)"},
		{"Conv2d groups", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 1, 3, 3), ag.Var{}, one, zero, one, 2) },
			ag.ErrValue, "ops.Conv2d: groups 2 for input (2,3,5,5) and weight (4,1,3,3); want a positive divisor of the 3 input and 4 output channels"},
		{"Conv2d groups 0", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, zero, one, 0) },
			ag.ErrValue, "ops.Conv2d: groups 0 for input (2,3,5,5) and weight (4,3,3,3); want a positive divisor of the 3 input and 4 output channels"},
		{"Conv2d bias", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), z(tp, 3), one, zero, one, 1) },
			ag.ErrShape, "ops.Conv2d: bias (3) for weight (4,3,3,3); want (4)"},
		{"Conv2d dtypes", func(tp *ag.Tape) {
			ops.Conv2d(z(tp, 2, 3, 5, 5), tp.Zeros(ag.Float32, 4, 3, 3, 3), ag.Var{}, one, zero, one, 1)
		}, ag.ErrDType, "ops.Conv2d: input float64, weight float32; convert one with ops.Cast"},
		{"Conv2d stride 0", func(tp *ag.Tape) {
			ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), ag.Var{}, [2]int{1, 0}, zero, one, 1)
		},
			ag.ErrValue, "ops.Conv2d: stride (1,0); want values in [1, 32767]"},
		{"Conv2d dilation 0", func(tp *ag.Tape) { ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, zero, zero, 1) },
			ag.ErrValue, "ops.Conv2d: dilation (0,0); want values in [1, 32767]"},
		{"Conv2d padding", func(tp *ag.Tape) {
			ops.Conv2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, [2]int{-1, 0}, one, 1)
		},
			ag.ErrValue, "ops.Conv2d: padding (-1,0); want values in [0, 32767]"},
		{"Conv2d kernel too large", func(tp *ag.Tape) {
			ops.Conv2d(z(tp, 2, 3, 4, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, zero, [2]int{2, 1}, 1)
		},
			ag.ErrShape, "ops.Conv2d: input (2,3,4,5): the kernel (3,3) with dilation (2,1) spans 5×3, larger than the padded input 4×5 (padding (0,0))"},
		{"Conv1d rank", func(tp *ag.Tape) { ops.Conv1d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3), ag.Var{}, 1, 0, 1, 1) },
			ag.ErrShape, "ops.Conv1d: input (2,3,5,5); want (N, C, L)"},
		{"Conv1d stride 0", func(tp *ag.Tape) { ops.Conv1d(z(tp, 2, 3, 5), z(tp, 4, 3, 3), ag.Var{}, 0, 0, 1, 1) },
			ag.ErrValue, "ops.Conv1d: stride 0; want a value in [1, 32767]"},
		{"Conv1d kernel too large", func(tp *ag.Tape) { ops.Conv1d(z(tp, 2, 3, 2), z(tp, 4, 3, 3), ag.Var{}, 1, 0, 1, 1) },
			ag.ErrShape, "ops.Conv1d: input (2,3,2): the kernel 3 with dilation 1 spans 3, longer than the padded input 2 (padding 0)"},
		{"Conv1d kernel 0", func(tp *ag.Tape) { ops.Conv1d(z(tp, 2, 3, 2), z(tp, 4, 3, 0), ag.Var{}, 1, 0, 1, 1) },
			ag.ErrShape, "ops.Conv1d: weight (4,3,0): kernel size 0; want a value in [1, 32767]"},
		{"ConvTranspose2d channels", func(tp *ag.Tape) {
			ops.ConvTranspose2d(z(tp, 2, 3, 5, 5), z(tp, 4, 3, 3, 3), ag.Var{}, one, zero, zero, one, 1)
		}, ag.ErrShape, "ops.ConvTranspose2d: weight (4,3,3,3) for input (2,3,5,5); want 3 input channels (axis 0)"},
		{"ConvTranspose2d groups", func(tp *ag.Tape) {
			ops.ConvTranspose2d(z(tp, 2, 3, 5, 5), z(tp, 3, 3, 3, 3), ag.Var{}, one, zero, zero, one, 2)
		}, ag.ErrValue, "ops.ConvTranspose2d: groups 2 for input (2,3,5,5); want a positive divisor of the 3 input channels"},
		{"ConvTranspose2d output padding", func(tp *ag.Tape) {
			ops.ConvTranspose2d(z(tp, 2, 3, 5, 5), z(tp, 3, 3, 3, 3), ag.Var{}, [2]int{2, 2}, zero, [2]int{2, 0}, one, 1)
		}, ag.ErrValue, "ops.ConvTranspose2d: output padding (2,0) with stride (2,2) and dilation (1,1); want values in [0, max(stride, dilation))"},
		{"ConvTranspose2d empty", func(tp *ag.Tape) {
			ops.ConvTranspose2d(z(tp, 2, 3, 1, 1), z(tp, 3, 3, 1, 1), ag.Var{}, one, one, zero, one, 1)
		}, ag.ErrShape, "ops.ConvTranspose2d: input (2,3,1,1), weight (3,3,1,1) with stride (1,1), padding (1,1), dilation (1,1): output -1×-1 is empty"},
		{"ConvTranspose2d bias", func(tp *ag.Tape) {
			ops.ConvTranspose2d(z(tp, 2, 3, 5, 5), z(tp, 3, 2, 3, 3), z(tp, 3), one, zero, zero, one, 1)
		}, ag.ErrShape, "ops.ConvTranspose2d: bias (3) for weight (3,2,3,3); want (2)"},
		{"MaxPool2d rank", func(tp *ag.Tape) { ops.MaxPool2d(z(tp, 3, 5, 5), [2]int{2, 2}, [2]int{2, 2}, zero, one) },
			ag.ErrShape, "ops.MaxPool2d: input (3,5,5); want (N, C, H, W)"},
		{"MaxPool2d kernel too large", func(tp *ag.Tape) { ops.MaxPool2d(z(tp, 1, 3, 2, 5), [2]int{3, 3}, one, zero, one) },
			ag.ErrShape, "ops.MaxPool2d: input (1,3,2,5): the kernel (3,3) with dilation (1,1) spans 3×3, larger than the padded input 2×5 (padding (0,0))"},
		{"MaxPool2d padding", func(tp *ag.Tape) { ops.MaxPool2d(z(tp, 1, 3, 5, 5), [2]int{2, 2}, one, [2]int{2, 1}, one) },
			ag.ErrValue, "ops.MaxPool2d: padding (2,1) with kernel (2,2); want at most half the kernel"},
		{"AvgPool2d stride 0", func(tp *ag.Tape) { ops.AvgPool2d(z(tp, 1, 3, 5, 5), [2]int{2, 2}, zero, zero) },
			ag.ErrValue, "ops.AvgPool2d: stride (0,0); want values in [1, 32767]"},
		{"AdaptiveAvgPool2d size", func(tp *ag.Tape) { ops.AdaptiveAvgPool2d(z(tp, 1, 3, 5, 5), 0, 1) },
			ag.ErrValue, "ops.AdaptiveAvgPool2d: output size 0×1 for input (1,3,5,5); want at least 1×1"},
		{"FlattenFrom axis", func(tp *ag.Tape) { ops.FlattenFrom(z(tp, 2, 3), 2) },
			ag.ErrValue, "ops.FlattenFrom: axis 2 out of range for shape (2,3)"},
		{"Im2col rank", func(tp *ag.Tape) { ops.Im2col(z(tp, 3, 5, 5), ops.Window(2, 1, 0, 1), 0) },
			ag.ErrShape, "ops.Im2col: input (3,5,5); want (N, C, H, W)"},
		{"Col2im rows", func(tp *ag.Tape) { ops.Col2im(z(tp, 1, 5, 16), ops.Window(2, 1, 0, 1), 5, 5) },
			ag.ErrShape, "ops.Col2im: columns (1,5,16) with kernel (2,2) stride (1,1) padding (0,0) dilation (1,1): 5 rows are not a multiple of 4 taps"},
		{"Col2im columns", func(tp *ag.Tape) { ops.Col2im(z(tp, 1, 4, 15), ops.Window(2, 1, 0, 1), 5, 5) },
			ag.ErrShape, "ops.Col2im: columns (1,4,15) for an output 5×5 with kernel (2,2) stride (1,1) padding (0,0) dilation (1,1): 15 columns; want 16 window positions"},
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
