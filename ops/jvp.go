package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Helpers of the forward-mode rules (Op.JVP) in vjp.go. In every rule y is the output and t[i]
// the tangent of input i, the zero Var when it is zero; a rule returns the zero Var for a zero
// tangent. The helpers below pass zero tangents through without computing anything.

// onTangent makes a rule from f applied to the tangent of input 0: the rule of a unary operation
// that is linear in its input (ẏ = f(ȧ)).
func onTangent(f func(t, y ag.Var) ag.Var) func(y ag.Var, t []ag.Var) ag.Var {
	return func(y ag.Var, t []ag.Var) ag.Var {
		if t[0].IsNil() {
			return ag.Var{}
		}
		return f(t[0], y)
	}
}

// diagonal makes the rule of an elementwise operation whose inputs all have its output's shape:
// its Jacobian with respect to each input is diagonal, hence symmetric, so ẏ = Σᵢ Jᵢ ṫᵢ =
// Σᵢ Jᵢᵀ ṫᵢ is the sum of its own vector-Jacobian products applied to the tangents.
func diagonal(op *ag.Op) func(y ag.Var, t []ag.Var) ag.Var {
	return func(y ag.Var, t []ag.Var) ag.Var {
		var sum ag.Var
		for i, ti := range t {
			if !ti.IsNil() && op.Grads[i] != nil {
				sum = addT(sum, op.Grads[i](ti, y))
			}
		}
		return sum
	}
}

// noTangent is the rule of a piecewise constant operation: its tangent is zero.
func noTangent(y ag.Var, t []ag.Var) ag.Var { return ag.Var{} }

// addT is a + b with the zero Var as zero, broadcasting as Add does.
func addT(a, b ag.Var) ag.Var {
	switch {
	case a.IsNil():
		return b
	case b.IsNil():
		return a
	}
	return Add(a, b)
}

// mulT is a·b with the zero Var as zero: zero if either is.
func mulT(a, b ag.Var) ag.Var {
	if a.IsNil() || b.IsNil() {
		return ag.Var{}
	}
	return Mul(a, b)
}

// negTan is −a with the zero Var as zero.
func negTan(a ag.Var) ag.Var {
	if a.IsNil() {
		return a
	}
	return Neg(a)
}

// likeOut broadcasts a non-zero tangent to y's shape: a broadcasting operand's tangent has its
// operand's shape.
func likeOut(t, y ag.Var) ag.Var {
	if t.IsNil() || slices.Equal(t.Shape(), y.Shape()) {
		return t
	}
	return BroadcastTo(t, y.Shape()...)
}

// zerosFor returns t, or zeros shaped like x when t is the zero Var, for rules that need every
// operand (Concat, Where).
func zerosFor(t, x ag.Var) ag.Var {
	if !t.IsNil() {
		return t
	}
	return x.Tape().Zeros(x.DType(), x.Shape()...)
}

// divJVP is the tangent of y = a/b: ẏ = (ȧ − ḃ·y)/b.
func divJVP(y ag.Var, t []ag.Var) ag.Var {
	return likeOut(Div(addT(t[0], negTan(mulT(t[1], y))), in(y, 1)), y)
}

// powJVP is the tangent of y = a^b: ẏ = ȧ·b·a^(b−1) + ḃ·y·log a, with the limits of powGradA
// and powGradB.
func powJVP(y ag.Var, t []ag.Var) ag.Var {
	var s ag.Var
	if !t[0].IsNil() {
		s = Mul(t[0], powFactorA(y))
	}
	if !t[1].IsNil() {
		s = addT(s, Mul(t[1], powFactorB(y)))
	}
	return likeOut(s, y)
}

// whereJVP is the tangent of y = c ? a : b: ẏ = c ? ȧ : ḃ.
func whereJVP(y ag.Var, t []ag.Var) ag.Var {
	if t[1].IsNil() && t[2].IsNil() {
		return ag.Var{}
	}
	ta, tb := t[1], t[2]
	if ta.IsNil() {
		ta = zeroLike(tb)
	}
	if tb.IsNil() {
		tb = zeroLike(ta)
	}
	return likeOut(Where(in(y, 0), ta, tb), y)
}

// matmulJVP is the tangent of C = op(A)·op(B): Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ).
func matmulJVP(y ag.Var, t []ag.Var, ta, tb bool) ag.Var {
	var s ag.Var
	if !t[0].IsNil() {
		s = MatMulT(t[0], in(y, 1), ta, tb)
	}
	if !t[1].IsNil() {
		s = addT(s, MatMulT(in(y, 0), t[1], ta, tb))
	}
	return likeOut(s, y)
}

