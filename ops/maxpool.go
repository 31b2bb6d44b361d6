package ops

import (
	"math"
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// Max pooling as primitives, for speed: composed as MaxKeepDims over Im2col, a pool writes the
// unfolded windows in the forward pass, and its gradient takes five broadcast passes over them
// (Equal, SumTo, Div, Mul, Col2im). These loops read each window in place.
//
//	maxPool(x)          yₖ = max of x over window k (padding counts as −Inf)
//	maxUnpool(g, x, y)  z = Σₖ gₖ/tₖ at each element of window k equal to yₖ (tₖ such ties)
//	maxRoute(h, x, y)   rₖ = Σ h/tₖ over the elements of window k equal to yₖ
//
// maxUnpool and maxRoute are linear in their first input and each other's adjoint; x and y only
// say where the maxima are, a piecewise constant choice through which no gradient flows. Each
// op stores the window and the input's H, W in its Ints (packConvAttrs).

// maxPool returns the maximum of x (N, C, H, W) over each window of win: (N, C, OH, OW). The
// caller checked the window.
func maxPool(x ag.Var, win Window2d) ag.Var {
	const op = "ops.MaxPool2d"
	xo := x.Operand(op)
	n, c, h, w := xo.Shape[0], xo.Shape[1], xo.Shape[2], xo.Shape[3]
	oh, ow := windowOutput(op, "input", xo.Shape, win)
	out := ag.NewResult(maxPoolOp, xo.DType, []int{n, c, oh, ow}, x)
	return runPool(out, poolMax, win, h, w, ag.Var{}, x, out)
}

// maxUnpool routes g, shaped like y, to the maxima of x's windows, shared evenly between ties:
// shape x's.
func maxUnpool(g, x, y ag.Var, win Window2d) ag.Var {
	const op = "ops.MaxUnpool"
	checkPoolTriple(op, g, x, x, y)
	s := x.Shape()
	out := ag.NewResult(maxUnpoolOp, x.DType(), []int{s[0], s[1], s[2], s[3]}, g, x, y)
	return runPool(out, poolUnpool, win, s[2], s[3], g, x, y)
}

// maxRoute sums h, shaped like x, over the maxima of each window, divided by their number:
// shape y's.
func maxRoute(h, x, y ag.Var, win Window2d) ag.Var {
	const op = "ops.MaxRoute"
	checkPoolTriple(op, y, h, x, y)
	s, sx := y.Shape(), x.Shape()
	out := ag.NewResult(maxRouteOp, y.DType(), []int{s[0], s[1], s[2], s[3]}, h, x, y)
	return runPool(out, poolRoute, win, sx[2], sx[3], h, x, y)
}

// checkPoolTriple panics unless pooled has y's shape, img has x's, x and y are 4-D images of
// one batch and channels, and all four share a dtype.
func checkPoolTriple(op string, pooled, img, x, y ag.Var) {
	sp, si, sx, sy := pooled.Operand(op).Shape, img.Operand(op).Shape, x.Operand(op).Shape, y.Operand(op).Shape
	dt := x.DType()
	if len(sx) != 4 || len(sy) != 4 || sx[0] != sy[0] || sx[1] != sy[1] ||
		!slices.Equal(sp, sy) || !slices.Equal(si, sx) ||
		pooled.DType() != dt || img.DType() != dt || y.DType() != dt {
		ag.Panicf(op, ag.ErrShape, "pooled %s, image %s, input %s, maxima %s; want the maxima's shape, the input's, an image batch and its pooled shape, one dtype",
			shapeStr(sp), shapeStr(si), shapeStr(sx), shapeStr(sy))
	}
}

// The loops of runPool.
const (
	poolMax    = iota // out = maxPool(x)
	poolUnpool        // out = maxUnpool(a, x, y)
	poolRoute         // out = maxRoute(a, x, y)
)

// runPool computes out by the loop mode, over the planes of x (H×W) and y (OH×OW), with a the
// first operand of maxUnpool or maxRoute, and returns out.
func runPool(out ag.Var, mode int, win Window2d, h, w int, a, x, y ag.Var) ag.Var {
	pk := packConvAttrs(win, h, w)
	out.SetInts(pk[:]...)
	sy := y.Shape()
	g := newColGeom(win, h, w, sy[2], sy[3])
	planes := sy[0] * sy[1]
	if out.DType() == ag.Float32 {
		var ad []float32
		if mode != poolMax {
			ad = a.Data32()
		}
		t := poolTask[float32]{mode: mode, g: g, out: out.Data32(), a: ad, x: x.Data32(), y: y.Data32()}
		runPoolTask(&t, planes, &poolTasks32)
	} else {
		var ad []float64
		if mode != poolMax {
			ad = a.Data64()
		}
		t := poolTask[float64]{mode: mode, g: g, out: out.Data64(), a: ad, x: x.Data64(), y: y.Data64()}
		runPoolTask(&t, planes, &poolTasks64)
	}
	return out
}

// poolTask is one pooling loop over planes, a parallel.Task.
type poolTask[T float] struct {
	mode         int
	g            colGeom
	out, a, x, y []T
}

// poolTasks32 and poolTasks64 hold the tasks handed to the worker pool, so that a steady
// training step allocates nothing.
var (
	poolTasks32 freelist.List[poolTask[float32]]
	poolTasks64 freelist.List[poolTask[float64]]
)

// runPoolTask runs t over the planes, split over the cores when they are large.
func runPoolTask[T float](t *poolTask[T], planes int, pool *freelist.List[poolTask[T]]) {
	per := t.g.h * t.g.w
	if planes < 2 || !parallel.Worth(planes*per, grain) {
		t.Run(0, planes)
		return
	}
	pt := pool.Get()
	*pt = *t
	parallel.ForTask(planes, max(1, grain/max(1, per)), pt)
	*pt = poolTask[T]{}
	pool.Put(pt)
}

// Run computes planes lo..hi−1.
func (t *poolTask[T]) Run(lo, hi int) {
	g := &t.g
	in, pl := g.h*g.w, g.oh*g.ow
	fast := g.is2x2()
	for p := lo; p < hi; p++ {
		x := t.x[p*in : (p+1)*in]
		switch {
		case t.mode == poolMax && fast:
			maxPlane2x2(t.out[p*pl:(p+1)*pl], x, g)
		case t.mode == poolUnpool && fast:
			unpoolPlane2x2(t.out[p*in:(p+1)*in], t.a[p*pl:(p+1)*pl], x, t.y[p*pl:(p+1)*pl], g)
		case t.mode == poolMax:
			maxPlane(t.out[p*pl:(p+1)*pl], x, g)
		case t.mode == poolUnpool:
			z := t.out[p*in : (p+1)*in]
			clear(z)
			routePlane(z, t.a[p*pl:(p+1)*pl], x, t.y[p*pl:(p+1)*pl], g, false)
		case t.mode == poolRoute:
			routePlane(t.a[p*in:(p+1)*in], t.out[p*pl:(p+1)*pl], x, t.y[p*pl:(p+1)*pl], g, true)
		}
	}
}

// window returns the rows [ki0, ki1) and columns [kj0, kj1) of window (oy, ox)'s taps that fall
// in the image, and the image position of tap (0, 0).
func (g *colGeom) window(oy, ox int) (ki0, ki1, kj0, kj1, iy0, ix0 int) {
	iy0, ix0 = oy*g.sh-g.ph, ox*g.sw-g.pw
	ki0, ki1 = tapRange(iy0, g.dh, g.kh, g.h)
	kj0, kj1 = tapRange(ix0, g.dw, g.kw, g.w)
	return
}

// tapRange returns the taps [lo, hi) of a k-tap kernel with dilation d starting at position
// start whose positions start + i·d lie in [0, n).
func tapRange(start, d, k, n int) (lo, hi int) {
	for lo < k && start+lo*d < 0 {
		lo++
	}
	hi = k
	for hi > lo && start+(hi-1)*d >= n {
		hi--
	}
	return lo, hi
}

// maxPlane writes the maximum of each window of x into y; NaN propagates, as in PyTorch.
func maxPlane[T float](y, x []T, g *colGeom) {
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			ki0, ki1, kj0, kj1, iy0, ix0 := g.window(oy, ox)
			m := T(math.Inf(-1))
			for ki := ki0; ki < ki1; ki++ {
				row := x[(iy0+ki*g.dh)*g.w:]
				for kj := kj0; kj < kj1; kj++ {
					if v := row[ix0+kj*g.dw]; v > m || v != v {
						m = v
					}
				}
			}
			y[oy*g.ow+ox] = m
		}
	}
}

