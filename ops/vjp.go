package ops

import (
	"slices"

	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/vmath"
)

// The primitives. They are assigned in init because their rules call the operations that use
// them.
var (
	addOp, subOp, mulOp, mulScalarOp, divOp, powOp, powConstOp, negOp, expOp, logOp, absOp, signOp, stepOp,
	sigmoidOp, sigmoidGradOp, tanhOp, softplusOp, erfOp, reluOp, greaterOp, greaterEqualOp,
	lessOp, lessEqualOp, equalOp, whereOp, transposeOp, reshapeOp, broadcastOp, sumToOp,
	maxToOp, sliceOp, padOp, concatOp, castOp,
	im2colOp, col2imOp *ag.Op
	gatherOp, scatterAddOp, indexSelectOp, indexAddOp, stridedSliceOp, stridedScatterOp, cumsumOp *ag.Op
	// matmulSumOps (ops/matmulsum.go) is declared there, as matmulOps is in ops/matmul.go
	convOp, convGradInputOp, convGradWeightOp *ag.Op
	convBiasOp                                *ag.Op
	maxPoolOp, maxUnpoolOp, maxRouteOp        *ag.Op
	reluGradOp                                *ag.Op

	lstmCOp, lstmHOp, lstmCGradOp, lstmHGradOp *ag.Op // LSTM cell (issue 12)
	lstmHGradCOp                               *ag.Op
	geluOp, geluGradOp                         *ag.Op // GELU (issue 12)
	softmaxOp, softmaxGradOp                   *ag.Op // Softmax along the last axis (issue 12)
	standardizeOp, standardizeGradOp           *ag.Op // Standardize, LayerNorm's core (issue 12)
	softmaxCausalOp                            *ag.Op // causal attention's softmax (issue 12)
	sqDiffOp, sqDiffGradOp                     *ag.Op // the squared-error losses (issue 16)
	softmaxCEOp, softmaxCEGradOp               *ag.Op // the softmax cross-entropy (issue 16)
	affineOp                                   *ag.Op // a fully connected layer, x·W + b (issue 16)
)

