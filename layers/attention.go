package layers

import (
	"math"
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// ScaledDotProductAttention returns softmax(q·kᵀ/√d, masked)·v for queries q (…, Lq, d), keys k
// (…, Lk, d) and values v (…, Lk, dv), where … is up to two leading axes shared by all three (a
// batch, and heads). The result is (…, Lq, dv). It is composed of graph ops, so its gradients of
// every order come from their rules.
//
// mask, if not nil, marks with non-zero values the query–key pairs that must not attend, as
// PyTorch's boolean masks (True = masked); it broadcasts to the scores' shape (…, Lq, Lk): a
// key padding mask is (batch, 1, 1, Lk) for four-axis inputs, see KeyPaddingMask. causal masks
// every key after the query's position (j > i), as a language model's. A query whose keys are
// all masked gets NaN, as in PyTorch.
//
// ScaledDotProductAttention panics with an *autograd.Error naming the shapes if the operands'
// ranks or sizes disagree, a sequence is empty, or mask does not broadcast to the scores.
func ScaledDotProductAttention(q, k, v, mask ag.Var, causal bool) ag.Var {
	return attend("layers.ScaledDotProductAttention", q, k, v, mask, causal)
}

func attend(op string, q, k, v, mask ag.Var, causal bool) ag.Var {
	sq, sk, sv := q.Check(op).Shape(), k.Check(op).Shape(), v.Check(op).Shape()
	r := len(sq)
	if r < 2 || r > 4 || len(sk) != r || len(sv) != r ||
		!slices.Equal(sq[:r-2], sk[:r-2]) || !slices.Equal(sk[:r-2], sv[:r-2]) ||
		sq[r-1] != sk[r-1] || sk[r-2] != sv[r-2] {
		ag.Panicf(op, ag.ErrShape, "q %s, k %s, v %s; want (…, Lq, d), (…, Lk, d), (…, Lk, dv) with up to two shared leading axes",
			ag.FormatShape(sq), ag.FormatShape(sk), ag.FormatShape(sv))
	}
	lead := sq[:r-2]
	lq, lk, d, dv := sq[r-2], sk[r-2], sq[r-1], sv[r-1]
	if lq == 0 || lk == 0 {
		ag.Panicf(op, ag.ErrShape, "empty sequence: q %s, k %s", ag.FormatShape(sq), ag.FormatShape(sk))
	}
	nb := 1
	for _, n := range lead {
		nb *= n
	}
	var sbuf, obuf [4]int // r ≤ 4: the scores' and the output's shapes without allocating
	scoreShape := append(append(sbuf[:0], lead...), lq, lk)
	checkMask(op, mask, scoreShape, sq, sk)
	q3, k3, v3 := ops.Reshape(q, nb, lq, d), ops.Reshape(k, nb, lk, d), ops.Reshape(v, nb, lk, dv)
	// The queries are scaled before the product, as PyTorch does: Lq·d elements rather than
	// the Lq·Lk scores.
	scores := ops.MatMulT(ops.MulScalar(q3, 1/math.Sqrt(float64(d))), k3, false, true)
	out := ops.MatMul(maskedSoftmax(scores, mask, causal, scoreShape), v3)
	return ops.Reshape(out, append(append(obuf[:0], lead...), lq, dv)...)
}

// attendT is attend on transposed operands, in the layout MultiHeadAttention's projections
// produce without copying: qT (nb, d, Lq), already scaled by 1/√d, kT (nb, d, Lk) and vT (nb,
// dv, Lk), where nb runs over the batch and the heads. It returns the output transposed, (nb,
// dv, Lq); scoreShape (whose product of leading sizes is nb) is the scores' shape the mask,
// already checked, broadcasts to.
func attendT(qT, kT, vT, mask ag.Var, causal bool, scoreShape []int) ag.Var {
	scores := ops.MatMulT(qT, kT, true, false) // (nb, Lq, Lk)
	return ops.MatMulT(vT, maskedSoftmax(scores, mask, causal, scoreShape), false, true)
}

// checkMask panics unless mask, if not nil, broadcasts to the scores' shape.
func checkMask(op string, mask ag.Var, scoreShape, sq, sk []int) {
	if mask.IsNil() {
		return
	}
	if sm := mask.Check(op).Shape(); !broadcastsTo(sm, scoreShape) {
		ag.Panicf(op, ag.ErrShape, "mask %s does not broadcast to the scores %s (q %s, k %s)",
			ag.FormatShape(sm), ag.FormatShape(scoreShape), ag.FormatShape(sq), ag.FormatShape(sk))
	}
}

// maskedSoftmax returns the softmax along the last axis of scores (nb, Lq, Lk) after masking
// them: −∞ where mask (broadcast to scoreShape) is non-zero, and above the diagonal if causal
// (ops.SoftmaxCausal, which skips the masked half rather than adding −∞ to it).
func maskedSoftmax(scores, mask ag.Var, causal bool, scoreShape []int) ag.Var {
	if !mask.IsNil() {
		s := scores.Shape()
		nb, lq, lk := s[0], s[1], s[2]
		scores = ops.Reshape(scores, scoreShape...)
		if mask.DType() != scores.DType() {
			mask = ops.Cast(mask, scores.DType())
		}
		scores = ops.Reshape(ops.MaskedFill(scores, mask, math.Inf(-1)), nb, lq, lk)
	}
	if causal {
		return ops.SoftmaxCausal(scores)
	}
	return ops.Softmax(scores, -1)
}

// KeyPaddingMask returns a constant on t (on the heap if t is nil) of shape (len(lengths), 1, 1, seq) in dtype dt, 1 at the
// key positions at or past each sequence's length (padding) and 0 elsewhere: the attention mask
// of PyTorch's key_padding_mask for MultiHeadAttention. It panics with an *autograd.Error
// wrapping ErrValue if a length is outside [0, seq].
func KeyPaddingMask(t *ag.Tape, dt ag.DType, lengths []int, seq int) ag.Var {
	m := make([]float64, len(lengths)*seq)
	for b, n := range lengths {
		if n < 0 || n > seq {
			ag.Panicf("layers.KeyPaddingMask", ag.ErrValue, "length %d of sequence %d outside [0, %d]", n, b, seq)
		}
		for j := n; j < seq; j++ {
			m[b*seq+j] = 1
		}
	}
	return ops.Cast(t.Const(m, len(lengths), 1, 1, seq), dt)
}

// broadcastsTo reports whether shape s broadcasts to out (aligned at the end; sizes equal or 1).
func broadcastsTo(s, out []int) bool {
	if len(s) > len(out) {
		return false
	}
	for i := 1; i <= len(s); i++ {
		if a, b := s[len(s)-i], out[len(out)-i]; a != b && a != 1 {
			return false
		}
	}
	return true
}
