package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// MaxPool2d takes the maximum over each window of (batch, C, H, W) images, as
// torch.nn.MaxPool2d with ceil_mode off. Where several elements of a window tie for the maximum,
// the gradient is split evenly between them (PyTorch gives it all to one).
type MaxPool2d struct {
	// Kernel, Stride, Padding and Dilation are (height, width) pairs.
	Kernel, Stride, Padding, Dilation [2]int
}

// NewMaxPool2d returns a max pool with a square kernel of the given size (WithKernel for a
// rectangular one), configured by WithStride (default: the kernel size), WithPadding (default 0,
// at most half the kernel; padding never wins the maximum) and WithDilation (default 1).
// NewMaxPool2d panics with an *autograd.Error wrapping ErrSize if a size is out of range.
func NewMaxPool2d(kernel int, opts ...Option) *MaxPool2d {
	const op = "layers.NewMaxPool2d"
	o := newConvOptions(opts)
	p := &MaxPool2d{}
	p.Kernel, p.Stride, p.Padding = poolGeometry(op, kernel, o)
	p.Dilation = pairOf(op, "dilation", o.conv.dilation, [2]int{1, 1}, 1)
	return p
}

// poolGeometry returns the kernel, stride and padding of a pooling layer from its options.
func poolGeometry(op string, kernel int, o *options) (k, s, p [2]int) {
	k = pairOf(op, "kernel", o.conv.kernel, [2]int{kernel, kernel}, 1)
	s = pairOf(op, "stride", o.conv.stride, k, 1)
	p = pairOf(op, "padding", o.conv.padding, [2]int{0, 0}, 0)
	if 2*p[0] > k[0] || 2*p[1] > k[1] {
		ag.Panicf(op, ErrSize, "padding %s with kernel %s; want at most half the kernel", pairStr(p), pairStr(k))
	}
	if o.conv.groups != 0 || o.conv.noBias || o.conv.outputPadding != nil {
		ag.Panicf(op, ErrSize, "WithGroups, WithoutBias and WithOutputPadding are for convolutions")
	}
	return k, s, p
}

// checkImages panics naming the layer unless x is a batch of images (rank 4).
func checkImages(op string, x ag.Var) []int {
	s := x.Check(op).Shape()
	if len(s) != 4 {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, channels, height, width)", ag.FormatShape(s))
	}
	return s
}

// Forward returns the maximum of each window of x, of shape (batch, C, H, W): shape
// (batch, C, OH, OW). Forward panics with an *autograd.Error naming the layer if x is not 4-D or
// is smaller than the dilated kernel after padding.
func (p *MaxPool2d) Forward(x ag.Var) ag.Var {
	const op = "layers.MaxPool2d"
	s := checkImages(op, x)
	checkSpatial(op, s, p.Kernel[:], p.Padding[:], p.Dilation[:])
	return ops.MaxPool2d(x, p.Kernel, p.Stride, p.Padding, p.Dilation)
}

// NamedParams returns nil.
func (p *MaxPool2d) NamedParams() []Param { return nil }

// AvgPool2d averages each window of (batch, C, H, W) images, as torch.nn.AvgPool2d with
// ceil_mode off and count_include_pad on: padding counts as zeros in every window's mean.
type AvgPool2d struct {
	// Kernel, Stride and Padding are (height, width) pairs.
	Kernel, Stride, Padding [2]int
}

// NewAvgPool2d returns an average pool with a square kernel of the given size (WithKernel for a
// rectangular one), configured by WithStride (default: the kernel size) and WithPadding
// (default 0, at most half the kernel). NewAvgPool2d panics with an *autograd.Error wrapping
// ErrSize if a size is out of range or WithDilation is given.
func NewAvgPool2d(kernel int, opts ...Option) *AvgPool2d {
	const op = "layers.NewAvgPool2d"
	o := newConvOptions(opts)
	if o.conv.dilation != nil {
		ag.Panicf(op, ErrSize, "average pooling has no dilation")
	}
	p := &AvgPool2d{}
	p.Kernel, p.Stride, p.Padding = poolGeometry(op, kernel, o)
	return p
}

// Forward returns the mean of each window of x, of shape (batch, C, H, W): shape
// (batch, C, OH, OW). Forward panics as MaxPool2d's does.
func (p *AvgPool2d) Forward(x ag.Var) ag.Var {
	const op = "layers.AvgPool2d"
	s := checkImages(op, x)
	checkSpatial(op, s, p.Kernel[:], p.Padding[:], []int{1, 1})
	return ops.AvgPool2d(x, p.Kernel, p.Stride, p.Padding)
}

// NamedParams returns nil.
func (p *AvgPool2d) NamedParams() []Param { return nil }

// AdaptiveAvgPool2d averages (batch, C, H, W) images over a fixed grid of Size[0]×Size[1]
// windows, whatever H and W, as torch.nn.AdaptiveAvgPool2d; (1, 1) is the global average pool.
type AdaptiveAvgPool2d struct {
	Size [2]int
}

// NewAdaptiveAvgPool2d returns an adaptive average pool to an h×w output. It panics with an
// *autograd.Error wrapping ErrSize if h or w is below 1.
func NewAdaptiveAvgPool2d(h, w int) *AdaptiveAvgPool2d {
	checkSize("layers.NewAdaptiveAvgPool2d", "output height", h)
	checkSize("layers.NewAdaptiveAvgPool2d", "output width", w)
	return &AdaptiveAvgPool2d{Size: [2]int{h, w}}
}

// Forward returns the window means of x, of shape (batch, C, H, W): shape (batch, C, h, w).
// Forward panics with an *autograd.Error naming the layer if x is not 4-D.
func (p *AdaptiveAvgPool2d) Forward(x ag.Var) ag.Var {
	checkImages("layers.AdaptiveAvgPool2d", x)
	return ops.AdaptiveAvgPool2d(x, p.Size[0], p.Size[1])
}

// NamedParams returns nil.
func (p *AdaptiveAvgPool2d) NamedParams() []Param { return nil }

// Flatten merges the axes of its input from StartDim on into one, as torch.nn.Flatten: with
// StartDim 1, (batch, C, H, W) images become (batch, C·H·W) rows for a Linear layer.
type Flatten struct {
	StartDim int
}

// NewFlatten returns a Flatten from axis 1, PyTorch's default: the batch axis is kept.
func NewFlatten() *Flatten { return &Flatten{StartDim: 1} }

// Forward returns x with its axes from StartDim on merged. Forward panics with an
// *autograd.Error naming the layer if x has no axis StartDim.
func (f *Flatten) Forward(x ag.Var) ag.Var {
	const op = "layers.Flatten"
	s := x.Check(op).Shape()
	if f.StartDim < 0 || f.StartDim >= len(s) {
		ag.Panicf(op, ag.ErrShape, "input of shape %s has no axis %d", ag.FormatShape(s), f.StartDim)
	}
	return ops.FlattenFrom(x, f.StartDim)
}

// NamedParams returns nil.
func (f *Flatten) NamedParams() []Param { return nil }
