package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// Conv2d is a 2-D convolution layer over (batch, In, height, width) images, as torch.nn.Conv2d:
// Weight has shape (Out, In/Groups, Kernel[0], Kernel[1]) and Bias (Out), so that a model's
// parameters carry PyTorch's names and shapes ("0.weight", "0.bias") in checkpoints.
type Conv2d struct {
	Weight ag.Var // (Out, In/Groups, kh, kw)
	Bias   ag.Var // (Out); the zero Var for a layer made WithoutBias
	In     int
	Out    int
	Groups int
	// Kernel, Stride, Padding and Dilation are (height, width) pairs.
	Kernel, Stride, Padding, Dilation [2]int
}

// NewConv2d returns a convolution from in to out channels with a square kernel of the given size
// (WithKernel for a rectangular one), configured by WithStride, WithPadding, WithDilation,
// WithGroups and WithoutBias (defaults 1, 0, 1, 1 and a bias, as PyTorch). Weights and bias are
// drawn from U(−1/√fanIn, 1/√fanIn) with fanIn = in/groups·kh·kw (TorchUniform, PyTorch's
// default; WithInit and WithBiasInit replace it), from the generator of WithSeed or WithRand, in
// the dtype of WithDType. NewConv2d panics with an *autograd.Error wrapping ErrSize if a size is
// below 1, a padding below 0, or groups does not divide in and out.
func NewConv2d(in, out, kernel int, opts ...Option) *Conv2d {
	const op = "layers.NewConv2d"
	o := newConvOptions(opts)
	checkSize(op, "input channels", in)
	checkSize(op, "output channels", out)
	l := &Conv2d{In: in, Out: out}
	l.Kernel, l.Stride, l.Padding, l.Dilation = o.geometry2d(op, kernel)
	l.Groups = checkGroups(op, o.conv.groups, in, out)
	kk := l.Kernel[0] * l.Kernel[1]
	fanIn, fanOut := in/l.Groups*kk, out/l.Groups*kk
	l.Weight, l.Bias = o.convParams(fanIn, fanOut, out, out, in/l.Groups, l.Kernel[0], l.Kernel[1])
	return l
}

// Forward returns the convolution of x, of shape (batch, In, H, W), with the layer's weight, plus
// its bias: shape (batch, Out, OH, OW). Forward panics with an *autograd.Error naming the layer if
// x is not of that shape or is smaller than the dilated kernel after padding.
func (l *Conv2d) Forward(x ag.Var) ag.Var {
	const op = "layers.Conv2d"
	if l == nil {
		ag.Panicf(op, ag.ErrValue, "nil *Conv2d; create it with layers.NewConv2d")
	}
	s := x.Check(op).Shape()
	if len(s) != 4 || s[1] != l.In {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, %d, height, width)", ag.FormatShape(s), l.In)
	}
	checkSpatial(op, s, l.Kernel[:], l.Padding[:], l.Dilation[:])
	return ops.Conv2d(x, l.Weight, l.Bias, l.Stride, l.Padding, l.Dilation, l.Groups)
}

// NamedParams returns "weight" and, unless the layer has none, "bias".
func (l *Conv2d) NamedParams() []Param { return Collect(l) }

// Conv1d is a 1-D convolution layer over (batch, In, length) sequences, as torch.nn.Conv1d:
// Weight has shape (Out, In/Groups, Kernel) and Bias (Out).
type Conv1d struct {
	Weight                            ag.Var // (Out, In/Groups, Kernel)
	Bias                              ag.Var // (Out); the zero Var for a layer made WithoutBias
	In, Out, Groups                   int
	Kernel, Stride, Padding, Dilation int
}

// NewConv1d returns a 1-D convolution from in to out channels with the given kernel size, and
// otherwise as NewConv2d; its WithStride, WithPadding and WithDilation take one value.
func NewConv1d(in, out, kernel int, opts ...Option) *Conv1d {
	const op = "layers.NewConv1d"
	o := newConvOptions(opts)
	checkSize(op, "input channels", in)
	checkSize(op, "output channels", out)
	checkSize(op, "kernel size", kernel)
	if o.conv.kernel != nil {
		ag.Panicf(op, ErrSize, "WithKernel is for 2-D layers; give the kernel size to NewConv1d")
	}
	l := &Conv1d{In: in, Out: out, Kernel: kernel}
	l.Stride = oneOf(op, "stride", o.conv.stride, 1, 1)
	l.Padding = oneOf(op, "padding", o.conv.padding, 0, 0)
	l.Dilation = oneOf(op, "dilation", o.conv.dilation, 1, 1)
	l.Groups = checkGroups(op, o.conv.groups, in, out)
	fanIn, fanOut := in/l.Groups*kernel, out/l.Groups*kernel
	l.Weight, l.Bias = o.convParams(fanIn, fanOut, out, out, in/l.Groups, kernel)
	return l
}

