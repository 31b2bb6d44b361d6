package layers

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// MultiHeadAttention is multi-head attention with PyTorch's parameterisation
// (torch.nn.MultiheadAttention with batch_first=True and equal query, key and value widths):
// the queries, keys and values are projected by the three (E, E) blocks of InProjWeight and
// InProjBias, split into Heads heads of width E/Heads, attended by ScaledDotProductAttention,
// joined and projected by OutProjWeight and OutProjBias. Weights are applied transposed
// (y = x·Wᵀ + b), in PyTorch's layout, and named as its state_dict: "in_proj_weight",
// "in_proj_bias", "out_proj.weight", "out_proj.bias".
type MultiHeadAttention struct {
	InProjWeight  ag.Var // (3E, E): the query, key and value projections, in this order
	InProjBias    ag.Var // (3E)
	OutProjWeight ag.Var // (E, E)
	OutProjBias   ag.Var // (E)
	Embed, Heads  int
}

// NewMultiHeadAttention returns attention of the given width and number of heads, initialised as
// PyTorch's: InProjWeight from Glorot's uniform, OutProjWeight from U(±1/√embed), biases zero
// (WithInit replaces both weight initialisers; WithSeed, WithRand and WithDType apply).
// NewMultiHeadAttention panics with an *autograd.Error wrapping ErrSize if a size is below 1 or
// heads does not divide embed.
func NewMultiHeadAttention(embed, heads int, opts ...Option) *MultiHeadAttention {
	const op = "layers.NewMultiHeadAttention"
	checkSize(op, "width", embed)
	checkSize(op, "number of heads", heads)
	if embed%heads != 0 {
		ag.Panicf(op, ErrSize, "%d heads do not divide the width %d", heads, embed)
	}
	o := newOptions(nil, opts)
	inInit, outInit := o.weight, o.weight
	if o.weight == nil { // PyTorch's defaults
		inInit, outInit = GlorotUniform, TorchUniform
	}
	return &MultiHeadAttention{
		InProjWeight:  o.newParam(inInit, embed, 3*embed, 3*embed, embed),
		InProjBias:    o.newParam(Zeros, embed, 3*embed, 3*embed),
		OutProjWeight: o.newParam(outInit, embed, embed, embed, embed),
		OutProjBias:   o.newParam(Zeros, embed, embed, embed),
		Embed:         embed,
		Heads:         heads,
	}
}