// matmulSumJVP is the tangent of C = Σₙ op(Aₙ)·op(Bₙ): Σₙ op(Ȧₙ)·op(Bₙ) + op(Aₙ)·op(Ḃₙ).
func matmulSumJVP(y ag.Var, t []ag.Var, ta, tb bool) ag.Var {
	var s ag.Var
	if !t[0].IsNil() {
		s = matmulSum(t[0], in(y, 1), ta, tb)
	}
	if !t[1].IsNil() {
		s = addT(s, matmulSum(in(y, 0), t[1], ta, tb))
	}
	return s
}

// maxJVP is the tangent of y = max of a over the reduced axes: the mean of ȧ over the elements
// that attain the max (the adjoint of maxGrad's even split between ties).
func maxJVP(y ag.Var, t []ag.Var) ag.Var {
	a := in(y, 0)
	mask := Equal(a, y)
	return Div(SumTo(Mul(mask, t[0]), y.Shape()...), SumTo(mask, y.Shape()...))
}

// concatJVP is the tangent of a concatenation: the inputs' tangents concatenated, zeros for the
// zero ones.
func concatJVP(y ag.Var, t []ag.Var) ag.Var {
	ts := make([]ag.Var, len(t))
	for i, ti := range t {
		ts[i] = zerosFor(ti, in(y, i))
	}
	return Concat(y.Ints()[0], ts...)
}

// scatterAddJVP is the tangent of y = a + scatter(src) (or scatter(src) into zeros): ẏ = ȧ +
// scatter(ṡrc).
func scatterAddJVP(y ag.Var, t []ag.Var) ag.Var {
	var base ag.Var
	if len(t) == 2 {
		base = t[0]
	}
	src := t[len(t)-1]
	if src.IsNil() {
		return base
	}
	at := attrOf(y)
	return scatterAddTo(base, y.Shape(), at.ax, at.idx, src)
}

// indexAddJVP is the tangent of y = a + indexAdd(src) (or indexAdd(src) into zeros): ẏ = ȧ +
// indexAdd(ṡrc).
func indexAddJVP(y ag.Var, t []ag.Var) ag.Var {
	var base ag.Var
	if len(t) == 2 {
		base = t[0]
	}
	src := t[len(t)-1]
	if src.IsNil() {
		return base
	}
	at := attrOf(y)
	return indexAddTo(base, y.Shape(), at.ax, at.idx, src)
}

// convJVP is the tangent of y = conv(x, w), bilinear: ẏ = conv(ẋ, w) + conv(x, ẇ).
func convJVP(y ag.Var, t []ag.Var) ag.Var {
	win, _, _ := unpackConvAttrs(y.Ints())
	var s ag.Var
	if !t[0].IsNil() {
		s = convFused(t[0], in(y, 1), win)
	}
	if !t[1].IsNil() {
		s = addT(s, convFused(in(y, 0), t[1], win))
	}
	return s
}

// convBiasJVP is the tangent of y = conv(x, w) + b: conv's tangent plus ḃ on every position of
// its channel.
func convBiasJVP(y ag.Var, t []ag.Var) ag.Var {
	s := convJVP(y, t[:2])
	if tb := t[2]; !tb.IsNil() {
		s = addT(s, BroadcastTo(Reshape(tb, 1, tb.Shape()[0], 1), y.Shape()...))
	}
	return s
}

// convGradInputJVP is the tangent of z = convGradInput(g, w), bilinear: ż = convGradInput(ġ, w)
// + convGradInput(g, ẇ).
func convGradInputJVP(z ag.Var, t []ag.Var) ag.Var {
	win, h, w := unpackConvAttrs(z.Ints())
	var s ag.Var
	if !t[0].IsNil() {
		s = convGradInput(t[0], in(z, 1), win, h, w)
	}
	if !t[1].IsNil() {
		s = addT(s, convGradInput(in(z, 0), t[1], win, h, w))
	}
	return s
}

// convGradWeightJVP is the tangent of v = convGradWeight(g, x), bilinear: v̇ =
// convGradWeight(ġ, x) + convGradWeight(g, ẋ).
func convGradWeightJVP(v ag.Var, t []ag.Var) ag.Var {
	win, _, _ := unpackConvAttrs(v.Ints())
	var s ag.Var
	if !t[0].IsNil() {
		s = convGradWeight(t[0], in(v, 1), win)
	}
	if !t[1].IsNil() {
		s = addT(s, convGradWeight(in(v, 0), t[1], win))
	}
	return s
}
