package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// LSTMCell returns the next hidden state h' and cell state c' of an LSTM cell from its gate
// pre-activations pre (batch, 4·hidden), whose column blocks are the gates i, f, g, o in
// PyTorch's order, and the cell state c (batch, hidden):
//
//	c' = σ(a_f) ⊙ c + σ(a_i) ⊙ tanh(a_g)
//	h' = σ(a_o) ⊙ tanh(c')
//
// c' and h' are two primitives, for speed (issue 12): composed of Split and eight elementwise
// operations, a step reads and writes its (batch, hidden) arrays about thirty times forward and
// backward, and the adjoint of Split pads each gate's gradient to the full width of pre and adds
// the four; the primitives take one pass forward each, and backward one kernel per input (three
// gradient primitives: pre's from c' and from h', each one (batch, 4·hidden) array, and c's from
// h'; c's from c' is g·σ(a_f)). Their rules are
// written with ops, so gradients of every order come from the table. In float32, tanh is
// evaluated as 2σ(2x) − 1 with the SIMD sigmoid, within 3·10⁻⁷ of the exact value.
//
// LSTMCell panics with an *autograd.Error naming the shapes if pre is not (batch, 4·hidden) for
// c of shape (batch, hidden), or the dtypes differ.
func LSTMCell(pre, c ag.Var) (h, c2 ag.Var) {
	const op = "ops.LSTMCell"
	p, cv := pre.Operand(op), c.Operand(op)
	checkLSTM(op, p, cv, "c")
	c2 = lstmRun(lstmCOp, cv.Shape, p, [2]ag.Operand{cv}, lstmCKernel32, lstmCKernel64, pre, c)
	h = lstmRun(lstmHOp, cv.Shape, p, [2]ag.Operand{c2.Operand(op)}, lstmHKernel32, lstmHKernel64, pre, c2)
	return h, c2
}

// checkLSTM panics unless p is (batch, 4·hidden) and s (batch, hidden), of one dtype.
func checkLSTM(op string, p, s ag.Operand, what string) {
	if len(p.Shape) != 2 || len(s.Shape) != 2 || p.Shape[0] != s.Shape[0] || p.Shape[1] != 4*s.Shape[1] {
		ag.Panicf(op, ag.ErrShape, "pre-activations %s and %s %s; want (batch, 4·hidden) and (batch, hidden)",
			shapeStr(p.Shape), what, shapeStr(s.Shape))
	}
	if p.DType != s.DType {
		ag.Panicf(op, ag.ErrDType, "%v pre-activations and %v %s; convert one with ops.Cast", p.DType, s.DType, what)
	}
}

// lstmKernel computes one of the cell's kernels into o from the row-major operands: pre
// (batch, 4h) and the per-unit arrays xs, each (batch, h) (the second may be nil).
type lstmKernel[T float] func(o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T])

// lstmRun allocates the result of op, of the given shape, with inputs, and runs the kernel on
// pre and the per-unit operands xs (batch, h).
func lstmRun(op *ag.Op, shape []int, pre ag.Operand, xs [2]ag.Operand, k32 lstmKernel[float32], k64 lstmKernel[float64], inputs ...ag.Var) ag.Var {
	b, h := pre.Shape[0], pre.Shape[1]/4
	out := ag.NewResult(op, pre.DType, shape, inputs...)
	o := out.Operand(op.Name)
	if pre.DType == ag.Float32 {
		runLSTMKernel(&lstmTasks32, &lstmScratch32, k32, o.F32, pre.F32, [2][]float32{xs[0].F32, xs[1].F32}, b, h)
	} else {
		runLSTMKernel(&lstmTasks64, &lstmScratch64, k64, o.F64, pre.F64, [2][]float64{xs[0].F64, xs[1].F64}, b, h)
	}
	return out
}

