package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Convolutions, composed from Im2col, Col2im and MatMul: a convolution multiplies the weight,
// reshaped to (out, in/groups·kh·kw), by the unfolded input; its transpose multiplies by the
// transposed weight and folds. The derivative rules of those primitives give every gradient,
// to any order.

// Conv2d returns the 2-D cross-correlation of x, an (N, C, H, W) batch, with weight, of shape
// (O, C/groups, kh, kw), plus bias, of shape (O), when bias is not the zero Var: the result has
// shape (N, O, OH, OW), as torch.nn.functional.conv2d. The input is padded with zeros; groups
// splits the channels into independent convolutions (groups = C is a depthwise convolution).
// Conv2d panics with an *autograd.Error naming the shapes if x or weight is not 4-D, the channels
// do not match the weight, groups does not divide C and O, bias is not (O), the dtypes differ,
// a stride or dilation is below 1, a padding below 0, or the dilated kernel is larger than the
// padded input.
func Conv2d(x, weight, bias ag.Var, stride, padding, dilation [2]int, groups int) ag.Var {
	const op = "ops.Conv2d"
	o := checkConv(op, x, weight, bias, 4, groups)
	sw := weight.Shape()
	return conv2d(x, weight, bias, Window2d{[2]int{sw[2], sw[3]}, stride, padding, dilation}, groups, o)
}

// Conv1d returns the 1-D cross-correlation of x, an (N, C, L) batch, with weight, of shape
// (O, C/groups, k), plus bias (O) when it is not the zero Var: the result has shape (N, O, OL),
// as torch.nn.functional.conv1d. It is Conv2d on images of height 1, and panics as Conv2d does.
func Conv1d(x, weight, bias ag.Var, stride, padding, dilation, groups int) ag.Var {
	const op = "ops.Conv1d"
	checkConv(op, x, weight, bias, 3, groups)
	sx, sw := x.Shape(), weight.Shape()
	win := Window2d{[2]int{1, sw[2]}, [2]int{1, stride}, [2]int{0, padding}, [2]int{1, dilation}}
	for _, f := range []struct {
		name   string
		v, min int
	}{{"stride", stride, 1}, {"padding", padding, 0}, {"dilation", dilation, 1}} {
		if f.v < f.min || f.v > maxWindowDim {
			ag.Panicf(op, ag.ErrValue, "%s %d; want a value in [%d, %d]", f.name, f.v, f.min, maxWindowDim)
		}
	}
	if outSize(sx[2], sw[2], stride, padding, dilation) < 1 {
		ag.Panicf(op, ag.ErrShape, "input %s: the kernel %d with dilation %d spans %d, longer than the padded input %d (padding %d)",
			shapeStr(sx), sw[2], dilation, dilation*(sw[2]-1)+1, sx[2]+2*padding, padding)
	}
	x4 := []int{sx[0], sx[1], 1, sx[2]}
	w4 := reshapeOn(x, weight, sw[0], sw[1], 1, sw[2])
	y := conv2d(Reshape(x, x4...), w4, bias, win, groups, sw[0])
	ys := y.Shape()
	return Reshape(y, ys[0], ys[1], ys[3])
}