// The table of derivative rules: one entry per primitive, one vector-Jacobian product per input.
// In every rule g is the upstream gradient (shaped like the output), y is the output, and
// in(y, i) is input i. Each rule is written with ops, so a recorded backward pass can be
// differentiated again. Elementwise rules end in sumLike, which sums a broadcast gradient back
// to its input's shape. A nil rule marks an input no gradient flows through. Below each entry,
// "forward:" gives the primitive's Jacobian-vector product (Op.JVP), the rule of forward mode:
// ẏ from the inputs' tangents ȧ, ḃ (the zero Var for a zero tangent); see ops/jvp.go for its
// helpers and the longer rules, and TestJVPComplete.
func init() {
	// y = a + b: ∂a = g, ∂b = g
	addOp = prim("ops.Add",
		func(g, y ag.Var) ag.Var { return sumLike(g, in(y, 0)) },
		func(g, y ag.Var) ag.Var { return sumLike(g, in(y, 1)) })
	// forward: ẏ = ȧ + ḃ
	// g summed to the input's shape, added into the gradient summed so far (Op.GradsInto): a
	// bias added with Add, without a SumTo result
	addOp.GradsInto = []func(dst, g, y ag.Var) bool{addGradInto, addGradInto}
	// scalars (Op.ScalarGrads): ∂a = g, ∂b = g
	addOp.ScalarGrads = func(g, y, a, b float64) (float64, float64) { return g, g }
	addOp.JVP = func(y ag.Var, t []ag.Var) ag.Var { return likeOut(addT(t[0], t[1]), y) }
	// y = a − b: ∂a = g, ∂b = −g
	subOp = prim("ops.Sub",
		func(g, y ag.Var) ag.Var { return sumLike(g, in(y, 0)) },
		func(g, y ag.Var) ag.Var { return sumLike(Neg(g), in(y, 1)) })
	// forward: ẏ = ȧ − ḃ
	subOp.JVP = func(y ag.Var, t []ag.Var) ag.Var { return likeOut(addT(t[0], negTan(t[1])), y) }
	// scalars: ∂a = g, ∂b = −g
	subOp.ScalarGrads = func(g, y, a, b float64) (float64, float64) { return g, -g }
	// y = a·b: ∂a = g·b, ∂b = g·a
	mulOp = prim("ops.Mul",
		func(g, y ag.Var) ag.Var { return sumLike(Mul(g, in(y, 1)), in(y, 0)) },
		func(g, y ag.Var) ag.Var { return sumLike(Mul(g, in(y, 0)), in(y, 1)) })
	// g·b (g·a) added into the gradient summed so far, for inputs shaped like g (Op.GradsInto)
	mulOp.GradsInto = []func(dst, g, y ag.Var) bool{
		func(dst, g, y ag.Var) bool { return mulGradInto(dst, g, y, 1) },
		func(dst, g, y ag.Var) bool { return mulGradInto(dst, g, y, 0) },
	}
	// scalars: ∂a = g·b, ∂b = g·a
	mulOp.ScalarGrads = func(g, y, a, b float64) (float64, float64) { return g * b, g * a }
	// forward: ẏ = ȧ·b + a·ḃ
	mulOp.JVP = func(y ag.Var, t []ag.Var) ag.Var {
		return likeOut(addT(mulT(t[0], in(y, 1)), mulT(in(y, 0), t[1])), y)
	}
	// y = a·c for a constant c (Float): ∂a = g·c
	mulScalarOp = prim("ops.MulScalar", func(g, y ag.Var) ag.Var { return MulScalar(g, y.FloatAttr()) })
	// forward: ẏ = ȧ·c
	mulScalarOp.JVP = diagonal(mulScalarOp)
	// y = a/b: ∂a = g/b, ∂b = −g·y/b
	divOp = prim("ops.Div",
		func(g, y ag.Var) ag.Var { return sumLike(Div(g, in(y, 1)), in(y, 0)) },
		func(g, y ag.Var) ag.Var { return sumLike(Neg(Mul(g, Div(y, in(y, 1)))), in(y, 1)) })
	// forward: ẏ = (ȧ − ḃ·y)/b
	divOp.JVP = divJVP
	// scalars: ∂a = g/b, ∂b = −g·(y/b), rounded as the rule's three operations round
	divOp.ScalarGrads = func(g, y, a, b float64) (float64, float64) { return g / b, -(g * (y / b)) }
	// y = a^b: ∂a = g·b·a^(b−1), 0 where b = 0; ∂b = g·y·log a, 0 where a = 0 and b ≥ 0 (as
	// PyTorch: the limits, where the formulas give 0·∞)
	powOp = prim("ops.Pow", powGradA, powGradB)
	// forward: ẏ = ȧ·b·a^(b−1) + ḃ·y·log a, with the same limits; see powJVP
	powOp.JVP = powJVP
	// y = a^p for a constant p (Float): ∂a = g·p·a^(p−1)
	powConstOp = prim("ops.PowConst", powConstGrad)
	// forward: ẏ = ȧ·p·a^(p−1)
	powConstOp.JVP = diagonal(powConstOp)
	// y = −a: ∂a = −g
	negOp = prim("ops.Neg", func(g, y ag.Var) ag.Var { return Neg(g) })
	// forward: ẏ = −ȧ
	negOp.JVP = diagonal(negOp)
	// scalars (Op.ScalarGrads): ∂a = −g
	negOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return -g, 0 }
	// y = exp a: ∂a = g·y
	expOp = prim("ops.Exp", func(g, y ag.Var) ag.Var { return Mul(g, y) })
	// forward: ẏ = ȧ·y
	expOp.JVP = diagonal(expOp)
	// scalars: ∂a = g·y
	expOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return g * y, 0 }
	// y = log a: ∂a = g/a
	logOp = prim("ops.Log", func(g, y ag.Var) ag.Var { return Div(g, in(y, 0)) })
	// forward: ẏ = ȧ/a
	logOp.JVP = diagonal(logOp)
	// scalars: ∂a = g/a
	logOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return g / a, 0 }
	// y = |a|: ∂a = g·sign a (0 at a = 0)
	absOp = prim("ops.Abs", func(g, y ag.Var) ag.Var { return Mul(g, Sign(in(y, 0))) })
	// forward: ẏ = ȧ·sign a
	absOp.JVP = diagonal(absOp)
	// y = sign a: piecewise constant, no gradient
	signOp = prim("ops.Sign", nil)
	// forward: ẏ = 0
	signOp.JVP = noTangent
	// y = H(a), the Heaviside step (1 for a > 0, else 0): its derivative is 0 wherever it exists
	// (the jump at 0 has none), so no gradient flows; perceptrons learn by their own rule.
	stepOp = prim("ops.Step", nil)
	// forward: ẏ = 0
	stepOp.JVP = noTangent
	// y = σ(a): ∂a = g·y·(1−y), fused into one primitive (see sigmoidGradOp)
	sigmoidOp = prim("ops.Sigmoid", func(g, y ag.Var) ag.Var { return sigmoidGrad(g, y) })
	// forward: ẏ = ȧ·y·(1−y)
	sigmoidOp.JVP = diagonal(sigmoidOp)
	// scalars: ∂a = g·y·(1−y), as SigmoidGrad rounds it
	sigmoidOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return vmath.ScalarSigmoidGrad64(g, y), 0 }
	// z = g·y·(1−y), the fused backward of Sigmoid: ∂g = y·(1−y), ∂y = g·(1−2y)
	sigmoidGradOp = prim("ops.SigmoidGrad",
		func(h, z ag.Var) ag.Var { y := in(z, 1); return Mul(h, Mul(y, RSubScalar(1, y))) },
		func(h, z ag.Var) ag.Var { return Mul(h, Mul(in(z, 0), RSubScalar(1, MulScalar(in(z, 1), 2)))) })
	// forward: ż = ġ·y·(1−y) + ẏ·g·(1−2y)
	sigmoidGradOp.JVP = diagonal(sigmoidGradOp)
	// y = tanh a: ∂a = g·(1−y²)
	tanhOp = prim("ops.Tanh", func(g, y ag.Var) ag.Var { return Mul(g, RSubScalar(1, Square(y))) })
	// forward: ẏ = ȧ·(1−y²)
	tanhOp.JVP = diagonal(tanhOp)
	// scalars: ∂a = g·(1−y²), y² rounded apart as Square rounds it (the conversion: no fused
	// multiply-add on arm64)
	tanhOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return g * (1 - float64(y*y)), 0 }
	// y = log(1+eᵃ): ∂a = g·σ(a)
	softplusOp = prim("ops.Softplus", func(g, y ag.Var) ag.Var { return Mul(g, Sigmoid(in(y, 0))) })
	// forward: ẏ = ȧ·σ(a)
	softplusOp.JVP = diagonal(softplusOp)
	// y = erf a: ∂a = g·(2/√π)·exp(−a²)
	erfOp = prim("ops.Erf", func(g, y ag.Var) ag.Var {
		return Mul(g, MulScalar(Exp(Neg(Square(in(y, 0)))), 2/math.SqrtPi))
	})
	// forward: ẏ = ȧ·(2/√π)·exp(−a²)
	erfOp.JVP = diagonal(erfOp)
	// y = max(a, 0): ∂a = g·H(a), fused into one primitive (see reluGradOp)
	reluOp = prim("ops.ReLU", func(g, y ag.Var) ag.Var { return reluGrad(g, in(y, 0)) })
	// forward: ẏ = ȧ·H(a)
	reluOp.JVP = diagonal(reluOp)
	// scalars: ∂a = g where a > 0, else +0, as ReLUGrad
	reluOp.ScalarGrads = func(g, y, a, _ float64) (float64, float64) { return reluGrad64One(g, a), 0 }
	// y = 1 where a > b (≥, <, ≤, = for the others), else 0: piecewise constant, no gradient
	greaterOp = prim("ops.Greater", nil, nil)
	greaterEqualOp = prim("ops.GreaterEqual", nil, nil)
	lessOp = prim("ops.Less", nil, nil)
	lessEqualOp = prim("ops.LessEqual", nil, nil)
	equalOp = prim("ops.Equal", nil, nil)
	// forward: ẏ = 0 for all five
	for _, op := range []*ag.Op{greaterOp, greaterEqualOp, lessOp, lessEqualOp, equalOp} {
		op.JVP = noTangent
	}
	// y = c ? a : b: ∂c none, ∂a = g where c, ∂b = g where not c
	whereOp = prim("ops.Where", nil,
		func(g, y ag.Var) ag.Var { return sumLike(Where(in(y, 0), g, zeroLike(g)), in(y, 1)) },
		func(g, y ag.Var) ag.Var { return sumLike(Where(in(y, 0), zeroLike(g), g), in(y, 2)) })
	// forward: ẏ = c ? ȧ : ḃ
	whereOp.JVP = whereJVP
	// C = op(A)·op(B) with op = identity or transpose (one Op per pair of flags, see matmulOps):
	// ∂op(A) = G·op(B)ᵀ, ∂op(B) = op(A)ᵀ·G; see matmulGradA and matmulGradB
	for ta := range 2 {
		for tb := range 2 {
			matmulOps[ta][tb] = prim("ops.MatMul",
				func(g, y ag.Var) ag.Var { return matmulGradA(g, y, ta == 1, tb == 1) },
				func(g, y ag.Var) ag.Var {
					if sgdInPlace(g, y) { // W ← keep·W − lr·Aᵀ·G in place, asked by MatMulSGD's optimizer
						return ag.Var{}
					}
					return matmulGradB(g, y, ta == 1, tb == 1)
				})
			// ∂op(B) added into the gradient summed so far, when B is used by several products
			matmulOps[ta][tb].GradsInto = []func(dst, g, y ag.Var) bool{1: func(dst, g, y ag.Var) bool {
				return matmulGradBInto(dst, g, y, ta == 1, tb == 1)
			}}
			// forward: Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ)
			matmulOps[ta][tb].JVP = func(y ag.Var, t []ag.Var) ag.Var { return matmulJVP(y, t, ta == 1, tb == 1) }
		}
	}
	// y = transpose of a by the permutation in Ints: ∂a = g transposed by the inverse permutation
	transposeOp = prim("ops.Transpose", func(g, y ag.Var) ag.Var {
		p := y.Ints()
		inv := inversePerm(p)
		return Transpose(g, inv[:len(p)]...)
	})
	// forward: ẏ = ȧ transposed by the same permutation
	transposeOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Transpose(t, y.Ints()...) })
	// y = a reshaped (a view): ∂a = g reshaped back
	reshapeOp = prim("ops.Reshape", func(g, y ag.Var) ag.Var { return Reshape(g, in(y, 0).Shape()...) })
	// forward: ẏ = ȧ reshaped
	reshapeOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Reshape(t, y.Shape()...) })
	// y = a broadcast to a larger shape: ∂a = g summed back to a's shape
	broadcastOp = prim("ops.BroadcastTo", func(g, y ag.Var) ag.Var { return SumTo(g, in(y, 0).Shape()...) })
	// forward: ẏ = ȧ broadcast
	broadcastOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return BroadcastTo(t, y.Shape()...) })
	// y = a summed down to a shape it broadcasts to: ∂a = g broadcast back
	sumToOp = prim("ops.SumTo", func(g, y ag.Var) ag.Var { return BroadcastTo(g, in(y, 0).Shape()...) })
	// forward: ẏ = ȧ summed
	sumToOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return SumTo(t, y.Shape()...) })
	// y = max of a over the axes where y has size 1: ∂a = g where a attains the max, split evenly
	// between ties (as PyTorch's amax); see maxGrad
	maxToOp = prim("ops.MaxTo", maxGrad)
	// forward: ẏ = the mean of ȧ over the elements that attain the max; see maxJVP
	maxToOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return maxJVP(y, []ag.Var{t}) })
	// y = a[start:end] along an axis (Ints: axis, start, end): ∂a = g padded with zeros
	sliceOp = prim("ops.Slice", func(g, y ag.Var) ag.Var {
		ax, start, end := y.Ints()[0], y.Ints()[1], y.Ints()[2]
		return Pad(g, ax, start, in(y, 0).Shape()[ax]-end)
	})
	// ∂a's slice added into the gradient summed so far: a sequence's steps sliced one by one
	sliceOp.GradsInto = []func(dst, g, y ag.Var) bool{sliceGradInto}
	// forward: ẏ = ȧ[start:end]
	sliceOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Slice(t, y.Ints()[0], y.Ints()[1], y.Ints()[2]) })
	// y = a padded with zeros along an axis (Ints: axis, before, after): ∂a = the slice of g
	padOp = prim("ops.Pad", func(g, y ag.Var) ag.Var {
		ax, before := y.Ints()[0], y.Ints()[1]
		return Slice(g, ax, before, before+in(y, 0).Shape()[ax])
	})
	// forward: ẏ = ȧ padded with zeros
	padOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Pad(t, y.Ints()[0], y.Ints()[1], y.Ints()[2]) })
	// y = inputs joined along an axis (Ints: axis): ∂input i = the slice of g it came from
	concatOp = &ag.Op{Name: "ops.Concat", Variadic: concatGrad}
	// forward: ẏ = the tangents joined, zeros for zero ones
	concatOp.JVP = concatJVP
	// y = a converted to another dtype: ∂a = g converted back
	castOp = prim("ops.Cast", func(g, y ag.Var) ag.Var { return Cast(g, in(y, 0).DType()) })
	// forward: ẏ = ȧ converted
	castOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Cast(t, y.DType()) })
	// Convolution and pooling (ops/im2col.go, ops/conv.go): unfold and fold, each other's adjoint.
	// y = Im2col(x) (window in Ints, pad value in Float): ∂x = Col2im(g), the pad taps being
	// constants
	im2colOp = prim("ops.Im2col", func(g, y ag.Var) ag.Var {
		s := in(y, 0).Shape()
		return Col2im(g, unpackWindow(y.Ints()), s[2], s[3])
	})
	// forward: ẏ = Im2col(ȧ) with zero padding
	im2colOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return Im2col(t, unpackWindow(y.Ints()), 0) })
	// y = Col2im(c) (window in Ints), a sum of taps of c: ∂c = Im2col(g) with zero padding
	col2imOp = prim("ops.Col2im", func(g, y ag.Var) ag.Var { return Im2col(g, unpackWindow(y.Ints()), 0) })
	// forward: ẏ = Col2im(ċ)
	col2imOp.JVP = onTangent(func(t, y ag.Var) ag.Var {
		return Col2im(t, unpackWindow(y.Ints()), y.Shape()[2], y.Shape()[3])
	})
	// Indexing (issue 11). Positions depend on data, which no composition of the primitives above
	// can express short of OneHot·MatMul (batch·V·D work for a lookup of batch·D elements), hence
	// these primitives; each pair below is adjoint, so each one's rule is the other.
	// y = gather(a, ax, index) (Aux: index, ax): ∂a = ScatterAdd of g into zeros
	gatherOp = prim("ops.Gather", func(g, y ag.Var) ag.Var {
		at := attrOf(y)
		return scatterAddTo(ag.Var{}, in(y, 0).Shape(), at.ax, at.idx, g)
	})
	// forward: ẏ = gather(ȧ, ax, index)
	gatherOp.JVP = onTangent(func(t, y ag.Var) ag.Var { at := attrOf(y); return Gather(t, at.ax, at.idx) })
	// y = a + scatter(src, ax, index), or scatter(src) into zeros with src the only input:
	// ∂a = g, ∂src = gather(g, ax, index)
	scatterAddOp = &ag.Op{Name: "ops.ScatterAdd", Variadic: func(g, y ag.Var, i int) ag.Var {
		if i < len(y.Inputs())-1 {
			return g
		}
		at := attrOf(y)
		return Gather(g, at.ax, at.idx)
	}}
	// forward: ẏ = ȧ + scatter(ṡrc)
	scatterAddOp.JVP = scatterAddJVP
	// y = whole slices of a picked along ax (the embedding lookup): ∂a = IndexAdd of g into zeros.
	// A primitive rather than a Gather because it copies whole rows and needs no index per
	// element (an N·D index for an N-token lookup of D-wide rows).
	indexSelectOp = prim("ops.IndexSelect", func(g, y ag.Var) ag.Var {
		at := attrOf(y)
		return indexAddTo(ag.Var{}, in(y, 0).Shape(), at.ax, at.idx, g)
	})
	// forward: ẏ = IndexSelect(ȧ, ax, index)
	indexSelectOp.JVP = onTangent(func(t, y ag.Var) ag.Var { at := attrOf(y); return IndexSelect(t, at.ax, at.idx) })
	// y = a + slices of src added at index along ax, or src's slices added into zeros with src
	// the only input: ∂a = g, ∂src = IndexSelect(g, ax, index)
	indexAddOp = &ag.Op{Name: "ops.IndexAdd", Variadic: func(g, y ag.Var, i int) ag.Var {
		if i < len(y.Inputs())-1 {
			return g
		}
		at := attrOf(y)
		return IndexSelect(g, at.ax, at.idx)
	}}
	// forward: ẏ = ȧ + indexAdd(ṡrc)
	indexAddOp.JVP = indexAddJVP
	// y = a[start + i·step] on every axis (Ints: starts, steps, a's shape), NumPy's basic
	// slicing with steps and several axes at once, which Slice (one axis, step 1) cannot express
	// without a node per element: ∂a = g placed back at those positions (stridedScatter)
	stridedSliceOp = prim("ops.SliceAxes", func(g, y ag.Var) ag.Var {
		starts, steps, full := stridedAttrs(y)
		return stridedScatter(g, full, starts, steps)
	})
	// forward: ẏ = the strided slice of ȧ
	stridedSliceOp.JVP = onTangent(func(t, y ag.Var) ag.Var {
		starts, steps, _ := stridedAttrs(y)
		return stridedSlice(t, starts, steps, y.Shape())
	})
	// y = zeros with g placed at start + i·step, SliceAxes' adjoint: ∂g = the strided slice of h
	stridedScatterOp = prim("ops.StridedScatter", func(h, y ag.Var) ag.Var {
		starts, steps, _ := stridedAttrs(y)
		return stridedSlice(h, starts, steps, in(y, 0).Shape())
	})
	// forward: ẏ = zeros with ġ placed at start + i·step
	stridedScatterOp.JVP = onTangent(func(t, y ag.Var) ag.Var {
		starts, steps, full := stridedAttrs(y)
		return stridedScatter(t, full, starts, steps)
	})
	// y = running sums of a along ax (Ints: ax, reverse), one pass where a composition would need
	// an n×n triangular product: ∂a = running sums of g from the other end
	cumsumOp = prim("ops.Cumsum", func(g, y ag.Var) ag.Var { return cumsum(g, y.Ints()[0], y.Ints()[1] == 0) })
	// forward: ẏ = running sums of ȧ from the same end
	cumsumOp.JVP = onTangent(func(t, y ag.Var) ag.Var { return cumsum(t, y.Ints()[0], y.Ints()[1] == 1) })
	// CNN speed (issue 10).
	// C = Σₙ op(Aₙ)·op(Bₙ) over the batch of two 3-D operands (one Op per pair of flags), the
	// gradient of a matrix shared by a batch of products, accumulated without building the batch:
	// ∂op(Aₙ) = G·op(Bₙ)ᵀ, ∂op(Bₙ) = op(Aₙ)ᵀ·G, MatMul's rules with G shared by the batch
	for ta := range 2 {
		for tb := range 2 {
			matmulSumOps[ta][tb] = prim("ops.MatMulSum",
				func(g, y ag.Var) ag.Var { return matmulGradA(g, y, ta == 1, tb == 1) },
				func(g, y ag.Var) ag.Var { return matmulGradB(g, y, ta == 1, tb == 1) })
			// forward: Ċ = Σₙ op(Ȧₙ)·op(Bₙ) + op(Aₙ)·op(Ḃₙ)
			matmulSumOps[ta][tb].JVP = func(y ag.Var, t []ag.Var) ag.Var { return matmulSumJVP(y, t, ta == 1, tb == 1) }
		}
	}
	// The fused convolution (ops/convfused.go), for speed: Conv2d with one group as
	// MatMul(w, Im2col(x)) moves the whole unfolded batch through memory three times; these three
	// unfold one image at a time in cache. Each one's rules are the other two (Ints: the window
	// and the input's H, W).
	// y = conv(x, w), yₙ = w·Im2col(xₙ): ∂x = convGradInput(g, w), ∂w = convGradWeight(g, x)
	convOp = prim("ops.Conv",
		func(g, y ag.Var) ag.Var {
			win, h, w := unpackConvAttrs(y.Ints())
			return convGradInput(g, in(y, 1), win, h, w)
		},
		func(g, y ag.Var) ag.Var {
			win, _, _ := unpackConvAttrs(y.Ints())
			return convGradWeight(g, in(y, 0), win)
		})
	// forward: ẏ = conv(ẋ, w) + conv(x, ẇ)
	convOp.JVP = convJVP
	// y = conv(x, w) + b on every position of channel o: ∂x, ∂w as conv's, ∂b = g summed over
	// the batch and the positions
	convBiasOp = prim("ops.ConvBias",
		func(g, y ag.Var) ag.Var {
			win, h, w := unpackConvAttrs(y.Ints())
			return convGradInput(g, in(y, 1), win, h, w)
		},
		func(g, y ag.Var) ag.Var {
			win, _, _ := unpackConvAttrs(y.Ints())
			return convGradWeight(g, in(y, 0), win)
		},
		func(g, y ag.Var) ag.Var { return convBiasGrad(g) })
	// forward: ẏ = conv(ẋ, w) + conv(x, ẇ) + ḃ on every position of its channel
	convBiasOp.JVP = convBiasJVP
	// z = convGradInput(g, w), zₙ = Col2im(wᵀ·gₙ): ∂g = conv(h, w), ∂w = convGradWeight(g, h)
	convGradInputOp = prim("ops.ConvGradInput",
		func(h, z ag.Var) ag.Var { win, _, _ := unpackConvAttrs(z.Ints()); return convFused(h, in(z, 1), win) },
		func(h, z ag.Var) ag.Var {
			win, _, _ := unpackConvAttrs(z.Ints())
			return convGradWeight(in(z, 0), h, win)
		})
	// forward: ż = convGradInput(ġ, w) + convGradInput(g, ẇ)
	convGradInputOp.JVP = convGradInputJVP
	// v = convGradWeight(g, x) = Σₙ gₙ·Im2col(xₙ)ᵀ: ∂g = conv(x, k), ∂x = convGradInput(g, k)
	convGradWeightOp = prim("ops.ConvGradWeight",
		func(k, v ag.Var) ag.Var { win, _, _ := unpackConvAttrs(v.Ints()); return convFused(in(v, 1), k, win) },
		func(k, v ag.Var) ag.Var {
			win, h, w := unpackConvAttrs(v.Ints())
			return convGradInput(in(v, 0), k, win, h, w)
		})
	// forward: v̇ = convGradWeight(ġ, x) + convGradWeight(g, ẋ)
	convGradWeightOp.JVP = convGradWeightJVP
	// Max pooling (ops/maxpool.go), for speed: the windows read in place instead of unfolded
	// and reduced by broadcast passes. Where several elements tie for a window's maximum, the
	// gradient is split evenly between them, as MaxKeepDims does.
	// y = maxPool(x): ∂x = maxUnpool(g, x, y)
	maxPoolOp = prim("ops.MaxPool2d", func(g, y ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(y.Ints())
		return maxUnpool(g, in(y, 0), y, win)
	})
	// forward: ẏ = maxRoute(ẋ, x, y), the linear map whose adjoint is the rule above
	maxPoolOp.JVP = onTangent(func(t, y ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(y.Ints())
		return maxRoute(t, in(y, 0), y, win)
	})
	// z = maxUnpool(g, x, y), linear in g: ∂g = maxRoute(h, x, y), its adjoint; x and y only
	// locate the maxima (piecewise constant), no gradient
	maxUnpoolOp = prim("ops.MaxUnpool", func(h, z ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(z.Ints())
		return maxRoute(h, in(z, 1), in(z, 2), win)
	}, nil, nil)
	// forward: ż = maxUnpool(ġ, x, y), linear in g
	maxUnpoolOp.JVP = onTangent(func(t, z ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(z.Ints())
		return maxUnpool(t, in(z, 1), in(z, 2), win)
	})
	// r = maxRoute(h, x, y), linear in h: ∂h = maxUnpool(k, x, y), its adjoint; x, y as above
	maxRouteOp = prim("ops.MaxRoute", func(k, r ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(r.Ints())
		return maxUnpool(k, in(r, 1), in(r, 2), win)
	}, nil, nil)
	// forward: ṙ = maxRoute(ḣ, x, y), linear in h
	maxRouteOp.JVP = onTangent(func(t, r ag.Var) ag.Var {
		win, _, _ := unpackConvAttrs(r.Ints())
		return maxRoute(t, in(r, 1), in(r, 2), win)
	})
	// z = g·H(a), the fused backward of ReLU: ∂g = h·H(a); H is piecewise constant, no gradient
	// flows to a
	reluGradOp = prim("ops.ReLUGrad", func(h, z ag.Var) ag.Var { return reluGrad(h, in(z, 1)) }, nil)
	// forward: ż = ġ·H(a)
	reluGradOp.JVP = diagonal(reluGradOp)
	// LSTM speed (issue 12): the pointwise part of an LSTM cell (ops/lstm.go), one pass instead
	// of Split and eight elementwise operations, whose gate gradients land in one array instead
	// of four padded ones. With s = σ, t = tanh and the gate blocks a_i, a_f, a_g, a_o of pre:
	// c' = s(a_f)·c + s(a_i)·t(a_g): ∂pre = lstmCGrad(g, pre, c) (blocks g·t(a_g)·s'(a_i),
	// g·c·s'(a_f), g·s(a_i)·t'(a_g), 0), ∂c = g·s(a_f)
	lstmCOp = prim("ops.LSTMCellState",
		func(g, y ag.Var) ag.Var { return lstmCGrad(g, in(y, 0), in(y, 1)) },
		func(g, y ag.Var) ag.Var { return Mul(g, lstmGate(in(y, 0), 1)) })
	// forward: ċ' = σ'(a_f)·ȧ_f·c + σ(a_f)·ċ + σ'(a_i)·ȧ_i·t(a_g) + σ(a_i)·t'(a_g)·ȧ_g; see lstmCJVP
	lstmCOp.JVP = lstmCJVP
	// h' = s(a_o)·t(c'): ∂pre = lstmHGrad(g, pre, c') (block o: g·t(c')·s'(a_o), others 0),
	// ∂c' = lstmHGradC(g, pre, c') = g·s(a_o)·(1 − t(c')²)
	lstmHOp = prim("ops.LSTMCellOutput",
		func(g, y ag.Var) ag.Var { return lstmHGrad(g, in(y, 0), in(y, 1)) },
		func(g, y ag.Var) ag.Var { return lstmHGradC(g, in(y, 0), in(y, 1)) })
	// forward: ḣ' = σ'(a_o)·ȧ_o·t(c') + σ(a_o)·t'(c')·ċ'; see lstmHJVP
	lstmHOp.JVP = lstmHJVP
	// z = lstmCGrad(g, pre, c), linear in g: the rules lstmCGradDG, lstmCGradDPre and
	// lstmCGradDC in ops/lstm.go give each input's product with the upstream k
	lstmCGradOp = prim("ops.LSTMCellStateGrad", lstmCGradDG, lstmCGradDPre, lstmCGradDC)
	// forward: ż = lstmCGrad(ġ, pre, c) + the blocks' derivatives along ṗre and ċ; see lstmCGradJVP
	lstmCGradOp.JVP = lstmCGradJVP
	// w = lstmHGrad(g, pre, c'), linear in g: lstmHGradDG, lstmHGradDPre, lstmHGradDC
	lstmHGradOp = prim("ops.LSTMCellOutputGrad", lstmHGradDG, lstmHGradDPre, lstmHGradDC)
	// forward: ẇ_o = (ġ·t + g·t'·ċ')·σ'(a_o) + g·t·σ''(a_o)·ȧ_o, t = t(c'), other blocks 0; see lstmHGradJVP
	lstmHGradOp.JVP = lstmHGradJVP
	// u = lstmHGradC(g, pre, c'), linear in g: lstmHGradCDG, lstmHGradCDPre, lstmHGradCDC
	lstmHGradCOp = prim("ops.LSTMCellOutputGradC", lstmHGradCDG, lstmHGradCDPre, lstmHGradCDC)
	// forward: u̇ = (ġ·σ(a_o) + g·σ'(a_o)·ȧ_o)·t' − 2·g·σ(a_o)·t·t'·ċ', t = t(c'), t' = 1 − t²; see lstmHGradCJVP
	lstmHGradCOp.JVP = lstmHGradCJVP
	// y = GELU(x) = x·Φ(x) (ops/gelu.go): ∂x = geluGrad(g, x, y) = g·(Φ(x) + x·φ(x))
	geluOp = prim("ops.GELU", func(g, y ag.Var) ag.Var { return geluGrad(g, in(y, 0), y) })
	// forward: ẏ = geluGrad(ẋ, x, y) (elementwise)
	geluOp.JVP = diagonal(geluOp)
	// z = geluGrad(g, x, y), linear in g; y = GELU(x) only caches Φ(x) = y/x, so no gradient
	// flows to it (x's rule holds the whole derivative): ∂g = h·(Φ + x·φ), ∂x = h·g·φ·(2 − x²)
	geluGradOp = prim("ops.GELUGrad",
		func(h, z ag.Var) ag.Var {
			x := in(z, 1)
			cdf, pdf := geluPhi(x)
			return Mul(h, Add(cdf, Mul(x, pdf)))
		},
		func(h, z ag.Var) ag.Var {
			x := in(z, 1)
			_, pdf := geluPhi(x)
			return Mul(Mul(h, in(z, 0)), Mul(pdf, RSubScalar(2, Square(x))))
		}, nil)
	// forward: ż = ġ·(Φ + x·φ) + ẋ·g·φ·(2 − x²) (elementwise in g and x; y's tangent is already
	// in x's term)
	geluGradOp.JVP = diagonal(geluGradOp)
	// y = softmax(x) along the last axis (ops/softmaxrows.go): ∂x = softmaxGrad(g, y) =
	// y·(g − Σ g·y)
	softmaxOp = prim("ops.Softmax", func(g, y ag.Var) ag.Var { return softmaxGrad(g, y) })
	// forward: ẏ = softmaxGrad(ẋ, y) (the Jacobian is symmetric, so Jẋ = Jᵀẋ)
	softmaxOp.JVP = diagonal(softmaxOp)
	// z = softmaxGrad(g, y) = y·(g − Σ g·y), linear in g: ∂g = softmaxGrad(h, y) (the Jacobian
	// is symmetric), ∂y = h·(g − Σ g·y) − g·Σ h·y
	softmaxGradOp = prim("ops.SoftmaxGrad",
		func(h, z ag.Var) ag.Var { return softmaxGrad(h, in(z, 1)) },
		func(h, z ag.Var) ag.Var {
			g, y := in(z, 0), in(z, 1)
			gy, hy := SumKeepDims(Mul(g, y), -1), SumKeepDims(Mul(h, y), -1)
			return Sub(Mul(h, Sub(g, gy)), Mul(g, hy))
		})
	// forward: ż = softmaxGrad(ġ, y) + ẏ·(g − Σ g·y) − y·Σ g·ẏ; see softmaxGradJVP
	softmaxGradOp.JVP = softmaxGradJVP
	// Bilinear primitives (issue 18, HVP by forward-over-reverse): the products and convolutions
	// are affine in each operand, their Jacobian with respect to one operand being the other, so
	// the HVP need not compute the gradient of a parameter that only they use with a constant
	// other operand (autograd.Op.Multilinear).
	for _, o := range []*ag.Op{
		matmulOps[0][0], matmulOps[0][1], matmulOps[1][0], matmulOps[1][1],
		matmulSumOps[0][0], matmulSumOps[0][1], matmulSumOps[1][0], matmulSumOps[1][1],
		convOp, convBiasOp,
	} {
		o.Multilinear = true
	}
	// Standardize, LayerNorm's core (issue 12; ops/standardize.go).
	// y = x̂ = (x − mean)·r, r = 1/√(var + ε), over each row of the last axes: ∂x =
	// standardizeGrad(g, x) = r·(g − mean(g) − x̂·mean(g·x̂))
	standardizeOp = prim("ops.Standardize", func(g, y ag.Var) ag.Var {
		return standardizeGrad(g, in(y, 0), y.Ints()[0], y.FloatAttr())
	})
	// forward: ẏ = standardizeGrad(ẋ, x) (the Jacobian r·(I − 1/n − x̂x̂ᵀ/n) is symmetric)
	standardizeOp.JVP = diagonal(standardizeOp)
	// z = standardizeGrad(h, x), linear in h: ∂h = standardizeGrad(k, x) (symmetric), ∂x =
	// −r·(mean(k·z)·x̂ + mean(k·x̂)·z + mean(h·x̂)·standardizeGrad(k, x)); see standardizeGradDX
	standardizeGradOp = prim("ops.StandardizeGrad",
		func(k, z ag.Var) ag.Var { return standardizeGrad(k, in(z, 1), z.Ints()[0], z.FloatAttr()) },
		standardizeGradDX)
	// forward: ż = standardizeGrad(ḣ, x) + the x rule applied to ẋ (its Jacobian in x is symmetric)
	standardizeGradOp.JVP = diagonal(standardizeGradOp)
	// Causal attention (issue 12).
	// y = SoftmaxCausal(x) (ops/softmaxcausal.go): Softmax's rule, ∂x = softmaxGrad(g, y) =
	// y·(g − Σ g·y), 0 above the diagonal where y is 0
	softmaxCausalOp = prim("ops.SoftmaxCausal", func(g, y ag.Var) ag.Var { return softmaxGrad(g, y) })
	// forward: ẏ = softmaxGrad(ẋ, y) (the Jacobian is symmetric, and 0 in the masked entries)
	softmaxCausalOp.JVP = diagonal(softmaxCausalOp)
	// y = x·W + b (b added to every row): ∂x = g·Wᵀ, ∂W = xᵀ·g, ∂b = g summed over the rows;
	// MatMul's and Add's rules, so that the gradients are theirs bit for bit (ops/affine.go)
	affineOp = prim("ops.Affine",
		func(g, y ag.Var) ag.Var { return MatMulT(g, in(y, 1), false, true) },
		func(g, y ag.Var) ag.Var { return MatMulT(in(y, 0), g, true, false) },
		func(g, y ag.Var) ag.Var { return sumLike(g, in(y, 2)) })
	// ∂W and ∂b added into the gradient summed so far, or a small parameter's (Op.GradsInto)
	affineOp.GradsInto = []func(dst, g, y ag.Var) bool{
		1: func(dst, g, y ag.Var) bool { return matmulGradBInto(dst, g, y, false, false) },
		2: biasGradInto,
	}
	// forward: ẏ = ẋ·W + x·Ẇ + ḃ
	affineOp.JVP = func(y ag.Var, t []ag.Var) ag.Var {
		return likeOut(addT(matmulJVP(y, t[:2], false, false), t[2]), y)
	}
	// Small models' speed (issue 16; ops/sqdiff.go).
	// L = c·Σ (a − b)² (Float: c): ∂a = sqDiffGrad(g, a, b) = c·2·g·(a − b), ∂b = sqDiffGrad(g, b, a)
	sqDiffOp = prim("ops.SumSquaredDiff",
		func(g, y ag.Var) ag.Var { return sqDiffGrad(g, in(y, 0), in(y, 1), y.FloatAttr()) },
		func(g, y ag.Var) ag.Var { return sqDiffGrad(g, in(y, 1), in(y, 0), y.FloatAttr()) })
	// forward: L̇ = 2c·Σ (a − b)·(ȧ − ḃ)
	sqDiffOp.JVP = func(y ag.Var, t []ag.Var) ag.Var {
		d := Sub(in(y, 0), in(y, 1))
		return MulScalar(Sum(Mul(d, addT(t[0], negTan(t[1])))), 2*y.FloatAttr())
	}
	// z = sqDiffGrad(g, a, b) = 2c·g·(a − b) for a scalar g: ∂g = 2c·Σ h·(a − b), ∂a = 2c·h·g,
	// ∂b = −2c·h·g
	sqDiffGradOp = prim("ops.SumSquaredDiffGrad",
		func(h, z ag.Var) ag.Var {
			return MulScalar(Sum(Mul(h, Sub(in(z, 1), in(z, 2)))), 2*z.FloatAttr())
		},
		func(h, z ag.Var) ag.Var { return MulScalar(Mul(h, in(z, 0)), 2*z.FloatAttr()) },
		func(h, z ag.Var) ag.Var { return MulScalar(Mul(h, in(z, 0)), -2*z.FloatAttr()) })
	// forward: ż = sqDiffGrad(ġ, a, b) + 2c·g·(ȧ − ḃ)
	sqDiffGradOp.JVP = func(z ag.Var, t []ag.Var) ag.Var {
		g, a, b, c := in(z, 0), in(z, 1), in(z, 2), z.FloatAttr()
		var dg ag.Var
		if !t[0].IsNil() {
			dg = sqDiffGrad(t[0], a, b, c)
		}
		if d := addT(t[1], negTan(t[2])); !d.IsNil() {
			dg = addT(dg, MulScalar(Mul(d, g), 2*c))
		}
		return dg
	}
	// The softmax cross-entropy (ops/crossentropy.go), p = softmax(x), S = Σ_j t_j per row:
	// L = c·Σ −t·log p: ∂x = softmaxCEGrad(g, x, t) = c·g·(p·S − t), ∂t = −c·g·log p
	softmaxCEOp = prim("ops.SoftmaxCrossEntropy",
		func(g, y ag.Var) ag.Var { return softmaxCEGrad(g, in(y, 0), in(y, 1), y.FloatAttr()) },
		func(g, y ag.Var) ag.Var { return MulScalar(Mul(g, LogSoftmax(in(y, 0), -1)), -y.FloatAttr()) })
	// forward: L̇ = Σ c·(p·S − t)·ẋ − c·Σ log p·ṫ
	softmaxCEOp.JVP = func(y ag.Var, t []ag.Var) ag.Var {
		x, tg, c := in(y, 0), in(y, 1), y.FloatAttr()
		var dl ag.Var
		if !t[0].IsNil() {
			dl = Sum(Mul(softmaxCEGrad(ScalarLike(x, 1), x, tg, c), t[0]))
		}
		if !t[1].IsNil() {
			dl = addT(dl, MulScalar(Sum(Mul(LogSoftmax(x, -1), t[1])), -c))
		}
		return dl
	}
	// z = softmaxCEGrad(g, x, t) = c·g·(p·S − t) for a scalar g: ∂g = Σ h·z/g =
	// Σ h·softmaxCEGrad(1, x, t), ∂x = c·g·S·softmaxGrad(h, p) = c·g·S·p·(h − Σ h·p),
	// ∂t = c·g·(Σ h·p − h)
	softmaxCEGradOp = prim("ops.SoftmaxCrossEntropyGrad",
		func(h, z ag.Var) ag.Var {
			return Sum(Mul(h, softmaxCEGrad(ScalarLike(h, 1), in(z, 1), in(z, 2), z.FloatAttr())))
		},
		func(h, z ag.Var) ag.Var {
			g, x, tg := in(z, 0), in(z, 1), in(z, 2)
			gS := MulScalar(Mul(g, SumKeepDims(tg, -1)), z.FloatAttr())
			return Mul(gS, softmaxGrad(h, Softmax(x, -1)))
		},
		func(h, z ag.Var) ag.Var {
			g, p := in(z, 0), Softmax(in(z, 1), -1)
			return MulScalar(Mul(g, Sub(SumKeepDims(Mul(h, p), -1), h)), z.FloatAttr())
		})
	// forward: ż = softmaxCEGrad(ġ, x, t) + c·g·(softmaxGrad(ẋ, p)·S + p·Ṡ − ṫ)
	softmaxCEGradOp.JVP = func(z ag.Var, t []ag.Var) ag.Var {
		g, x, tg, c := in(z, 0), in(z, 1), in(z, 2), z.FloatAttr()
		var dz ag.Var
		if !t[0].IsNil() {
			dz = softmaxCEGrad(t[0], x, tg, c)
		}
		p := Softmax(x, -1)
		var d ag.Var
		if !t[1].IsNil() {
			d = Mul(softmaxGrad(t[1], p), SumKeepDims(tg, -1))
		}
		if !t[2].IsNil() {
			d = addT(d, Sub(Mul(p, SumKeepDims(t[2], -1)), t[2]))
		}
		if !d.IsNil() {
			dz = addT(dz, MulScalar(Mul(g, d), c))
		}
		return dz
	}
	// The four MatMul Ops are one primitive, listed once: the table's tests go by name, and the
	// gradient checks cover every pair of flags.
	primitives = []*ag.Op{
		addOp, subOp, mulOp, mulScalarOp, divOp, powOp, powConstOp, negOp, expOp, logOp, absOp, signOp, stepOp, sigmoidOp, sigmoidGradOp, tanhOp, softplusOp, erfOp, reluOp, greaterOp, greaterEqualOp, lessOp, lessEqualOp, equalOp, whereOp, matmulOps[0][0], transposeOp, reshapeOp, broadcastOp, sumToOp, maxToOp, sliceOp, padOp, concatOp, castOp,
		im2colOp, col2imOp,
		gatherOp, scatterAddOp, indexSelectOp, indexAddOp, stridedSliceOp, stridedScatterOp, cumsumOp,
		matmulSumOps[0][0],
		convOp, convGradInputOp, convGradWeightOp,
		maxPoolOp, maxUnpoolOp, maxRouteOp,
		reluGradOp,
		convBiasOp,
		lstmCOp, lstmHOp, lstmCGradOp, lstmHGradOp,
		geluOp, geluGradOp,
		softmaxOp, softmaxGradOp,
		lstmHGradCOp,
		standardizeOp, standardizeGradOp,
		softmaxCausalOp,
		sqDiffOp, sqDiffGradOp, affineOp,
		softmaxCEOp, softmaxCEGradOp,
	}
}