// runLSTMKernel runs k over the b rows of its operands, split over the cores by rows when there
// are lstmSplit units or more: the rows are independent, so the split does not change a bit.
// Each piece takes its own scratch.
func runLSTMKernel[T float](tasks *freelist.List[lstmTask[T]], scratch *freelist.List[lstmScratch[T]], k lstmKernel[T], o, pre []T, xs [2][]T, b, h int) {
	if b*h < lstmSplit {
		s := scratch.Get()
		k(o, pre, xs, b, h, s)
		scratch.Put(s)
		return
	}
	t := tasks.Get()
	t.k, t.scratch, t.o, t.pre, t.xs, t.b, t.h = k, scratch, o, pre, xs, b, h
	parallel.ForTask(b, max(1, lstmSplit/2/h), t)
	*t = lstmTask[T]{}
	tasks.Put(t)
}

// lstmSplit is the number of units (rows × hidden) from which an LSTM kernel is split over the
// cores: each unit costs a few sigmoids, so pieces of lstmSplit/2 units (2048 in float32, about 5
// µs) are worth a hand-off (about a microsecond), far below the Grain of plain elementwise loops.
// A variable for the tests.
var lstmSplit = 4096

// lstmTask is one LSTM kernel's loop over rows for the worker pool, from a free list so that a
// steady step allocates nothing.
type lstmTask[T float] struct {
	k       lstmKernel[T]
	scratch *freelist.List[lstmScratch[T]]
	o, pre  []T
	xs      [2][]T
	b, h    int
}

// Run runs the kernel on rows [lo, hi).
func (t *lstmTask[T]) Run(lo, hi int) {
	ow := len(t.o) / t.b // h or 4h, as the kernel writes
	var xs [2][]T
	for i, x := range t.xs {
		if x != nil {
			xs[i] = x[lo*t.h : hi*t.h]
		}
	}
	s := t.scratch.Get()
	t.k(t.o[lo*ow:hi*ow], t.pre[lo*4*t.h:hi*4*t.h], xs, hi-lo, t.h, s)
	t.scratch.Put(s)
}

var (
	lstmTasks32 freelist.List[lstmTask[float32]]
	lstmTasks64 freelist.List[lstmTask[float64]]
)

// lstmChunk is the number of units the kernels take at once, in scratch from a free list.
const lstmChunk = 256

type lstmScratch[T float] struct{ a, b, t, u, v [lstmChunk]T }

var (
	lstmScratch32 freelist.List[lstmScratch[float32]]
	lstmScratch64 freelist.List[lstmScratch[float64]]
)

// sigmoidInto sets o = σ(x) with the SIMD kernels.
func sigmoidInto[T float](o, x []T) {
	if isF32[T]() {
		vmath.Sigmoid32(as32(o), as32(x))
	} else {
		vmath.Sigmoid64(as64(o), as64(x))
	}
}

// tanhInto sets o = tanh x: 2σ(2x) − 1 in float32 (see LSTMCell), math.Tanh in float64.
func tanhInto[T float](o, x []T) {
	x = x[:len(o)]
	if !isF32[T]() {
		for i, v := range x {
			o[i] = T(math.Tanh(float64(v)))
		}
		return
	}
	addInto(o, x, x) // 2x, exact
	sigmoidInto(o, o)
	addInto(o, o, o)
	subInto(o, o, ones[T]()[:len(o)]) // 2σ − 1, rounded once as the Go expression 2*v - 1
}

// lstmC: c' = σ(a_f)·c + σ(a_i)·tanh(a_g); xs = {c}.
func lstmC[T float](o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T]) {
	for r := range b {
		p, c, or := pre[r*4*h:(r+1)*4*h], xs[0][r*h:(r+1)*h], o[r*h:(r+1)*h]
		for j0 := 0; j0 < h; j0 += lstmChunk {
			n := min(lstmChunk, h-j0)
			si, sf, t := s.a[:n], s.b[:n], s.t[:n]
			sigmoidInto(si, p[j0:j0+n])
			sigmoidInto(sf, p[h+j0:h+j0+n])
			tanhInto(t, p[2*h+j0:2*h+j0+n])
			mulInto(sf, sf, c[j0:j0+n])
			mulInto(si, si, t)
			addInto(or[j0:j0+n], sf, si) // σ_f·c + σ_i·t
		}
	}
}