// checkConv checks the operands of a convolution of rank r (3 for 1-D, 4 for 2-D) and returns
// the number of output channels. The weight is (O, C/groups, k...).
func checkConv(op string, x, weight, bias ag.Var, r, groups int) int {
	sx, sw := x.Operand(op).Shape, weight.Operand(op).Shape
	want := "(N, C, H, W)"
	if r == 3 {
		want = "(N, C, L)"
	}
	if len(sx) != r {
		ag.Panicf(op, ag.ErrShape, "input %s; want %s", shapeStr(sx), want)
	}
	if len(sw) != r {
		ag.Panicf(op, ag.ErrShape, "weight %s for input %s; want rank %d (out, in/groups, kernel...)", shapeStr(sw), shapeStr(sx), r)
	}
	if x.DType() != weight.DType() {
		ag.Panicf(op, ag.ErrDType, "input %v, weight %v; convert one with ops.Cast", x.DType(), weight.DType())
	}
	for _, k := range sw[2:] {
		if k < 1 || k > maxWindowDim {
			ag.Panicf(op, ag.ErrShape, "weight %s: kernel size %d; want a value in [1, %d]", shapeStr(sw), k, maxWindowDim)
		}
	}
	c, o := sx[1], sw[0]
	if groups < 1 || c%groups != 0 || o%groups != 0 {
		ag.Panicf(op, ag.ErrValue, "groups %d for input %s and weight %s; want a positive divisor of the %d input and %d output channels", groups, shapeStr(sx), shapeStr(sw), c, o)
	}
	if sw[1] != c/groups {
		ag.Panicf(op, ag.ErrShape, "weight %s for input %s with groups %d; want %d input channels per group (axis 1)", shapeStr(sw), shapeStr(sx), groups, c/groups)
	}
	checkBias(op, bias, weight, o)
	return o
}

// checkBias panics unless bias is the zero Var or a vector of n elements of weight's dtype.
func checkBias(op string, bias, weight ag.Var, n int) {
	if bias.IsNil() {
		return
	}
	sb := bias.Operand(op).Shape
	if len(sb) != 1 || sb[0] != n {
		ag.Panicf(op, ag.ErrShape, "bias %s for weight %s; want (%d)", shapeStr(sb), shapeStr(weight.Shape()), n)
	}
	if bias.DType() != weight.DType() {
		ag.Panicf(op, ag.ErrDType, "bias %v, weight %v; convert one with ops.Cast", bias.DType(), weight.DType())
	}
}

// reshapeOn reshapes a checked parameter p (shape to its own number of elements) for use with
// taped data x: on x's tape when p is on none, so that a step allocates no heap node for it.
func reshapeOn(x, p ag.Var, shape ...int) ag.Var {
	if p.Tape() != nil || x.Tape() == nil || slices.Equal(p.Shape(), shape) {
		return Reshape(p, shape...)
	}
	return ag.ViewOn(x.Tape(), reshapeOp, p, shape)
}

// conv2d computes a checked Conv2d with o output channels.
func conv2d(x, weight, bias ag.Var, win Window2d, groups, o int) ag.Var {
	sx := x.Shape()
	n, c := sx[0], sx[1]
	oh, ow := windowOutput("ops.Conv2d", "input", sx, win)
	kk := win.Kernel[0] * win.Kernel[1]
	cg, og := c/groups, o/groups
	w2 := reshapeOn(x, weight, o, cg*kk)
	if groups == 1 { // the fused convolution (ops/convfused.go)
		return Reshape(convFusedBias(x, w2, bias, win), n, o, oh, ow)
	}
	var cols ag.Var
	if kk == 1 && win.Stride == [2]int{1, 1} && win.Padding == [2]int{0, 0} {
		cols = Reshape(x, n, c, oh*ow) // a 1×1 convolution unfolds to the input itself
	} else {
		cols = Im2col(x, win, 0)
	}
	parts := make([]ag.Var, groups) // a product per group, (N, O/groups, OH·OW) each
	for g := range parts {
		wg := Slice(w2, 0, g*og, (g+1)*og)
		parts[g] = MatMul(wg, Slice(cols, 1, g*cg*kk, (g+1)*cg*kk))
	}
	y := Reshape(Concat(1, parts...), n, o, oh, ow)
	if !bias.IsNil() {
		y = Add(y, reshapeOn(y, bias, o, 1, 1))
	}
	return y
}