// routePlane moves values between an image plane (img, shaped like x) and a pooled plane
// (pooled, shaped like y) through the maxima of each window: with toPooled, pooledₖ = Σ img/tₖ
// over the tₖ elements of window k equal to yₖ (maxRoute); otherwise pooledₖ/tₖ is added to img at
// each of them (maxUnpool, into a zeroed img).
func routePlane[T float](img, pooled, x, y []T, g *colGeom, toPooled bool) {
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			k := oy*g.ow + ox
			ki0, ki1, kj0, kj1, iy0, ix0 := g.window(oy, ox)
			m := y[k]
			ties, at := 0, 0
			var sum T
			for ki := ki0; ki < ki1; ki++ {
				off := (iy0+ki*g.dh)*g.w + ix0
				for kj := kj0; kj < kj1; kj++ {
					if i := off + kj*g.dw; x[i] == m {
						ties++
						at = i
						sum += img[i]
					}
				}
			}
			switch {
			case toPooled && ties > 0:
				pooled[k] = sum / T(ties)
			case toPooled:
				pooled[k] = 0
			case ties == 1:
				img[at] += pooled[k]
			case ties > 1:
				share := pooled[k] / T(ties)
				for ki := ki0; ki < ki1; ki++ {
					off := (iy0+ki*g.dh)*g.w + ix0
					for kj := kj0; kj < kj1; kj++ {
						if i := off + kj*g.dw; x[i] == m {
							img[i] += share
						}
					}
				}
			}
		}
	}
}