// lstmH: h' = σ(a_o)·tanh(c'); xs = {c'}.
func lstmH[T float](o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T]) {
	for r := range b {
		p, c, or := pre[r*4*h:(r+1)*4*h], xs[0][r*h:(r+1)*h], o[r*h:(r+1)*h]
		for j0 := 0; j0 < h; j0 += lstmChunk {
			n := min(lstmChunk, h-j0)
			so, t := s.a[:n], s.t[:n]
			sigmoidInto(so, p[3*h+j0:3*h+j0+n])
			tanhInto(t, c[j0:j0+n])
			mulInto(or[j0:j0+n], so, t)
		}
	}
}

// lstmCGradK: the gradient of c' with respect to pre for the upstream g, blocks
// [g·tanh(a_g)·σ'(a_i), g·c·σ'(a_f), g·σ(a_i)·(1 − tanh²(a_g)), 0]; xs = {g, c}.
func lstmCGradK[T float](o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T]) {
	for r := range b {
		p, or := pre[r*4*h:(r+1)*4*h], o[r*4*h:(r+1)*4*h]
		g, c := xs[0][r*h:(r+1)*h], xs[1][r*h:(r+1)*h]
		for j0 := 0; j0 < h; j0 += lstmChunk {
			n := min(lstmChunk, h-j0)
			si, sf, t := s.a[:n], s.b[:n], s.t[:n]
			sigmoidInto(si, p[j0:j0+n])
			sigmoidInto(sf, p[h+j0:h+j0+n])
			tanhInto(t, p[2*h+j0:2*h+j0+n])
			gg, u, v := g[j0:j0+n], s.u[:n], s.v[:n]
			gradSigmoidTimes(or[j0:j0+n], gg, t, si, u, v)              // g·t·σ_i(1−σ_i)
			gradSigmoidTimes(or[h+j0:h+j0+n], gg, c[j0:j0+n], sf, u, v) // g·c·σ_f(1−σ_f)
			gradTanhTimes(or[2*h+j0:2*h+j0+n], gg, si, t, u, v)         // g·σ_i·(1−t²)
		}
		clear(or[3*h:])
	}
}

// lstmHGradK: the gradient of h' with respect to pre for the upstream g, blocks
// [0, 0, 0, g·tanh(c')·σ'(a_o)]; xs = {g, c'}.
func lstmHGradK[T float](o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T]) {
	for r := range b {
		p, or := pre[r*4*h:(r+1)*4*h], o[r*4*h:(r+1)*4*h]
		g, c := xs[0][r*h:(r+1)*h], xs[1][r*h:(r+1)*h]
		clear(or[:3*h])
		for j0 := 0; j0 < h; j0 += lstmChunk {
			n := min(lstmChunk, h-j0)
			so, t := s.a[:n], s.t[:n]
			sigmoidInto(so, p[3*h+j0:3*h+j0+n])
			tanhInto(t, c[j0:j0+n])
			gradSigmoidTimes(or[3*h+j0:3*h+j0+n], g[j0:j0+n], t, so, s.u[:n], s.v[:n]) // g·t·σ_o(1−σ_o)
		}
	}
}

// lstmHGradCK: the gradient of h' with respect to c' for the upstream g,
// g·σ(a_o)·(1 − tanh²(c')); xs = {g, c'}.
func lstmHGradCK[T float](o, pre []T, xs [2][]T, b, h int, s *lstmScratch[T]) {
	for r := range b {
		p, or := pre[r*4*h:(r+1)*4*h], o[r*h:(r+1)*h]
		g, c := xs[0][r*h:(r+1)*h], xs[1][r*h:(r+1)*h]
		for j0 := 0; j0 < h; j0 += lstmChunk {
			n := min(lstmChunk, h-j0)
			so, t := s.a[:n], s.t[:n]
			sigmoidInto(so, p[3*h+j0:3*h+j0+n])
			tanhInto(t, c[j0:j0+n])
			gradTanhTimes(or[j0:j0+n], g[j0:j0+n], so, t, s.u[:n], s.v[:n]) // g·σ_o·(1−t²)
		}
	}
}

var (
	lstmHGradCKernel32, lstmHGradCKernel64 = lstmHGradCK[float32], lstmHGradCK[float64]
	lstmCKernel32, lstmCKernel64           = lstmC[float32], lstmC[float64]
	lstmHKernel32, lstmHKernel64           = lstmH[float32], lstmH[float64]
	lstmCGradKernel32, lstmCGradKernel64   = lstmCGradK[float32], lstmCGradK[float64]
	lstmHGradKernel32, lstmHGradKernel64   = lstmHGradK[float32], lstmHGradK[float64]
)