// prim declares a primitive with one rule per input.
func prim(name string, rules ...func(g, y ag.Var) ag.Var) *ag.Op {
	return &ag.Op{Name: name, Grads: rules}
}

// matmulOps[transA][transB] is the MatMul primitive with A and/or B read transposed. The flags
// select the Op rather than being stored as attributes, which would cost a product on small
// matrices a tenth of its time.
var matmulOps [2][2]*ag.Op

// primitives lists every primitive, for the tests that check the table is complete.
var primitives []*ag.Op

// in returns input i of the operation that produced y.
func in(y ag.Var, i int) ag.Var { return y.Inputs()[i] }

// sumLike sums g back to x's shape, undoing broadcasting.
func sumLike(g, x ag.Var) ag.Var {
	sg, sx := g.Check("ops.SumTo").Shape(), x.Check("ops.SumTo").Shape()
	if slices.Equal(sg, sx) {
		return g
	}
	return SumTo(g, sx...)
}

// powGradA is ∂(a^b)/∂a = b·a^(b−1), taken as 0 where b = 0 (a⁰ is constant, even at a = 0).
func powGradA(g, y ag.Var) ag.Var { return sumLike(Mul(g, powFactorA(y)), in(y, 0)) }

// powFactorA is ∂(a^b)/∂a elementwise, shaped like y.
func powFactorA(y ag.Var) ag.Var {
	a, b := in(y, 0), in(y, 1)
	d := Mul(b, Pow(a, AddScalar(b, -1)))
	return Where(Equal(b, zeroLike(b)), zeroLike(d), d)
}

