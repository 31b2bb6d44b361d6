package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// Window2d is the geometry of a 2-D sliding window over the last two axes of an NCHW batch, each
// field as (height, width): the kernel size, the step between windows, the padding added on both
// sides of the input, and the spacing between the kernel's taps (1 for a dense kernel).
type Window2d struct {
	Kernel, Stride, Padding, Dilation [2]int
}

// Window returns the square window of the given kernel size, stride, padding and dilation.
func Window(kernel, stride, padding, dilation int) Window2d {
	return Window2d{
		Kernel:   [2]int{kernel, kernel},
		Stride:   [2]int{stride, stride},
		Padding:  [2]int{padding, padding},
		Dilation: [2]int{dilation, dilation},
	}
}

// String formats w as "kernel (3,3) stride (1,1) padding (0,0) dilation (1,1)".
func (w Window2d) String() string {
	return fmt.Sprintf("kernel %s stride %s padding %s dilation %s",
		pair(w.Kernel), pair(w.Stride), pair(w.Padding), pair(w.Dilation))
}

func pair(p [2]int) string { return fmt.Sprintf("(%d,%d)", p[0], p[1]) }

// maxWindowDim bounds every window field, so that a window packs into a node's four integer
// attributes without allocating (see packWindow).
const maxWindowDim = 1<<15 - 1

// checkWindow panics unless the kernel, stride and dilation are at least 1 and the padding at
// least 0, all at most maxWindowDim.
func checkWindow(op string, w Window2d) {
	for _, f := range []struct {
		name string
		v    [2]int
		min  int
	}{{"kernel", w.Kernel, 1}, {"stride", w.Stride, 1}, {"padding", w.Padding, 0}, {"dilation", w.Dilation, 1}} {
		for _, d := range f.v {
			if d < f.min || d > maxWindowDim {
				ag.Panicf(op, ag.ErrValue, "%s %s; want values in [%d, %d]", f.name, pair(f.v), f.min, maxWindowDim)
			}
		}
	}
}

// outSize returns the number of window positions along one axis of length n, or a value below
// 1 when the dilated kernel does not fit in the padded axis.
func outSize(n, k, s, p, d int) int {
	span := d*(k-1) + 1
	if n+2*p < span {
		return 0
	}
	return (n+2*p-span)/s + 1
}

// windowOutput checks w against an image batch of shape x (NCHW; what names it in messages) and
// returns the output grid, panicking naming op, x and w if the dilated kernel is larger than the
// padded image.
func windowOutput(op, what string, x []int, w Window2d) (oh, ow int) {
	checkWindow(op, w)
	h, wd := x[len(x)-2], x[len(x)-1]
	oh = outSize(h, w.Kernel[0], w.Stride[0], w.Padding[0], w.Dilation[0])
	ow = outSize(wd, w.Kernel[1], w.Stride[1], w.Padding[1], w.Dilation[1])
	if oh < 1 || ow < 1 {
		ag.Panicf(op, ag.ErrShape, "%s %s: the kernel %s with dilation %s spans %d×%d, larger than the padded input %d×%d (padding %s)",
			what, shapeStr(x), pair(w.Kernel), pair(w.Dilation),
			w.Dilation[0]*(w.Kernel[0]-1)+1, w.Dilation[1]*(w.Kernel[1]-1)+1,
			h+2*w.Padding[0], wd+2*w.Padding[1], pair(w.Padding))
	}
	return oh, ow
}

// packWindow stores w as four integers, one (height, width) pair each.
func packWindow(w Window2d) [4]int {
	p := func(v [2]int) int { return v[0]<<16 | v[1] }
	return [4]int{p(w.Kernel), p(w.Stride), p(w.Padding), p(w.Dilation)}
}

// unpackWindow undoes packWindow.
func unpackWindow(ints []int) Window2d {
	u := func(v int) [2]int { return [2]int{v >> 16, v & (1<<16 - 1)} }
	return Window2d{u(ints[0]), u(ints[1]), u(ints[2]), u(ints[3])}
}