// lstmCGrad returns LSTMCell's ∂c'/∂pre applied to g (batch, hidden): (batch, 4·hidden).
func lstmCGrad(g, pre, c ag.Var) ag.Var {
	const op = "ops.LSTMCellGrad"
	p := pre.Operand(op)
	xs := [2]ag.Operand{g.Operand(op), c.Operand(op)}
	return lstmRun(lstmCGradOp, p.Shape, p, xs, lstmCGradKernel32, lstmCGradKernel64, g, pre, c)
}

// lstmHGrad returns LSTMCell's ∂h'/∂pre applied to g (batch, hidden): (batch, 4·hidden).
func lstmHGrad(g, pre, c2 ag.Var) ag.Var {
	const op = "ops.LSTMCellGrad"
	p := pre.Operand(op)
	xs := [2]ag.Operand{g.Operand(op), c2.Operand(op)}
	return lstmRun(lstmHGradOp, p.Shape, p, xs, lstmHGradKernel32, lstmHGradKernel64, g, pre, c2)
}

// lstmHGradC returns LSTMCell's ∂h'/∂c' applied to g (batch, hidden): (batch, hidden).
func lstmHGradC(g, pre, c2 ag.Var) ag.Var {
	const op = "ops.LSTMCellGrad"
	p, gv := pre.Operand(op), g.Operand(op)
	xs := [2]ag.Operand{gv, c2.Operand(op)}
	return lstmRun(lstmHGradCOp, gv.Shape, p, xs, lstmHGradCKernel32, lstmHGradCKernel64, g, pre, c2)
}

// lstmGate returns gate k (0 to 3: i, f, g, o) of pre (batch, 4·hidden) as graph ops, for the
// rules: tanh for g, σ for the others.
func lstmGate(pre ag.Var, k int) ag.Var {
	h := pre.Shape()[1] / 4
	a := Slice(pre, 1, k*h, (k+1)*h)
	if k == 2 {
		return Tanh(a)
	}
	return Sigmoid(a)
}

// dsig returns σ' = s·(1 − s) from s = σ(a).
func dsig(s ag.Var) ag.Var { return Mul(s, RSubScalar(1, s)) }

// lstmBlocks returns the four column blocks of k (batch, 4·hidden).
func lstmBlocks(k ag.Var) (ki, kf, kg, ko ag.Var) {
	h := k.Shape()[1] / 4
	return Slice(k, 1, 0, h), Slice(k, 1, h, 2*h), Slice(k, 1, 2*h, 3*h), Slice(k, 1, 3*h, 4*h)
}

// The rules of the LSTM primitives (see vjp.go), written with ops. z = lstmCGrad(g, pre, c) has
// blocks z_i = g·t·σ'_i, z_f = g·c·σ'_f, z_g = g·s_i·(1−t²), z_o = 0, with s = σ, t = tanh(a_g)
// and σ'' = σ'·(1 − 2s); k is the upstream gradient of z.

// lstmCGradDG is ∂z/∂g applied to k: k_i·t·σ'_i + k_f·c·σ'_f + k_g·s_i·(1−t²).
func lstmCGradDG(k, z ag.Var) ag.Var {
	pre, c := in(z, 1), in(z, 2)
	si, sf, t := lstmGate(pre, 0), lstmGate(pre, 1), lstmGate(pre, 2)
	ki, kf, kg, _ := lstmBlocks(k)
	return Add(Add(Mul(ki, Mul(t, dsig(si))), Mul(kf, Mul(c, dsig(sf)))), Mul(kg, Mul(si, RSubScalar(1, Square(t)))))
}

