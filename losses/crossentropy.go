package losses

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// CrossEntropy returns the cross-entropy −log softmax(x)[label] of logits x of shape
// (batch, classes) and one integer label per row, averaged over the rows (or summed with
// Reduce(Sum)). The softmax is fused into the loss, one node forward and one backward
// (ops.SoftmaxCrossEntropy): it subtracts each row's maximum before exponentiating, so logits of
// ±1e4 give finite values and gradients; the gradient with respect to x is softmax(x) −
// onehot(label) per row (divided by the batch size for the mean).
// A model trained with it outputs logits; apply ops.Softmax only to report probabilities.
//
// CrossEntropy returns an error wrapping ErrLabel naming the row and the value if a label is
// outside [0, classes), ErrBatch if len(labels) is not the batch size, and ErrEmpty for an
// empty batch. It panics if x is not 2-D, or nil or stale.
func CrossEntropy(x ag.Var, labels []int, opts ...Option) (ag.Var, error) {
	if err := checkLabels("losses.CrossEntropy", x, labels); err != nil {
		return ag.Var{}, err
	}
	c := 1.0
	if configure(Mean, opts).red == Mean {
		c = 1 / float64(len(labels))
	}
	mask := ops.OneHot(ops.TapeOf(x), x.DType(), labels, x.Shape()[1])
	return ops.SoftmaxCrossEntropy(x, mask, c), nil
}

// NLL returns the negative log-likelihood −logp[label] of log-probabilities logp of shape
// (batch, classes) and one integer label per row, averaged over the rows (or summed with
// Reduce(Sum)). With logp = ops.LogSoftmax(x, 1) it equals CrossEntropy(x). It returns the
// errors CrossEntropy does.
func NLL(logp ag.Var, labels []int, opts ...Option) (ag.Var, error) {
	if err := checkLabels("losses.NLL", logp, labels); err != nil {
		return ag.Var{}, err
	}
	return nll(logp, labels, configure(Mean, opts)), nil
}

// nll picks each row's labelled entry with a one-hot mask (a constant, so the gradient is the
// mask itself, negated) and reduces. It selects with Where rather than multiplying by the mask:
// a masked-out logit of −Inf, common for excluded classes, would give 0·(−Inf) = NaN.
func nll(logp ag.Var, labels []int, c config) ag.Var {
	classes := logp.Shape()[1]
	mask := ops.OneHot(ops.TapeOf(logp), logp.DType(), labels, classes)
	picked := ops.Where(mask, logp, ops.ScalarLike(logp, 0))
	return ops.Neg(c.reduce(ops.Sum(picked, 1)))
}
