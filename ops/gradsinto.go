package ops

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
	"github.com/gograd/gograd/internal/parallel"
)

// matmulGradBInto is matmulGradB added into dst (autograd.Op.GradsInto): for C = op(A)·op(B) with
// A and B matrices, one GEMM with β = 1 adds ∂op(B) = op(A)ᵀ·G, or for a transposed B its
// transpose Gᵀ·op(A), into the gradient of B summed so far. A recurrent layer's weights are the
// case: each time step's product goes into the sum as it is computed, where matmulGradB's
// result would be a temporary the size of the weight, written, read and added, at every step.
// It reports false, changing nothing, for batched operands, which matmulGradB sums otherwise,
// and for a product made by MatMulSGD, whose rule may apply the optimizer's update instead.
func matmulGradBInto(dst, g, y ag.Var, transA, transB bool) bool {
	a, b := in(y, 0), in(y, 1)
	sa := a.Shape()
	if _, fused := y.Aux().(SGDFuser); fused || len(sa) != 2 || len(b.Shape()) != 2 {
		return false
	}
	m, k := sa[0], sa[1] // op(A) is m×k
	if transA {
		m, k = k, m
	}
	n := g.Shape()[1]
	lda := max(1, sa[1])
	if !transB { // ∂B (k×n) += op(A)ᵀ·G
		gemmAdd(a.DType(), !transA, false, k, n, m, a, lda, g, max(1, n), dst, max(1, n))
	} else { // ∂B (n×k) += Gᵀ·op(A)
		gemmAdd(a.DType(), true, transA, n, k, m, g, max(1, n), a, lda, dst, max(1, k))
	}
	return true
}

// gemmAdd sets C ← op(A)·op(B) + C, C m×n, in dtype dt.
func gemmAdd(dt ag.DType, transA, transB bool, m, n, k int, a ag.Var, lda int, b ag.Var, ldb int, c ag.Var, ldc int) {
	if dt == ag.Float32 {
		gemm.Sgemm(transA, transB, m, n, k, 1, a.Data32(), lda, b.Data32(), ldb, 1, c.Data32(), ldc)
	} else {
		gemm.Dgemm(transA, transB, m, n, k, 1, a.Data64(), lda, b.Data64(), ldb, 1, c.Data64(), ldc)
	}
}

// biasGradInto is Affine's rule for its bias added into dst (autograd.Op.GradsInto): the sums of
// g's columns, as SumTo sums them (sumBiasInto), which it declines for float32 with more than
// sumBlock rows.
func biasGradInto(dst, g, y ag.Var) bool {
	n := dst.Len()
	if n == 0 {
		return true
	}
	if dst.DType() == ag.Float32 {
		return sumBiasInto(dst.Data32(), g.Data32(), n)
	}
	return sumBiasInto(dst.Data64(), g.Data64(), n)
}

// addGradInto is Add's rule for either input added into dst (autograd.Op.GradsInto): g summed to
// dst's shape, as SumTo sums it (reduceTo, without its start from 0), or for an input shaped like
// g, g itself added elementwise, as the pass would add what the rule passes on. It declines a
// large one of those, which the pass adds on several cores.
func addGradInto(dst, g, y ag.Var) bool {
	sd, sg := dst.Shape(), g.Shape()
	same := slices.Equal(sd, sg)
	if same && parallel.Worth(dst.Len(), grain) || len(sg) > maxRank {
		return false
	}
	if dst.DType() == ag.Float32 {
		accumulateLike(dst.Data32(), g.Data32(), sd, sg, same)
	} else {
		accumulateLike(dst.Data64(), g.Data64(), sd, sg, same)
	}
	return true
}

// mulGradInto is Mul's rule for input 1−other added into dst (autograd.Op.GradsInto): g times input
// other, each product rounded before it is added, as the pass adds the rule's product. It
// declines operands of two shapes (the rule sums a broadcast product to its input's shape; with
// one shape, g has it too) and large ones, which the pass adds on several cores. A scalar used
// along a chain, as the weight of BenchmarkScalarChain, gets its gradient summed in place
// instead of a new node per use.
func mulGradInto(dst, g, y ag.Var, other int) bool {
	b := in(y, other)
	if !slices.Equal(dst.Shape(), b.Shape()) || parallel.Worth(dst.Len(), grain) {
		return false
	}
	if dst.DType() == ag.Float32 {
		addProductInto(dst.Data32(), g.Data32(), b.Data32())
	} else {
		addProductInto(dst.Data64(), g.Data64(), b.Data64())
	}
	return true
}

// addProductInto sets o[i] += g[i]·b[i], the product rounded on its own: the conversion keeps the
// compiler from fusing it into the sum (as it would on arm64), which would change the bits.
func addProductInto[T float](o, g, b []T) {
	g, b = g[:len(o)], b[:len(o)]
	for i := range o {
		o[i] += T(g[i] * b[i])
	}
}

// accumulateLike adds a (shape sa) into o (shape so, which broadcasts to sa): elementwise when the
// shapes are the same, else summed to so.
func accumulateLike[T float](o, a []T, so, sa []int, same bool) {
	if same {
		addRowInto(o, a)
		return
	}
	accumulateTo(o, a, sa, so, false)
}

// sliceGradInto is Slice's rule added into dst (autograd.Op.GradsInto): g goes into the slice of
// dst it came from. A recurrent layer slices its input sequence one step at a time; the rule
// pads each step's gradient to the whole sequence, so that summing them cost a zero-filled
// sequence-sized gradient and a pass over the sum per step, where adding each step's block in
// place costs the block.
func sliceGradInto(dst, g, y ag.Var) bool {
	ax, start, end := y.Ints()[0], y.Ints()[1], y.Ints()[2]
	outer, n, stride, off := sliceBlocks(in(y, 0).Shape(), ax, start, end)
	if dst.DType() == ag.Float32 {
		addBlocks(dst.Data32(), g.Data32(), outer, n, stride, off)
	} else {
		addBlocks(dst.Data64(), g.Data64(), outer, n, stride, off)
	}
	return true
}

// addBlocks adds consecutive blocks of n elements of src into outer blocks of dst, dstStride
// apart and starting at dstOff: copyBlocks's reverse, adding.
func addBlocks[T float](dst, src []T, outer, n, dstStride, dstOff int) {
	for i := 0; i < outer; i++ {
		addRowInto(dst[i*dstStride+dstOff:i*dstStride+dstOff+n], src[i*n:(i+1)*n])
	}
}
