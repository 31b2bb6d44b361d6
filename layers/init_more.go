package layers

import (
	"math"
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
)

// TorchDefaults makes NewLinear and NewMLP initialise as PyTorch's nn.Linear does: weights and
// biases from TorchUniform. The package's default stays GlorotUniform weights and zero
// biases.
func TorchDefaults() Option {
	return func(o *options) { o.weight, o.bias = TorchUniform, TorchUniform }
}

// KaimingUniform returns PyTorch's kaiming_uniform_ for a leaky ReLU of negative slope a (0 for
// a ReLU), in fan-in mode: U(−b, b) with b = √(2/(1 + a²))·√(3/fanIn). KaimingUniform(√5) is
// TorchUniform; KaimingUniform(0) is HeUniform. It panics if a is not finite.
func KaimingUniform(a float64) Initializer {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		ag.Panicf("layers.KaimingUniform", ag.ErrValue, "slope %g; want a finite value", a)
	}
	gain := math.Sqrt(2 / (1 + a*a))
	return func(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
		uniform(rng, gain*math.Sqrt(3/float64(fanIn)), dst)
	}
}

// TruncatedNormal returns an initialiser drawing from the normal distribution N(mean, std²)
// restricted to [a, b] (absolute bounds, as torch.nn.init.trunc_normal_, whose defaults are
// mean 0, std 1, a −2, b 2). It samples by the inverse of the normal CDF between the bounds'
// probabilities, so that narrow or far bounds cost no rejections. TruncatedNormal panics with an
// *autograd.Error wrapping autograd.ErrValue unless std > 0, a < b and all are finite.
func TruncatedNormal(mean, std, a, b float64) Initializer {
	const op = "layers.TruncatedNormal"
	for _, v := range []float64{mean, std, a, b} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			ag.Panicf(op, ag.ErrValue, "mean %g, std %g, bounds [%g, %g]; want finite values", mean, std, a, b)
		}
	}
	if !(std > 0) || !(a < b) {
		ag.Panicf(op, ag.ErrValue, "std %g and bounds [%g, %g]; want std > 0 and a < b", std, a, b)
	}
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(x-mean)/(std*math.Sqrt2)) }
	lo, hi := cdf(a), cdf(b)
	return func(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
		for i := range dst {
			u := lo + (hi-lo)*rng.Float64()
			x := mean + std*math.Sqrt2*math.Erfinv(2*u-1)
			dst[i] = min(max(x, a), b) // rounding at the tails may step just outside
		}
	}
}

// Orthogonal returns an initialiser giving a weight matrix of shape (fanIn, fanOut) whose
// columns (when fanIn ≥ fanOut) or rows (otherwise) are orthonormal, times gain, drawn uniformly
// (the Haar measure) as torch.nn.init.orthogonal_: Gram-Schmidt orthonormalisation of a matrix
// of standard normal values, which is the QR decomposition with R's diagonal made positive.
// Orthogonal panics with an *autograd.Error wrapping autograd.ErrValue if gain is not finite,
// and the initialiser panics with one wrapping ErrSize if it is asked for anything but a
// fanIn×fanOut matrix (a bias, for example).
func Orthogonal(gain float64) Initializer {
	const op = "layers.Orthogonal"
	if math.IsNaN(gain) || math.IsInf(gain, 0) {
		ag.Panicf(op, ag.ErrValue, "gain %g; want a finite value", gain)
	}
	return func(rng *rand.Rand, fanIn, fanOut int, dst []float64) {
		if len(dst) != fanIn*fanOut {
			ag.Panicf(op, ErrSize, "%d values for a %d×%d matrix; Orthogonal initialises weight matrices only", len(dst), fanIn, fanOut)
		}
		long, short := max(fanIn, fanOut), min(fanIn, fanOut)
		vs := make([][]float64, short) // orthonormal vectors of length long
		for k := range vs {
			v := make([]float64, long)
			for {
				for i := range v {
					v[i] = rng.NormFloat64()
				}
				// Twice, for orthogonality to rounding ("twice is enough", Kahan and Parlett).
				for range 2 {
					for _, u := range vs[:k] {
						d := dot(u, v)
						for i := range v {
							v[i] -= d * u[i]
						}
					}
				}
				if n := math.Sqrt(dot(v, v)); n > 1e-8 { // otherwise dependent: draw again
					for i := range v {
						v[i] /= n
					}
					break
				}
			}
			vs[k] = v
		}
		for i := range fanIn {
			for j := range fanOut {
				if fanIn >= fanOut {
					dst[i*fanOut+j] = gain * vs[j][i] // orthonormal columns
				} else {
					dst[i*fanOut+j] = gain * vs[i][j] // orthonormal rows
				}
			}
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