// Im2col unfolds the sliding windows of x, an (N, C, H, W) batch, into columns: the result has
// shape (N, C·kh·kw, OH·OW), where row (c·kh + i)·kw + j holds tap (i, j) of channel c at every
// window position, and OH·OW counts the positions. Taps in the padding read pad (0 for a
// convolution, −Inf for max pooling); no gradient flows to pad. Col2im is its adjoint, and each
// is the other's derivative. Im2col panics if x is not 4-D, a window field is out of range
// (kernel, stride or dilation below 1, padding below 0), or the dilated kernel is larger than the
// padded input.
func Im2col(x ag.Var, w Window2d, pad float64) ag.Var {
	const op = "ops.Im2col"
	o := x.Operand(op)
	if len(o.Shape) != 4 {
		ag.Panicf(op, ag.ErrShape, "input %s; want (N, C, H, W)", shapeStr(o.Shape))
	}
	oh, ow := windowOutput(op, "input", o.Shape, w)
	n, c, h, wd := o.Shape[0], o.Shape[1], o.Shape[2], o.Shape[3]
	kk := w.Kernel[0] * w.Kernel[1]
	out := ag.NewResult(im2colOp, o.DType, []int{n, c * kk, oh * ow}, x)
	pk := packWindow(w)
	out.SetInts(pk[:]...)
	out.SetFloat(pad)
	g := newColGeom(w, h, wd, oh, ow)
	if o.DType == ag.Float32 {
		im2col(out.Data32(), o.F32, n*c, &g, float32(pad))
	} else {
		im2col(out.Data64(), o.F64, n*c, &g, pad)
	}
	return out
}

// Col2im folds columns back into an (N, C, h, width) batch, adding up the taps that windows
// share: the adjoint of Im2col with the same window, whose input had spatial size h×width. cols
// has shape (N, C·kh·kw, OH·OW) with OH·OW the window positions over h×width. Taps in the padding
// are dropped. Col2im panics if cols is not 3-D, its rows are not a multiple of kh·kw, its columns
// are not OH·OW, or the window is invalid for h×width (see Im2col).
func Col2im(cols ag.Var, w Window2d, h, width int) ag.Var {
	const op = "ops.Col2im"
	o := cols.Operand(op)
	if len(o.Shape) != 3 {
		ag.Panicf(op, ag.ErrShape, "columns %s; want (N, C·kh·kw, OH·OW)", shapeStr(o.Shape))
	}
	if h < 1 || width < 1 {
		ag.Panicf(op, ag.ErrValue, "output size %d×%d; want at least 1×1", h, width)
	}
	checkWindow(op, w)
	n, kk := o.Shape[0], w.Kernel[0]*w.Kernel[1]
	if o.Shape[1]%kk != 0 {
		ag.Panicf(op, ag.ErrShape, "columns %s with %s: %d rows are not a multiple of %d taps", shapeStr(o.Shape), w, o.Shape[1], kk)
	}
	c := o.Shape[1] / kk
	oh, ow := windowOutput(op, "output", []int{n, c, h, width}, w)
	if o.Shape[2] != oh*ow {
		ag.Panicf(op, ag.ErrShape, "columns %s for an output %d×%d with %s: %d columns; want %d window positions",
			shapeStr(o.Shape), h, width, w, o.Shape[2], oh*ow)
	}
	out := ag.NewResult(col2imOp, o.DType, []int{n, c, h, width}, cols)
	pk := packWindow(w)
	out.SetInts(pk[:]...)
	g := newColGeom(w, h, width, oh, ow)
	if o.DType == ag.Float32 {
		col2im(out.Data32(), o.F32, n*c, &g)
	} else {
		col2im(out.Data64(), o.F64, n*c, &g)
	}
	return out
}
