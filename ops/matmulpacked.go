package ops

import (
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// PackedT is a 2-D matrix w (n×k) packed once as the right operand wᵀ of products x·wᵀ, for
// MatMulPackedT. The zero PackedT is invalid.
type PackedT struct {
	w       ag.Var
	packed  ag.Var // wᵀ in the GEMM's panel layout, on the tape; nil when not packed
	packedN ag.Var // w itself so packed, for the gradient G·w of x; nil when w needs no gradient
}

// PackT packs w for MatMulPackedT on the tape t, where the packed copy lives until t's Reset: a
// recurrent layer's weight, multiplied at every step of a sequence, is then packed once per
// sequence rather than at every step (issue 12). When w requires a gradient, w itself is packed
// as well, for the gradient G·w of each product's x in the backward pass. With a nil t, or a w that is not 2-D, nothing
// is packed and MatMulPackedT computes MatMulT(x, w, false, true). PackT panics with an
// *autograd.Error if w is nil or stale.
func PackT(t *ag.Tape, w ag.Var) PackedT {
	const op = "ops.PackT"
	v := w.Operand(op)
	if t == nil || len(v.Shape) != 2 {
		return PackedT{w: w}
	}
	n, k := v.Shape[0], v.Shape[1]
	p := PackedT{w: w, packed: packOn(t, v, true, k, n)}
	if w.RequiresGrad() {
		p.packedN = packOn(t, v, false, n, k)
	}
	return p
}

// packOn packs op(w) (k×n, w transposed when trans is set) into a new constant on t.
func packOn(t *ag.Tape, v ag.Operand, trans bool, k, n int) ag.Var {
	ld := max(1, v.Shape[1])
	if v.DType == ag.Float32 {
		p := t.Zeros(ag.Float32, gemm.SPackedBLen(k, n))
		gemm.SPackB(trans, k, n, v.F32, ld, p.Data32())
		return p
	}
	p := t.Zeros(ag.Float64, gemm.DPackedBLen(k, n))
	gemm.DPackB(trans, k, n, v.F64, ld, p.Data64())
	return p
}

// MatMulPackedT returns x·wᵀ for the w packed in p, as MatMulT(x, w, false, true) does, bit for
// bit and with the same derivative rules (the result is that product's primitive, with inputs x
// and w), reading wᵀ from p instead of packing it. It panics as MatMulT does.
func MatMulPackedT(x ag.Var, p PackedT) ag.Var {
	const op = "ops.MatMul"
	a, w := x.Operand(op), p.w.Operand(op)
	if p.packed.IsNil() || len(a.Shape) != 2 || a.DType != w.DType || a.Shape[1] != w.Shape[1] {
		return MatMulT(x, p.w, false, true)
	}
	m, k, n := a.Shape[0], a.Shape[1], w.Shape[0]
	var buf dims
	out := ag.NewResult(matmulOps[0][1], a.DType, append(buf[:0], m, n), x, p.w)
	o := out.Operand(op)
	if a.DType == ag.Float32 {
		gemm.SgemmPrepackedB(false, m, n, k, a.F32, max(1, k), p.packed.Data32(), o.F32, max(1, n))
	} else {
		gemm.DgemmPrepackedB(false, m, n, k, a.F64, max(1, k), p.packed.Data64(), o.F64, max(1, n))
	}
	// The rule for x finds w packed through the product's Aux: a pointer to the first element,
	// which, unlike a Var, is stored in an interface without allocating.
	if !p.packedN.IsNil() && p.packedN.Len() > 0 && out.RequiresGrad() {
		if a.DType == ag.Float32 {
			out.SetAux(&p.packedN.Data32()[0])
		} else {
			out.SetAux(&p.packedN.Data64()[0])
		}
	}
	return out
}

// packedGradA returns G·w, the gradient of x in y = x·wᵀ made by MatMulPackedT, with w read from
// the copy PackT packed (found through y's Aux), and true; or false when y has no such copy.
func packedGradA(g, y ag.Var) (ag.Var, bool) {
	const op = "ops.MatMul"
	w := in(y, 1)
	gv, wv := g.Operand(op), w.Operand(op)
	if len(gv.Shape) != 2 || len(wv.Shape) != 2 || gv.Shape[1] != wv.Shape[0] || gv.DType != wv.DType {
		return ag.Var{}, false
	}
	m, k, n := gv.Shape[0], wv.Shape[0], wv.Shape[1]
	var buf dims
	switch pw := y.Aux().(type) {
	case *float32:
		if gv.DType != ag.Float32 {
			return ag.Var{}, false
		}
		out := ag.NewResult(matmulOps[0][0], gv.DType, append(buf[:0], m, n), g, w)
		gemm.SgemmPrepackedB(false, m, n, k, gv.F32, max(1, k), unsafe.Slice(pw, gemm.SPackedBLen(k, n)), out.Data32(), max(1, n))
		return out, true
	case *float64:
		if gv.DType != ag.Float64 {
			return ag.Var{}, false
		}
		out := ag.NewResult(matmulOps[0][0], gv.DType, append(buf[:0], m, n), g, w)
		gemm.DgemmPrepackedB(false, m, n, k, gv.F64, max(1, k), unsafe.Slice(pw, gemm.DPackedBLen(k, n)), out.Data64(), max(1, n))
		return out, true
	}
	return ag.Var{}, false
}