// Forward returns the convolution of x, of shape (batch, In, L), with the layer's weight, plus
// its bias: shape (batch, Out, OL). Forward panics with an *autograd.Error naming the layer if x
// is not of that shape or is shorter than the dilated kernel after padding.
func (l *Conv1d) Forward(x ag.Var) ag.Var {
	const op = "layers.Conv1d"
	if l == nil {
		ag.Panicf(op, ag.ErrValue, "nil *Conv1d; create it with layers.NewConv1d")
	}
	s := x.Check(op).Shape()
	if len(s) != 3 || s[1] != l.In {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, %d, length)", ag.FormatShape(s), l.In)
	}
	checkSpatial(op, s, []int{l.Kernel}, []int{l.Padding}, []int{l.Dilation})
	return ops.Conv1d(x, l.Weight, l.Bias, l.Stride, l.Padding, l.Dilation, l.Groups)
}

// NamedParams returns "weight" and, unless the layer has none, "bias".
func (l *Conv1d) NamedParams() []Param { return Collect(l) }

// ConvTranspose2d is a transposed 2-D convolution layer, as torch.nn.ConvTranspose2d: the
// adjoint of a Conv2d with the same geometry, mapping (batch, In, H, W) to (batch, Out, OH, OW)
// with OH = (H−1)·stride − 2·padding + dilation·(kh−1) + outputPadding + 1. Weight has shape
// (In, Out/Groups, kh, kw), as in PyTorch, and Bias (Out).
type ConvTranspose2d struct {
	Weight          ag.Var // (In, Out/Groups, kh, kw)
	Bias            ag.Var // (Out); the zero Var for a layer made WithoutBias
	In, Out, Groups int
	// Kernel, Stride, Padding, OutputPadding and Dilation are (height, width) pairs.
	Kernel, Stride, Padding, OutputPadding, Dilation [2]int
}

// NewConvTranspose2d returns a transposed convolution from in to out channels with a square
// kernel of the given size, configured as NewConv2d and by WithOutputPadding (default 0), which
// must be smaller than the stride or the dilation. Weights and bias are drawn from TorchUniform
// with fanIn = out/groups·kh·kw, as PyTorch computes it from the weight's second axis.
// NewConvTranspose2d panics as NewConv2d does, and if the output padding is out of range.
func NewConvTranspose2d(in, out, kernel int, opts ...Option) *ConvTranspose2d {
	const op = "layers.NewConvTranspose2d"
	o := newConvOptions(opts)
	checkSize(op, "input channels", in)
	checkSize(op, "output channels", out)
	l := &ConvTranspose2d{In: in, Out: out}
	l.Kernel, l.Stride, l.Padding, l.Dilation = o.geometry2d(op, kernel)
	l.OutputPadding = pairOf(op, "output padding", o.conv.outputPadding, [2]int{0, 0}, 0)
	for i := range 2 {
		if l.OutputPadding[i] >= max(l.Stride[i], l.Dilation[i]) {
			ag.Panicf(op, ErrSize, "output padding %s with stride %s and dilation %s; want it smaller than the stride or the dilation",
				pairStr(l.OutputPadding), pairStr(l.Stride), pairStr(l.Dilation))
		}
	}
	l.Groups = checkGroups(op, o.conv.groups, in, out)
	kk := l.Kernel[0] * l.Kernel[1]
	fanIn, fanOut := out/l.Groups*kk, in/l.Groups*kk
	l.Weight, l.Bias = o.convParams(fanIn, fanOut, out, in, out/l.Groups, l.Kernel[0], l.Kernel[1])
	return l
}

// Forward returns the transposed convolution of x, of shape (batch, In, H, W). Forward panics
// with an *autograd.Error naming the layer if x is not of that shape or the output would be empty.
func (l *ConvTranspose2d) Forward(x ag.Var) ag.Var {
	const op = "layers.ConvTranspose2d"
	if l == nil {
		ag.Panicf(op, ag.ErrValue, "nil *ConvTranspose2d; create it with layers.NewConvTranspose2d")
	}
	s := x.Check(op).Shape()
	if len(s) != 4 || s[1] != l.In {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, %d, height, width)", ag.FormatShape(s), l.In)
	}
	for i := range 2 {
		if n := (s[2+i]-1)*l.Stride[i] - 2*l.Padding[i] + l.Dilation[i]*(l.Kernel[i]-1) + l.OutputPadding[i] + 1; n < 1 {
			ag.Panicf(op, ag.ErrShape, "input of shape %s gives an empty output (size %d along axis %d) with padding %s",
				ag.FormatShape(s), n, 2+i, pairStr(l.Padding))
		}
	}
	return ops.ConvTranspose2d(x, l.Weight, l.Bias, l.Stride, l.Padding, l.OutputPadding, l.Dilation, l.Groups)
}

// NamedParams returns "weight" and, unless the layer has none, "bias".
func (l *ConvTranspose2d) NamedParams() []Param { return Collect(l) }