// ConvTranspose2d returns the transposed convolution of x, an (N, C, H, W) batch, with weight, of
// shape (C, O/groups, kh, kw), plus bias (O) when it is not the zero Var, as
// torch.nn.functional.conv_transpose2d (whose argument order puts groups before dilation): the
// adjoint of Conv2d with the same weight, stride, padding and dilation. The result has shape
// (N, O, OH, OW) with OH = (H−1)·stride − 2·padding + dilation·(kh−1) + outputPadding + 1, and
// likewise OW; outputPadding adds rows and columns at the bottom and right, and must be smaller
// than the stride or the dilation. ConvTranspose2d panics with an *autograd.Error naming the
// shapes if x or weight is not 4-D, the channels do not match, groups does not divide C, bias is
// not (O), a stride or dilation is below 1, a padding or output padding is out of range, or the
// output would be empty.
func ConvTranspose2d(x, weight, bias ag.Var, stride, padding, outputPadding, dilation [2]int, groups int) ag.Var {
	const op = "ops.ConvTranspose2d"
	sx, sw := x.Operand(op).Shape, weight.Operand(op).Shape
	if len(sx) != 4 {
		ag.Panicf(op, ag.ErrShape, "input %s; want (N, C, H, W)", shapeStr(sx))
	}
	if len(sw) != 4 {
		ag.Panicf(op, ag.ErrShape, "weight %s for input %s; want (in, out/groups, kh, kw)", shapeStr(sw), shapeStr(sx))
	}
	if x.DType() != weight.DType() {
		ag.Panicf(op, ag.ErrDType, "input %v, weight %v; convert one with ops.Cast", x.DType(), weight.DType())
	}
	n, c, h, w := sx[0], sx[1], sx[2], sx[3]
	if groups < 1 || c%groups != 0 {
		ag.Panicf(op, ag.ErrValue, "groups %d for input %s; want a positive divisor of the %d input channels", groups, shapeStr(sx), c)
	}
	if sw[0] != c {
		ag.Panicf(op, ag.ErrShape, "weight %s for input %s; want %d input channels (axis 0)", shapeStr(sw), shapeStr(sx), c)
	}
	og := sw[1]
	o := og * groups
	checkBias(op, bias, weight, o)
	win := Window2d{[2]int{sw[2], sw[3]}, stride, padding, dilation}
	checkWindow(op, win)
	var out [2]int
	for i, s := range [2]int{h, w} {
		if outputPadding[i] < 0 || (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
			ag.Panicf(op, ag.ErrValue, "output padding %s with stride %s and dilation %s; want values in [0, max(stride, dilation))", pair(outputPadding), pair(stride), pair(dilation))
		}
		out[i] = (s-1)*stride[i] - 2*padding[i] + dilation[i]*(win.Kernel[i]-1) + outputPadding[i] + 1
	}
	if out[0] < 1 || out[1] < 1 {
		ag.Panicf(op, ag.ErrShape, "input %s, weight %s with stride %s, padding %s, dilation %s: output %d×%d is empty",
			shapeStr(sx), shapeStr(sw), pair(stride), pair(padding), pair(dilation), out[0], out[1])
	}
	kk := win.Kernel[0] * win.Kernel[1]
	xr := Reshape(x, n, c, h*w)
	w2 := reshapeOn(x, weight, c, og*kk)
	var cols ag.Var // (N, O·kh·kw, H·W)
	if groups == 1 {
		cols = MatMulT(w2, xr, true, false)
	} else {
		cg := c / groups
		parts := make([]ag.Var, groups)
		for g := range parts {
			wg := Slice(w2, 0, g*cg, (g+1)*cg)
			parts[g] = MatMulT(wg, Slice(xr, 1, g*cg, (g+1)*cg), true, false)
		}
		cols = Concat(1, parts...)
	}
	// Col2im over the output sees one window position per input pixel, except when an output
	// padding of at least the stride adds positions no input reaches: their columns are zero.
	gh := outSize(out[0], win.Kernel[0], stride[0], padding[0], dilation[0])
	gw := outSize(out[1], win.Kernel[1], stride[1], padding[1], dilation[1])
	if gh != h || gw != w {
		cols4 := Reshape(cols, n, o*kk, h, w)
		cols4 = Pad(Pad(cols4, 2, 0, gh-h), 3, 0, gw-w)
		cols = Reshape(cols4, n, o*kk, gh*gw)
	}
	y := Col2im(cols, win, out[0], out[1])
	if !bias.IsNil() {
		y = Add(y, reshapeOn(y, bias, o, 1, 1))
	}
	return y
}