// powGradB is ∂(a^b)/∂b = a^b·log a, taken as 0 where a = 0 and b ≥ 0 (0^b is constant there).
func powGradB(g, y ag.Var) ag.Var { return sumLike(Mul(g, powFactorB(y)), in(y, 1)) }

// powFactorB is ∂(a^b)/∂b elementwise, shaped like y.
func powFactorB(y ag.Var) ag.Var {
	a, b := in(y, 0), in(y, 1)
	d := Mul(y, Log(a))
	return Where(Mul(Equal(a, zeroLike(a)), GreaterEqual(b, zeroLike(b))), zeroLike(d), d)
}

// powConstGrad is ∂(a^p)/∂a = p·a^(p−1), with p stored on y.
func powConstGrad(g, y ag.Var) ag.Var {
	p := y.FloatAttr()
	if p == 0 {
		return ag.Var{} // a⁰ is constant
	}
	if p == 1 {
		return g
	}
	if p == 2 { // a¹ needs no op of its own
		return Mul(g, MulScalar(in(y, 0), 2))
	}
	return Mul(g, MulScalar(PowConst(in(y, 0), p-1), p))
}

// matmulGradA is ∂A of C = op(A)·op(B): G·op(B)ᵀ, transposed back when A was transposed.
func matmulGradA(g, y ag.Var, ta, tb bool) ag.Var {
	a, b := in(y, 0), in(y, 1)
	var ga ag.Var
	if len(a.Shape()) == 2 && len(b.Shape()) == 3 { // A shared by a batch: sum as we go
		if !ta {
			return matmulSum(g, b, false, !tb)
		}
		return matmulSum(b, g, tb, true)
	}
	if !ta {
		if tb { // a product by a weight packed once (MatMulPackedT) reads it packed for G·B too
			if ga, ok := packedGradA(g, y); ok {
				return ga
			}
		}
		ga = MatMulT(g, b, false, !tb) // G·op(B)ᵀ
	} else {
		ga = MatMulT(b, g, tb, true) // (G·op(B)ᵀ)ᵀ = op(B)·Gᵀ
	}
	return sumLike(ga, a)
}