// Attend returns the attention of the queries q (batch, Lq, E) over the keys k and values v
// (batch, Lk, E), of shape (batch, Lq, E). mask, if not nil, marks with non-zero values the
// pairs that must not attend and broadcasts to (batch, Heads, Lq, Lk): an (Lq, Lk) attention
// mask, or a key padding mask from KeyPaddingMask; causal masks the keys after each query. Attend
// panics with an *autograd.Error naming the layer and the shapes if the inputs are not of these
// shapes, a sequence is empty, the mask does not broadcast, or a dtype differs.
func (m *MultiHeadAttention) Attend(q, k, v, mask ag.Var, causal bool) ag.Var {
	const op = "layers.MultiHeadAttention"
	if m == nil || m.InProjWeight.IsNil() {
		ag.Panicf(op, ag.ErrValue, "nil MultiHeadAttention; create it with layers.NewMultiHeadAttention")
	}
	sq, sk, sv := q.Check(op).Shape(), k.Check(op).Shape(), v.Check(op).Shape()
	e := m.Embed
	if len(sq) != 3 || len(sk) != 3 || len(sv) != 3 || sq[2] != e || sk[2] != e || sv[2] != e ||
		sk[0] != sq[0] || sv[0] != sq[0] || sv[1] != sk[1] {
		ag.Panicf(op, ag.ErrShape, "q %s, k %s, v %s; want (batch, Lq, %d), (batch, Lk, %d), (batch, Lk, %d)",
			ag.FormatShape(sq), ag.FormatShape(sk), ag.FormatShape(sv), e, e, e)
	}
	checkDType(op, "input", q, m.InProjWeight)
	checkDType(op, "input", k, m.InProjWeight)
	checkDType(op, "input", v, m.InProjWeight)
	b, lq, lk := sq[0], sq[1], sk[1]
	if lq == 0 || lk == 0 {
		ag.Panicf(op, ag.ErrShape, "empty sequence: q %s, k %s", ag.FormatShape(sq), ag.FormatShape(sk))
	}
	// Three products with the three blocks of the input projection, also for self-attention:
	// slicing the queries, keys and values out of one product would cost, in the backward pass,
	// a zero-padded gradient of the whole (batch, L, 3E) product, into whose blocks the other two
	// slices' gradients are then added (three padded gradients and two sums of them before the
	// pass kept a rule's new result as its sum); the blocks of the weights are small. The blocks are taken from views on the input's tape, so
	// that a steady step allocates nothing. Each block is applied as W·xᵀ, batched over the
	// examples: its (batch, E, L) result is, reshaped, every head's transposed queries (keys,
	// values) (batch·heads, E/heads, L) with no copy, where x·Wᵀ would need its heads moved
	// to the front, and back again for the output, forward and backward (a quarter of
	// attention's time besides the products, issue 12).
	tp := ops.TapeOf(q)
	w, bias := ops.OnTape(tp, m.InProjWeight), ops.OnTape(tp, m.InProjBias)
	d := e / m.Heads
	// The queries' scale 1/√d is applied to the query block of the weights and bias, E²+E
	// elements, rather than to the queries, batch·L·E of them, forward and backward: the same in
	// exact arithmetic, and the same bits when d is a power of 4 (the scale a power of two).
	scale := 1 / math.Sqrt(float64(d))
	// Only the queries get their bias added (the Add's pass forward, its sum backward): the
	// keys' bias adds q·b_k to every score of a query, which its softmax cancels, so it has
	// no effect (its gradient is 0, as PyTorch's up to rounding); and the values' bias comes
	// out of the attention unchanged, each output being a weighted mean of the values, so it is
	// added after the output projection as Wo·b_v, with Wo's bias. Both are exact in exact
	// arithmetic (a query whose keys are all masked still gets NaN). Both rely on each query's
	// attention weights summing to 1, so dropout on the weights would need the biases back.
	block := func(x ag.Var, i, l int) ag.Var {
		wi := ops.Slice(w, 0, i*e, (i+1)*e)
		if i == 0 {
			wi = ops.MulScalar(wi, scale)
		}
		xT := ops.MatMulT(wi, x, false, true) // (b, E, l)
		if i == 0 {
			bq := ops.MulScalar(ops.Slice(bias, 0, 0, e), scale)
			xT = ops.Add(xT, ops.Reshape(bq, e, 1))
		}
		return ops.Reshape(xT, b*m.Heads, d, l)
	}
	var sbuf [4]int
	scoreShape := append(sbuf[:0], b, m.Heads, lq, lk)
	checkMask(op, mask, scoreShape, sq, sk)
	outT := attendT(block(q, 0, lq), block(k, 1, lk), block(v, 2, lk), mask, causal, scoreShape) // (b·heads, d, lq)
	// out = outTᵀ·Woᵀ per example, (b, lq, E), plus Wo's bias and the values' bias through Wo.
	y := ops.MatMulT(ops.Reshape(outT, b, e, lq), m.OutProjWeight, true, true)
	outBias := ops.Add(ops.MatMul(m.OutProjWeight, ops.Slice(bias, 0, 2*e, 3*e)), m.OutProjBias)
	return ops.Add(y, outBias)
}

// Forward returns the self-attention of x (batch, L, E) without a mask; see Attend.
func (m *MultiHeadAttention) Forward(x ag.Var) ag.Var { return m.Attend(x, x, x, ag.Var{}, false) }

// ForwardN takes (q, k, v) or (q, k, v, mask) and returns {the attention}; see Attend.
func (m *MultiHeadAttention) ForwardN(xs ...ag.Var) []ag.Var {
	if len(xs) != 3 && len(xs) != 4 {
		ag.Panicf("layers.MultiHeadAttention", ag.ErrValue, "%d inputs; want q, k, v and an optional mask", len(xs))
	}
	var mask ag.Var
	if len(xs) == 4 {
		mask = xs[3]
	}
	return []ag.Var{m.Attend(xs[0], xs[1], xs[2], mask, false)}
}

// NamedParams returns "in_proj_weight", "in_proj_bias", "out_proj.weight" and "out_proj.bias".
func (m *MultiHeadAttention) NamedParams() []Param {
	return []Param{
		{"in_proj_weight", m.InProjWeight},
		{"in_proj_bias", m.InProjBias},
		{"out_proj.weight", m.OutProjWeight},
		{"out_proj.bias", m.OutProjBias},
	}
}
