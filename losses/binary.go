package losses

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// BCE returns the binary cross-entropy −[t log p + (1 − t) log(1 − p)] of probabilities p and
// targets t in [0, 1] of the same shape, averaged (or summed with Reduce(Sum)). Probabilities
// are first clamped to [ε, 1 − ε] (see Eps), so the loss is finite even at p = 0 or 1, where
// no gradient flows. Prefer BCEWithLogits on a model's logits: it is exact where BCE clamps.
// BCE returns the errors SquaredError does, one wrapping ErrTarget if a target is outside
// [0, 1] or NaN (where the loss can be negative: PyTorch 1.13 stops with a device assertion on
// CUDA and returns such a value on the CPU), and panics if a Var is nil or stale or the dtypes
// differ.
func BCE(p, t ag.Var, opts ...Option) (ag.Var, error) {
	if err := checkPair("losses.BCE", p, t); err != nil {
		return ag.Var{}, err
	}
	if err := checkUnitTargets("losses.BCE", t); err != nil {
		return ag.Var{}, err
	}
	c := configure(Mean, opts)
	lo, hi := clampBounds(c.eps, p.DType())
	pc := ops.Clamp(p, lo, hi)
	l := ops.Add(ops.Mul(t, ops.Log(pc)), ops.Mul(ops.RSubScalar(1, t), ops.Log(ops.RSubScalar(1, pc))))
	return ops.Neg(c.reduce(l)), nil
}

// BCEWithLogits returns the binary cross-entropy of σ(x) and targets t, from logits x, averaged
// (or summed with Reduce(Sum)). It is computed as softplus(x) − x t, where ops.Softplus
// evaluates log(1 + eˣ) as max(x, 0) + log(1 + e^−|x|): the stable form
// max(x, 0) − x t + log(1 + e^−|x|), finite for logits of ±1e4 and ±1e30, whose gradient
// σ(x) − t is exact everywhere (including x = 0). It returns the errors SquaredError does.
func BCEWithLogits(x, t ag.Var, opts ...Option) (ag.Var, error) {
	if err := checkPair("losses.BCEWithLogits", x, t); err != nil {
		return ag.Var{}, err
	}
	return configure(Mean, opts).reduce(ops.Sub(ops.Softplus(x), ops.Mul(x, t))), nil
}

// clampBounds returns [eps, 1 − eps] as bounds that stay inside (0, 1) in dtype dt: 1 − eps
// rounds to 1 in float32 for eps below 3e-8, and a tiny eps to 0, where a logarithm is infinite.
func clampBounds(eps float64, dt ag.DType) (lo, hi float64) {
	lo, hi = eps, 1-eps
	if dt == ag.Float32 {
		lo, hi = float64(float32(lo)), float64(float32(hi))
		lo = max(lo, 0x1p-126) // the smallest normal float32
		if hi >= 1 {
			hi = float64(math.Nextafter32(1, 0))
		}
		return lo, hi
	}
	if hi >= 1 {
		hi = math.Nextafter(1, 0)
	}
	return lo, hi
}
