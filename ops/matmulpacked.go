package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// PackedT is a 2-D matrix w (n×k) packed once as the right operand wᵀ of products x·wᵀ, for
// MatMulPackedT. The zero PackedT is invalid.
type PackedT struct {
	w      ag.Var
	packed ag.Var // wᵀ in the GEMM's panel layout, on the tape; nil when not packed
}

// PackT packs w for MatMulPackedT on the tape t, where the packed copy lives until t's Reset: a
// recurrent layer's weight, multiplied at every step of a sequence, is then packed once per
// sequence rather than at every step (issue 12). With a nil t, or a w that is not 2-D, nothing
// is packed and MatMulPackedT computes MatMulT(x, w, false, true). PackT panics with an
// *autograd.Error if w is nil or stale.
func PackT(t *ag.Tape, w ag.Var) PackedT {
	const op = "ops.PackT"
	v := w.Operand(op)
	if t == nil || len(v.Shape) != 2 {
		return PackedT{w: w}
	}
	n, k := v.Shape[0], v.Shape[1]
	var p ag.Var
	if v.DType == ag.Float32 {
		p = t.Zeros(ag.Float32, gemm.SPackedBLen(k, n))
		gemm.SPackB(true, k, n, v.F32, max(1, k), p.Data32())
	} else {
		p = t.Zeros(ag.Float64, gemm.DPackedBLen(k, n))
		gemm.DPackB(true, k, n, v.F64, max(1, k), p.Data64())
	}
	return PackedT{w: w, packed: p}
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
	return out
}
