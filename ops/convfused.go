package ops

import (
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/gemm"
	"github.com/gograd/gograd/internal/parallel"
)

// The fused convolution: three primitives, each the others' derivative, that unfold one image at
// a time into a buffer that stays in cache and multiply it there. Composed as MatMul(w,
// Im2col(x)), a convolution writes and reads the unfolded batch (C·kh·kw times the input: 42 MB
// in float32 for the second convolution of PyTorch's MNIST net at batch 64) in the forward pass,
// reads it again for the weight gradient and writes and reads as much again for the input
// gradient; memory traffic, not arithmetic, then bounds the step. Fused, each image's columns
// live in a per-core buffer between the unfolding and the product, and the batch is split over
// the cores by images.
//
//	conv(x, w)            yₙ = w·Im2col(xₙ)        x (N, C, H, W), w (O, C·kh·kw) → (N, O, OH·OW)
//	convGradInput(g, w)   zₙ = Col2im(wᵀ·gₙ)       g (N, O, OH·OW) → (N, C, H, W)
//	convGradWeight(g, x)  v = Σₙ gₙ·Im2col(xₙ)ᵀ    → (O, C·kh·kw)
//
// Padding taps are zeros. Each op stores the window and the image size (H, W) in its Ints.

// packConvAttrs packs a window and an image size into four ints.
func packConvAttrs(w Window2d, h, width int) [4]int {
	p := func(v [2]int) int { return v[0]<<16 | v[1] }
	return [4]int{p(w.Kernel)<<32 | p(w.Stride), p(w.Padding)<<32 | p(w.Dilation), h, width}
}

// unpackConvAttrs undoes packConvAttrs.
func unpackConvAttrs(ints []int) (w Window2d, h, width int) {
	u := func(v int) [2]int { return [2]int{v >> 16 & 0xffff, v & 0xffff} }
	return Window2d{u(ints[0] >> 32), u(ints[0]), u(ints[1] >> 32), u(ints[1])}, ints[2], ints[3]
}

// convFused returns conv(x, w): for each image xₙ of x (N, C, H, W), w (O, C·kh·kw) times the
// unfolded image, shape (N, O, OH·OW). The caller checked the window against x; convFused
// panics if w does not have C·kh·kw columns or the dtypes differ.
func convFused(x, w ag.Var, win Window2d) ag.Var { return convFusedBias(x, w, ag.Var{}, win) }

// convFusedBias returns conv(x, w) plus bias (O) on every position of channel o, or conv(x, w)
// when bias is the zero Var: the bias seeds the product's output, saving a broadcast pass.
func convFusedBias(x, w, bias ag.Var, win Window2d) ag.Var {
	const op = "ops.Conv2d"
	xo, wo := x.Operand(op), w.Operand(op)
	n, c, h, wd := xo.Shape[0], xo.Shape[1], xo.Shape[2], xo.Shape[3]
	oh, ow := windowOutput(op, "input", xo.Shape, win)
	ckk := c * win.Kernel[0] * win.Kernel[1]
	if len(wo.Shape) != 2 || wo.Shape[1] != ckk || wo.DType != xo.DType {
		ag.Panicf(op, ag.ErrShape, "weight %s %v for input %s %v with %s; want (O, %d) of the input's dtype", shapeStr(wo.Shape), wo.DType, shapeStr(xo.Shape), xo.DType, win, ckk)
	}
	o := wo.Shape[0]
	var out ag.Var
	var b32 []float32
	var b64 []float64
	if bias.IsNil() {
		out = ag.NewResult(convOp, xo.DType, []int{n, o, oh * ow}, x, w)
	} else {
		bo := bias.Operand(op)
		if len(bo.Shape) != 1 || bo.Shape[0] != o || bo.DType != xo.DType {
			ag.Panicf(op, ag.ErrShape, "bias %s %v for weight %s; want (%d) of the input's dtype", shapeStr(bo.Shape), bo.DType, shapeStr(wo.Shape), o)
		}
		out = ag.NewResult(convBiasOp, xo.DType, []int{n, o, oh * ow}, x, w, bias)
		b32, b64 = bo.F32, bo.F64
	}
	pk := packConvAttrs(win, h, wd)
	out.SetInts(pk[:]...)
	res := out.Operand(op)
	g := newColGeom(win, h, wd, oh, ow)
	if xo.DType == ag.Float32 {
		runConv(convForward, &g, n, c, o, xo.F32, wo.F32, res.F32, b32)
	} else {
		runConv(convForward, &g, n, c, o, xo.F64, wo.F64, res.F64, b64)
	}
	return out
}