// matmulGradB is ∂B of C = op(A)·op(B): op(A)ᵀ·G, transposed back when B was transposed.
func matmulGradB(g, y ag.Var, ta, tb bool) ag.Var {
	a, b := in(y, 0), in(y, 1)
	var gb ag.Var
	if len(b.Shape()) == 2 && len(a.Shape()) == 3 { // B shared by a batch: sum as we go
		if !tb {
			return matmulSum(a, g, !ta, false)
		}
		return matmulSum(g, a, true, ta)
	}
	if !tb {
		gb = MatMulT(a, g, !ta, false) // op(A)ᵀ·G
	} else {
		gb = MatMulT(g, a, true, ta) // (op(A)ᵀ·G)ᵀ = Gᵀ·op(A)
	}
	return sumLike(gb, b)
}

// maxGrad routes g to the elements of a equal to the reduced maximum y, split evenly between
// ties: ∂a = mask·g / count, mask = (a == y).
func maxGrad(g, y ag.Var) ag.Var {
	a := in(y, 0)
	mask := Equal(a, y)
	count := SumTo(mask, y.Shape()...)
	return Mul(mask, Div(g, count))
}

// concatGrad is the slice of g that input i of Concat occupied.
func concatGrad(g, y ag.Var, i int) ag.Var {
	ax := y.Ints()[0]
	start := 0
	for _, x := range y.Inputs()[:i] {
		start += x.Shape()[ax]
	}
	return Slice(g, ax, start, start+in(y, i).Shape()[ax])
}

// inversePerm returns the permutation that undoes p, in the first len(p) entries.
func inversePerm(p []int) dims {
	var inv dims
	for i, j := range p {
		inv[j] = i
	}
	return inv
}
