package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Pooling, composed from Im2col and the reductions: the windows are unfolded to an axis of their
// own, (N, C, kh·kw, OH·OW), and reduced over it.

// MaxPool2d returns the maximum of x, an (N, C, H, W) batch, over each window: shape
// (N, C, OH, OW), as torch.nn.functional.max_pool2d with ceil_mode off. Padding taps count as −Inf.
// The gradient goes to the element that attains a window's maximum; where several tie it is split
// evenly between them (PyTorch gives all of it to one). MaxPool2d panics with an *autograd.Error if
// x is not 4-D, the window is invalid (see Im2col), or the padding exceeds half the kernel, as in
// PyTorch.
func MaxPool2d(x ag.Var, kernel, stride, padding, dilation [2]int) ag.Var {
	const op = "ops.MaxPool2d"
	w := Window2d{kernel, stride, padding, dilation}
	n, c, oh, ow := checkPool(op, x, w)
	cols := Reshape(Im2col(x, w, math.Inf(-1)), n, c, kernel[0]*kernel[1], oh*ow)
	return Reshape(MaxKeepDims(cols, 2), n, c, oh, ow)
}

// AvgPool2d returns the mean of x, an (N, C, H, W) batch, over each window: shape (N, C, OH, OW),
// as torch.nn.functional.avg_pool2d with ceil_mode off and count_include_pad on: padding taps
// count as zeros and every window is divided by kh·kw. AvgPool2d panics as MaxPool2d does.
func AvgPool2d(x ag.Var, kernel, stride, padding [2]int) ag.Var {
	const op = "ops.AvgPool2d"
	w := Window2d{kernel, stride, padding, [2]int{1, 1}}
	n, c, oh, ow := checkPool(op, x, w)
	kk := kernel[0] * kernel[1]
	cols := Reshape(Im2col(x, w, 0), n, c, kk, oh*ow)
	return Reshape(MulScalar(SumKeepDims(cols, 2), 1/float64(kk)), n, c, oh, ow)
}

// checkPool checks a pooling window against x and returns the output's shape.
func checkPool(op string, x ag.Var, w Window2d) (n, c, oh, ow int) {
	s := x.Operand(op).Shape
	if len(s) != 4 {
		ag.Panicf(op, ag.ErrShape, "input %s; want (N, C, H, W)", shapeStr(s))
	}
	checkWindow(op, w)
	for i := range 2 {
		if 2*w.Padding[i] > w.Kernel[i] {
			ag.Panicf(op, ag.ErrValue, "padding %s with kernel %s; want at most half the kernel", pair(w.Padding), pair(w.Kernel))
		}
	}
	oh, ow = windowOutput(op, "input", s, w)
	return s[0], s[1], oh, ow
}

// AdaptiveAvgPool2d returns the mean of x, an (N, C, H, W) batch, over an oh×ow grid of windows
// covering it: shape (N, C, oh, ow), as torch.nn.functional.adaptive_avg_pool2d. Window i along
// an axis of length n spans [⌊i·n/oh⌋, ⌈(i+1)·n/oh⌉). AdaptiveAvgPool2d(x, 1, 1) is the global
// average pool. It panics if x is not 4-D or oh, ow are below 1.
func AdaptiveAvgPool2d(x ag.Var, oh, ow int) ag.Var {
	const op = "ops.AdaptiveAvgPool2d"
	s := x.Operand(op).Shape
	if len(s) != 4 {
		ag.Panicf(op, ag.ErrShape, "input %s; want (N, C, H, W)", shapeStr(s))
	}
	if oh < 1 || ow < 1 {
		ag.Panicf(op, ag.ErrValue, "output size %d×%d for input %s; want at least 1×1", oh, ow, shapeStr(s))
	}
	if oh == 1 && ow == 1 {
		return MeanKeepDims(x, 2, 3)
	}
	// A window's mean is the mean over its rows of the means over its columns: pool the rows,
	// then the columns.
	return adaptiveMean(adaptiveMean(x, 2, oh), 3, ow)
}

// adaptiveMean averages x over out windows along axis ax.
func adaptiveMean(x ag.Var, ax, out int) ag.Var {
	n := x.Shape()[ax]
	if n == out {
		return x
	}
	parts := make([]ag.Var, out)
	for i := range parts {
		lo, hi := i*n/out, ((i+1)*n+out-1)/out
		parts[i] = MeanKeepDims(Slice(x, ax, lo, hi), ax)
	}
	return Concat(ax, parts...)
}

// FlattenFrom reshapes a so that the axes from axis on become one, as torch.flatten(a, axis):
// an (N, C, H, W) batch flattened from 1 is (N, C·H·W). A negative axis counts from the end.
// FlattenFrom panics if axis is out of range.
func FlattenFrom(a ag.Var, axis int) ag.Var {
	const op = "ops.FlattenFrom"
	s := a.Operand(op).Shape
	if len(s) == 0 && (axis == 0 || axis == -1) {
		return Reshape(a, 1)
	}
	ax := checkAxis(op, axis, s)
	var buf dims
	shape := append(buf[:0], s[:ax]...)
	shape = append(shape, numel(s[ax:]))
	return Reshape(a, shape...)
}