// convBiasGrad is the gradient of conv's bias: g (N, O, L) summed over N and L.
func convBiasGrad(g ag.Var) ag.Var {
	o := g.Shape()[1]
	return Reshape(SumTo(g, 1, o, 1), o)
}

// convGradInput returns convGradInput(g, w): for each gₙ of g (N, O, OH·OW), wᵀ·gₙ folded back
// into an h×width image of C = columns(w)/(kh·kw) channels, shape (N, C, h, width). It panics if
// the shapes do not fit the window.
func convGradInput(gy, w ag.Var, win Window2d, h, width int) ag.Var {
	const op = "ops.ConvGradInput"
	gv, wo := gy.Operand(op), w.Operand(op)
	kk := win.Kernel[0] * win.Kernel[1]
	if len(gv.Shape) != 3 || len(wo.Shape) != 2 || gv.Shape[1] != wo.Shape[0] || wo.Shape[1]%kk != 0 || gv.DType != wo.DType {
		ag.Panicf(op, ag.ErrShape, "gradient %s, weight %s with %s: want (N, O, L) and (O, C·%d) of one dtype", shapeStr(gv.Shape), shapeStr(wo.Shape), win, kk)
	}
	n, o, c := gv.Shape[0], gv.Shape[1], wo.Shape[1]/kk
	oh, ow := windowOutput(op, "output", []int{n, c, h, width}, win)
	if gv.Shape[2] != oh*ow {
		ag.Panicf(op, ag.ErrShape, "gradient %s for an output %d×%d with %s: want %d positions", shapeStr(gv.Shape), h, width, win, oh*ow)
	}
	out := ag.NewResult(convGradInputOp, gv.DType, []int{n, c, h, width}, gy, w)
	pk := packConvAttrs(win, h, width)
	out.SetInts(pk[:]...)
	res := out.Operand(op)
	g := newColGeom(win, h, width, oh, ow)
	if gv.DType == ag.Float32 {
		runConv(convBackInput, &g, n, c, o, res.F32, wo.F32, gv.F32, nil)
	} else {
		runConv(convBackInput, &g, n, c, o, res.F64, wo.F64, gv.F64, nil)
	}
	return out
}

// convGradWeight returns convGradWeight(g, x): Σₙ gₙ·Im2col(xₙ)ᵀ for g (N, O, OH·OW) and x
// (N, C, H, W), shape (O, C·kh·kw). It panics if the shapes do not fit the window.
func convGradWeight(gy, x ag.Var, win Window2d) ag.Var {
	const op = "ops.ConvGradWeight"
	gv, xo := gy.Operand(op), x.Operand(op)
	if len(gv.Shape) != 3 || len(xo.Shape) != 4 || gv.Shape[0] != xo.Shape[0] || gv.DType != xo.DType {
		ag.Panicf(op, ag.ErrShape, "gradient %s, input %s: want (N, O, L) and (N, C, H, W) of one dtype", shapeStr(gv.Shape), shapeStr(xo.Shape))
	}
	n, o, c, h, wd := gv.Shape[0], gv.Shape[1], xo.Shape[1], xo.Shape[2], xo.Shape[3]
	oh, ow := windowOutput(op, "input", xo.Shape, win)
	if gv.Shape[2] != oh*ow {
		ag.Panicf(op, ag.ErrShape, "gradient %s for input %s with %s: want %d positions", shapeStr(gv.Shape), shapeStr(xo.Shape), win, oh*ow)
	}
	out := ag.NewResult(convGradWeightOp, gv.DType, []int{o, c * win.Kernel[0] * win.Kernel[1]}, gy, x)
	pk := packConvAttrs(win, h, wd)
	out.SetInts(pk[:]...)
	res := out.Operand(op)
	g := newColGeom(win, h, wd, oh, ow)
	if gv.DType == ag.Float32 {
		runConv(convBackWeight, &g, n, c, o, xo.F32, res.F32, gv.F32, nil)
	} else {
		runConv(convBackWeight, &g, n, c, o, xo.F64, res.F64, gv.F64, nil)
	}
	return out
}

