package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
)

// TorchUniform draws from U(−a, a) with a = 1/√fanIn: PyTorch's default for the weights and
// biases of nn.Linear and of its convolution layers (kaiming_uniform_ with a = √5 gives this
// bound for the weights, and the biases use the same one). See TorchDefaults.
func TorchUniform(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
	uniform(rng, 1/math.Sqrt(float64(fanIn)), dst)
}

// convOptions holds the options of the convolution and pooling layers, as given: nil or zero
// means the layer's default. The constructors check them.
type convOptions struct {
	kernel, stride, padding, dilation, outputPadding []int
	groups                                           int
	noBias                                           bool
}

// WithStride sets the step between windows of a convolution or pooling layer: one value for both
// axes (or the one axis of Conv1d), or two for (height, width). The default is 1 for convolutions
// and the kernel size for pools.
func WithStride(s ...int) Option { return func(o *options) { o.conv.stride = s } }

// WithPadding sets the zeros added on both sides of each spatial axis (default 0), one value for
// all axes or one per axis. Pools pad with −Inf (max) or zeros counted in the mean (average), as
// PyTorch does.
func WithPadding(p ...int) Option { return func(o *options) { o.conv.padding = p } }

// WithDilation sets the spacing between a kernel's taps (default 1), one value for all axes or
// one per axis.
func WithDilation(d ...int) Option { return func(o *options) { o.conv.dilation = d } }

// WithGroups splits a convolution's channels into g independent groups (default 1); g equal to
// the input channels gives a depthwise convolution.
func WithGroups(g int) Option { return func(o *options) { o.conv.groups = g } }

// WithoutBias makes a convolution layer without a bias.
func WithoutBias() Option { return func(o *options) { o.conv.noBias = true } }

// WithKernel sets a rectangular kernel of kh×kw for a 2-D convolution or pooling layer, in place
// of the square kernel its constructor was given.
func WithKernel(kh, kw int) Option { return func(o *options) { o.conv.kernel = []int{kh, kw} } }

// WithOutputPadding adds rows and columns at the bottom and right of a ConvTranspose2d's output
// (default 0), to pick among the output sizes a strided convolution maps to one input size.
func WithOutputPadding(p ...int) Option { return func(o *options) { o.conv.outputPadding = p } }

// newConvOptions applies opts over the convolution defaults: TorchUniform weights and biases.
func newConvOptions(opts []Option) *options {
	o := &options{dtype: ag.Float64}
	for _, f := range opts {
		f(o)
	}
	if o.weight == nil {
		o.weight = TorchUniform
	}
	if o.bias == nil {
		o.bias = TorchUniform
	}
	if o.rng == nil {
		o.rng = rand.New(rand.NewPCG(1, 0))
	}
	return o
}

// geometry2d returns the (height, width) pairs of a 2-D convolution from the options, checked,
// naming op: its kernel (square of the given size unless WithKernel), stride, padding and
// dilation, with PyTorch's defaults.
func (o *options) geometry2d(op string, kernel int) (k, stride, padding, dilation [2]int) {
	k = pairOf(op, "kernel", o.conv.kernel, [2]int{kernel, kernel}, 1)
	stride = pairOf(op, "stride", o.conv.stride, [2]int{1, 1}, 1)
	padding = pairOf(op, "padding", o.conv.padding, [2]int{0, 0}, 0)
	dilation = pairOf(op, "dilation", o.conv.dilation, [2]int{1, 1}, 1)
	return k, stride, padding, dilation
}

// convParams returns a convolution's weight, of the given shape, then its bias of out elements
// unless WithoutBias (the zero Var then), both drawn with fanIn and fanOut.
func (o *options) convParams(fanIn, fanOut, out int, shape ...int) (weight, bias ag.Var) {
	weight = o.newParam(o.weight, fanIn, fanOut, shape...)
	if !o.conv.noBias {
		bias = o.newParam(o.bias, fanIn, fanOut, out)
	}
	return weight, bias
}

// pairOf returns the option v (given as one value or two) as a (height, width) pair, def when v
// is nil, panicking naming op and what unless every value is at least lo.
func pairOf(op, what string, v []int, def [2]int, lo int) [2]int {
	var p [2]int
	switch len(v) {
	case 0:
		p = def
	case 1:
		p = [2]int{v[0], v[0]}
	case 2:
		p = [2]int{v[0], v[1]}
	default:
		ag.Panicf(op, ErrSize, "%s %v: want 1 or 2 values", what, v)
	}
	if p[0] < lo || p[1] < lo {
		ag.Panicf(op, ErrSize, "%s %s; want at least %d", what, pairStr(p), lo)
	}
	return p
}

// oneOf is pairOf for a 1-D layer: one value.
func oneOf(op, what string, v []int, def, lo int) int {
	switch {
	case len(v) == 0:
		return def
	case len(v) > 1:
		ag.Panicf(op, ErrSize, "%s %v: want 1 value for a 1-D layer", what, v)
	case v[0] < lo:
		ag.Panicf(op, ErrSize, "%s %d; want at least %d", what, v[0], lo)
	}
	return v[0]
}

func pairStr(p [2]int) string { return fmt.Sprintf("(%d,%d)", p[0], p[1]) }

// checkGroups panics naming op unless groups (0 for the default 1) divides in and out.
func checkGroups(op string, groups, in, out int) int {
	if groups == 0 {
		return 1
	}
	if groups < 1 || in%groups != 0 || out%groups != 0 {
		ag.Panicf(op, ErrSize, "groups %d for %d input and %d output channels; want a positive divisor of both", groups, in, out)
	}
	return groups
}

// checkSpatial panics naming the layer unless the dilated kernel fits in the padded input along
// each of the last len(kernel) axes of shape s.
func checkSpatial(layer string, s []int, kernel, padding, dilation []int) {
	sp := s[len(s)-len(kernel):]
	for i, n := range sp {
		span := dilation[i]*(kernel[i]-1) + 1
		if n+2*padding[i] < span {
			ag.Panicf(layer, ag.ErrShape, "input of shape %s: the kernel %s with dilation %s spans %d, larger than the padded input %d (padding %s)",
				ag.FormatShape(s), ag.FormatShape(kernel), ag.FormatShape(dilation), span, n+2*padding[i], ag.FormatShape(padding))
		}
	}
}
