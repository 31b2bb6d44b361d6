package layers

import (
	"math"
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
)

// Initializer fills dst, the weights of a layer with fanIn inputs and fanOut outputs, with
// values drawn from rng.
type Initializer func(rng *rand.Rand, fanIn, fanOut int, dst []float64)

// GlorotUniform (Xavier uniform) draws from U(−a, a) with a = √(6/(fanIn + fanOut)), keeping
// the variance of activations and gradients alike across layers with tanh or sigmoid.
func GlorotUniform(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
	uniform(rng, math.Sqrt(6/float64(fanIn+fanOut)), dst)
}

// GlorotNormal (Xavier normal) draws from N(0, σ²) with σ = √(2/(fanIn + fanOut)).
func GlorotNormal(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
	normal(rng, math.Sqrt(2/float64(fanIn+fanOut)), dst)
}

// HeNormal (Kaiming normal) draws from N(0, σ²) with σ = √(2/fanIn), suited to ReLU layers.
func HeNormal(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
	normal(rng, math.Sqrt(2/float64(fanIn)), dst)
}

// HeUniform (Kaiming uniform) draws from U(−a, a) with a = √(6/fanIn).
func HeUniform(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
	uniform(rng, math.Sqrt(6/float64(fanIn)), dst)
}

// Zeros sets every weight to 0.
func Zeros(rng *rand.Rand, fanIn, fanOut int, dst []float64) { clear(dst) }

// Uniform returns an Initializer drawing from U(a, b). Uniform panics if a > b or either is not
// finite.
func Uniform(a, b float64) Initializer {
	if !(a <= b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		ag.Panicf("layers.Uniform", ag.ErrValue, "interval [%g, %g]; want finite a ≤ b", a, b)
	}
	return func(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
		for i := range dst {
			dst[i] = a + (b-a)*rng.Float64()
		}
	}
}

func uniform(rng *rand.Rand, a float64, dst []float64) {
	for i := range dst {
		dst[i] = a * (2*rng.Float64() - 1)
	}
}

func normal(rng *rand.Rand, sd float64, dst []float64) {
	for i := range dst {
		dst[i] = sd * rng.NormFloat64()
	}
}

// Option configures the layers made by NewLinear, NewMLP and NewPerceptron.
type Option func(*options)

type options struct {
	weight, bias Initializer
	rng          *rand.Rand
	dtype        ag.DType
	dropout      float64
	conv         convOptions // the geometry of convolution and pooling layers (conv_options.go)
	norm         normOptions // batch normalisation's affine map and running statistics (batchnorm_options.go)
}

func newOptions(def Initializer, opts []Option) *options {
	o := &options{weight: def, bias: Zeros, dtype: ag.Float64}
	for _, f := range opts {
		f(o)
	}
	if o.rng == nil {
		o.rng = nextRand()
	}
	return o
}

// WithInit sets the weight initialiser (default GlorotUniform; Zeros for a Perceptron).
func WithInit(init Initializer) Option { return func(o *options) { o.weight = init } }

// WithBiasInit sets the bias initialiser (default Zeros).
func WithBiasInit(init Initializer) Option { return func(o *options) { o.bias = init } }

// WithSeed draws initial weights from a PCG generator seeded with seed, so that a model is
// reproducible on its own. Without WithSeed or WithRand, each constructor call seeds its own
// generator from the package's (see SetSeed).
func WithSeed(seed uint64) Option {
	return func(o *options) { o.rng = rand.New(rand.NewPCG(seed, 0)) }
}

// WithRand draws initial weights (and an MLP's dropout masks) from rng.
func WithRand(rng *rand.Rand) Option { return func(o *options) { o.rng = rng } }

// WithDType makes float32 or float64 (the default) parameters.
func WithDType(dt ag.DType) Option { return func(o *options) { o.dtype = dt } }

// WithDropout makes NewMLP insert a Dropout layer of probability p after every hidden
// activation. Like every layer it starts in training mode; see Eval.
func WithDropout(p float64) Option { return func(o *options) { o.dropout = p } }

// newParam returns a parameter of the given shape filled by init in the option's dtype.
func (o *options) newParam(init Initializer, fanIn, fanOut int, shape ...int) ag.Var {
	n := 1
	for _, d := range shape {
		n *= d
	}
	vals := make([]float64, n)
	init(o.rng, fanIn, fanOut, vals)
	if o.dtype == ag.Float32 {
		v32 := make([]float32, n)
		for i, x := range vals {
			v32[i] = float32(x)
		}
		return ag.NewParam32(v32, shape...)
	}
	return ag.NewParam(vals, shape...)
}