// The three loops of runConv.
const (
	convForward    = iota // y = conv(x, w)
	convBackInput         // x = convGradInput(y, w)
	convBackWeight        // w = convGradWeight(y, x)
)

// convTask is one fused convolution loop over a batch, a parallel.Task over chunks of images.
// Images are (C, H, W) planes of x, rows are (O, L) matrices of y with L = OH·OW, and w is
// (O, C·kh·kw). Chunk p runs images [p·n/chunks, (p+1)·n/chunks) with its own column buffer;
// for the weight gradient chunk 0 accumulates into w and chunk p > 0 into part[p].
type convTask[T float] struct {
	mode      int
	g         colGeom
	n, c, o   int
	chunks    int
	x, w, y   []T
	bias      []T              // forward only; nil for none
	cols      [][]T            // per chunk, C·kh·kw × L (input gradient only)
	packs     []imagePacker[T] // per chunk: the unfolded image for the packed GEMM
	part      [][]T            // per chunk, O × C·kh·kw (weight gradient only)
	identical bool             // a 1×1 window, stride 1, no padding: the columns are the image itself
	packed    bool             // unfold into the packed GEMM's panels (imagePacker), not into cols
}

// convWork is the multiply-adds below which a batch is not split over the cores: the products
// then split themselves, or are too small to gain.
const convWork = 1 << 18

// runConv runs one fused convolution of the given mode over n images; bias, if not nil, seeds
// the forward product.
func runConv[T float](mode int, g *colGeom, n, c, o int, x, w, y, bias []T) {
	var pool any = &convTasks64
	if isF32[T]() {
		pool = &convTasks32
	}
	list := pool.(*freelist.List[convTask[T]])
	t := list.Get()
	t.mode, t.g, t.n, t.c, t.o, t.x, t.w, t.y, t.bias = mode, *g, n, c, o, x, w, y, bias
	t.identical = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0
	l, ckk := g.oh*g.ow, c*g.kh*g.kw
	t.chunks = 1
	if n >= 2 && n*o*l*ckk >= 2*convWork {
		t.chunks = parallel.Chunks(n, 1)
	}
	// The packed GEMM runs on its caller's core: a batch split over the cores uses it, a
	// single chunk unfolds into cols and lets the GEMM split itself.
	t.packed = t.chunks > 1
	for len(t.cols) < t.chunks {
		t.cols = append(t.cols, nil)
		t.part = append(t.part, nil)
		t.packs = append(t.packs, imagePacker[T]{})
	}
	for p := range t.chunks {
		if (mode == convBackInput || !t.packed) && !t.identical && cap(t.cols[p]) < ckk*l {
			t.cols[p] = make([]T, ckk*l)
		}
		if mode == convBackWeight && p > 0 && cap(t.part[p]) < o*ckk {
			t.part[p] = make([]T, o*ckk)
		}
	}
	if t.chunks > 1 {
		parallel.ForTask(t.chunks, 1, t)
	} else {
		t.Run(0, 1)
	}
	if mode == convBackWeight {
		for p := 1; p < t.chunks; p++ {
			for i, v := range t.part[p][:o*ckk] {
				w[i] += v
			}
		}
	}
	t.x, t.w, t.y, t.bias = nil, nil, nil, nil // drop the operands before pooling; keep the buffers
	for p := range t.packs {
		t.packs[p].x = nil
	}
	list.Put(t)
}