// lstmCGradDPre is ∂z/∂pre applied to k: blocks
// i: g·(k_i·t·σ”_i + k_g·(1−t²)·σ'_i), f: k_f·g·c·σ”_f, g: g·(k_i·σ'_i·(1−t²) − 2·k_g·s_i·t·(1−t²)), o: 0.
func lstmCGradDPre(k, z ag.Var) ag.Var {
	g, pre, c := in(z, 0), in(z, 1), in(z, 2)
	si, sf, t := lstmGate(pre, 0), lstmGate(pre, 1), lstmGate(pre, 2)
	ki, kf, kg, _ := lstmBlocks(k)
	di, u := dsig(si), RSubScalar(1, Square(t))
	ddi := Mul(di, RSubScalar(1, MulScalar(si, 2)))
	ddf := Mul(dsig(sf), RSubScalar(1, MulScalar(sf, 2)))
	bi := Mul(g, Add(Mul(ki, Mul(t, ddi)), Mul(kg, Mul(u, di))))
	bf := Mul(kf, Mul(Mul(g, c), ddf))
	bg := Mul(g, Mul(u, Sub(Mul(ki, di), MulScalar(Mul(kg, Mul(si, t)), 2))))
	return Concat(1, bi, bf, bg, TapeOf(k).Zeros(k.DType(), bi.Shape()...))
}

// lstmCGradDC is ∂z/∂c applied to k: k_f·g·σ'_f.
func lstmCGradDC(k, z ag.Var) ag.Var {
	sf := lstmGate(in(z, 1), 1)
	_, kf, _, _ := lstmBlocks(k)
	return Mul(kf, Mul(in(z, 0), dsig(sf)))
}

// w = lstmHGrad(g, pre, c') has the block w_o = g·tanh(c')·σ'_o, the others 0; k is its
// upstream gradient.

// lstmHGradDG is ∂w/∂g applied to k: k_o·tanh(c')·σ'_o.
func lstmHGradDG(k, w ag.Var) ag.Var {
	so := lstmGate(in(w, 1), 3)
	_, _, _, ko := lstmBlocks(k)
	return Mul(ko, Mul(Tanh(in(w, 2)), dsig(so)))
}

// lstmHGradDPre is ∂w/∂pre applied to k: block o: k_o·g·tanh(c')·σ”_o, the others 0.
func lstmHGradDPre(k, w ag.Var) ag.Var {
	so := lstmGate(in(w, 1), 3)
	_, _, _, ko := lstmBlocks(k)
	d := Mul(ko, Mul(Mul(in(w, 0), Tanh(in(w, 2))), Mul(dsig(so), RSubScalar(1, MulScalar(so, 2)))))
	return Pad(d, 1, 3*d.Shape()[1], 0)
}

// lstmHGradDC is ∂w/∂c' applied to k: k_o·g·σ'_o·(1 − tanh²(c')).
func lstmHGradDC(k, w ag.Var) ag.Var {
	so := lstmGate(in(w, 1), 3)
	_, _, _, ko := lstmBlocks(k)
	return Mul(ko, Mul(in(w, 0), Mul(dsig(so), RSubScalar(1, Square(Tanh(in(w, 2)))))))
}

// u = lstmHGradC(g, pre, c') = g·σ_o·(1 − t²) with t = tanh(c'); k is its upstream gradient.

// lstmHGradCDG is ∂u/∂g applied to k: k·σ_o·(1 − t²).
func lstmHGradCDG(k, u ag.Var) ag.Var {
	so := lstmGate(in(u, 1), 3)
	return Mul(k, Mul(so, RSubScalar(1, Square(Tanh(in(u, 2))))))
}

// lstmHGradCDPre is ∂u/∂pre applied to k: block o: k·g·σ'_o·(1 − t²), the others 0.
func lstmHGradCDPre(k, u ag.Var) ag.Var {
	so := lstmGate(in(u, 1), 3)
	d := Mul(Mul(k, in(u, 0)), Mul(dsig(so), RSubScalar(1, Square(Tanh(in(u, 2))))))
	return Pad(d, 1, 3*d.Shape()[1], 0)
}

// lstmHGradCDC is ∂u/∂c' applied to k: −2·k·g·σ_o·t·(1 − t²).
func lstmHGradCDC(k, u ag.Var) ag.Var {
	so, t := lstmGate(in(u, 1), 3), Tanh(in(u, 2))
	return MulScalar(Mul(Mul(k, in(u, 0)), Mul(so, Mul(t, RSubScalar(1, Square(t))))), -2)
}