// convTasks32 and convTasks64 keep the tasks, and their buffers, from call to call, so that a
// steady training step allocates nothing.
var (
	convTasks32 freelist.List[convTask[float32]]
	convTasks64 freelist.List[convTask[float64]]
)

// Run runs chunks lo..hi−1.
func (t *convTask[T]) Run(lo, hi int) {
	g := &t.g
	hw, l, kk := g.h*g.w, g.oh*g.ow, g.kh*g.kw
	ckk := t.c * kk
	for p := lo; p < hi; p++ {
		first, last := p*t.n/t.chunks, (p+1)*t.n/t.chunks
		var cols []T
		if (t.mode == convBackInput || !t.packed) && !t.identical {
			cols = t.cols[p][:ckk*l]
		}
		pk := &t.packs[p]
		pk.g = g
		acc := t.w
		if t.mode == convBackWeight && p > 0 {
			acc = t.part[p][:t.o*ckk]
		}
		if t.mode == convBackWeight && first == last {
			clear(acc[:t.o*ckk])
		}
		for i := first; i < last; i++ {
			xi := t.x[i*t.c*hw : (i+1)*t.c*hw]
			yi := t.y[i*t.o*l : (i+1)*t.o*l]
			pk.x = xi
			switch t.mode {
			case convForward:
				var beta T
				if t.bias != nil {
					for r, b := range t.bias[:t.o] {
						fillSlice(yi[r*l:(r+1)*l], b)
					}
					beta = 1
				}
				if !t.packed || t.identical {
					gemmT(false, false, t.o, l, ckk, t.w, ckk, t.unfold(xi, cols), l, beta, yi, l)
					continue
				}
				pk.trans = false
				gemmPackedT(t.o, l, ckk, t.w, ckk, pk, beta, yi, l)
			case convBackInput:
				if t.identical { // the columns are the image
					gemmT(true, false, ckk, l, t.o, t.w, ckk, yi, l, 0, xi, l)
					continue
				}
				gemmT(true, false, ckk, l, t.o, t.w, ckk, yi, l, 0, cols, l)
				for ch := 0; ch < t.c; ch++ {
					plane := xi[ch*hw : (ch+1)*hw]
					clear(plane)
					col2imPlane(plane, cols[ch*kk*l:(ch+1)*kk*l], g)
				}
			case convBackWeight:
				var beta T
				if i > first {
					beta = 1
				}
				if !t.packed || t.identical {
					gemmT(false, true, t.o, ckk, l, yi, l, t.unfold(xi, cols), l, beta, acc, ckk)
					continue
				}
				pk.trans = true
				gemmPackedT(t.o, ckk, l, yi, l, pk, beta, acc, ckk)
			}
		}
	}
}

// unfold returns the columns of image xi: xi itself for a 1×1 window, else cols filled by
// im2colPlane.
func (t *convTask[T]) unfold(xi, cols []T) []T {
	if t.identical {
		return xi
	}
	g := &t.g
	hw, pl := g.h*g.w, g.planeLen()
	for ch := 0; ch < t.c; ch++ {
		im2colPlane(cols[ch*pl:(ch+1)*pl], xi[ch*hw:(ch+1)*hw], g, 0)
	}
	return cols
}

// isF32 reports whether T is float32.
func isF32[T float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// gemmT is gemm.Sgemm or gemm.Dgemm with alpha 1, by T.
func gemmT[T float](ta, tb bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if isF32[T]() {
		gemm.Sgemm(ta, tb, m, n, k, 1, as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
		return
	}
	gemm.Dgemm(ta, tb, m, n, k, 1, as64(a), lda, as64(b), ldb, float64(beta), as64(c), ldc)
}

func as32[T float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func as64[T float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
