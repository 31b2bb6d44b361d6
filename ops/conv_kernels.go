package ops

import (
	"sync"

	"github.com/gograd/gograd/internal/parallel"
)

// The loops of Im2col and Col2im. Both walk one input plane (one channel of one example) at a
// time: the kh·kw rows of cols that a plane produces are contiguous, so planes are independent
// and large calls split them over the cores.

// colGeom is the geometry of one Im2col or Col2im call: plane size h×w, output grid oh×ow, and
// the window.
type colGeom struct {
	h, w, oh, ow                   int
	kh, kw, sh, sw, ph, pw, dh, dw int
}

func newColGeom(win Window2d, h, w, oh, ow int) colGeom {
	return colGeom{h, w, oh, ow,
		win.Kernel[0], win.Kernel[1], win.Stride[0], win.Stride[1],
		win.Padding[0], win.Padding[1], win.Dilation[0], win.Dilation[1]}
}

// planeLen returns the number of cols elements of one plane: kh·kw rows of oh·ow.
func (g *colGeom) planeLen() int { return g.kh * g.kw * g.oh * g.ow }

// validRange returns the output columns [lo, hi) whose input column ox·sw + off lies in [0, w).
func (g *colGeom) validRange(off int) (lo, hi int) {
	if off < 0 {
		lo = min(g.ow, (-off+g.sw-1)/g.sw)
	}
	hi = lo
	if r := g.w - off; r > 0 {
		hi = max(lo, min(g.ow, (r+g.sw-1)/g.sw))
	}
	return lo, hi
}

// im2colPlane writes the kh·kw rows of one plane x (h×w) into cols, pad where a window leaves
// the input.
func im2colPlane[T float](cols, x []T, g *colGeom, pad T) {
	l := g.oh * g.ow
	r := 0
	for ki := 0; ki < g.kh; ki++ {
		for kj := 0; kj < g.kw; kj++ {
			row := cols[r*l : (r+1)*l]
			r++
			off := kj*g.dw - g.pw
			lo, hi := g.validRange(off)
			for oy := 0; oy < g.oh; oy++ {
				dst := row[oy*g.ow : (oy+1)*g.ow]
				iy := oy*g.sh - g.ph + ki*g.dh
				if iy < 0 || iy >= g.h {
					fillSlice(dst, pad)
					continue
				}
				src := x[iy*g.w : (iy+1)*g.w]
				fillSlice(dst[:lo], pad)
				fillSlice(dst[hi:], pad)
				if lo >= hi { // the whole row of taps falls in the padding
					continue
				}
				if g.sw == 1 {
					copy(dst[lo:hi], src[lo+off:hi+off])
					continue
				}
				for ox := lo; ox < hi; ox++ {
					dst[ox] = src[ox*g.sw+off]
				}
			}
		}
	}
}

// col2imPlane adds the kh·kw rows of cols back into one plane x (h×w), which the caller zeroed:
// the adjoint of im2colPlane.
func col2imPlane[T float](x, cols []T, g *colGeom) {
	l := g.oh * g.ow
	r := 0
	for ki := 0; ki < g.kh; ki++ {
		for kj := 0; kj < g.kw; kj++ {
			row := cols[r*l : (r+1)*l]
			r++
			off := kj*g.dw - g.pw
			lo, hi := g.validRange(off)
			if lo >= hi {
				continue
			}
			if g.sw == 1 && col2imAsm {
				// The rows whose image row iy lies inside form a run, as iy grows with oy.
				oy0, oy1 := 0, g.oh
				for oy0 < oy1 && oy0*g.sh-g.ph+ki*g.dh < 0 {
					oy0++
				}
				for oy1 > oy0 && (oy1-1)*g.sh-g.ph+ki*g.dh >= g.h {
					oy1--
				}
				if oy0 == oy1 {
					continue
				}
				iy0 := oy0*g.sh - g.ph + ki*g.dh
				if addRowsVec(x[iy0*g.w+lo+off:], row[oy0*g.ow+lo:], oy1-oy0, hi-lo, g.sh*g.w, g.ow) {
					continue
				}
			}
			for oy := 0; oy < g.oh; oy++ {
				iy := oy*g.sh - g.ph + ki*g.dh
				if iy < 0 || iy >= g.h {
					continue
				}
				src := row[oy*g.ow+lo : oy*g.ow+hi]
				dst := x[iy*g.w : (iy+1)*g.w]
				if g.sw == 1 {
					dst = dst[lo+off : hi+off]
					for i, v := range src {
						dst[i] += v
					}
					continue
				}
				for i, v := range src {
					dst[(lo+i)*g.sw+off] += v
				}
			}
		}
	}
}

// im2col runs im2colPlane over planes planes of x into cols, on several cores when large.
func im2col[T float](cols, x []T, planes int, g *colGeom, pad T) {
	runPlanes(&planeTask[T]{cols: cols, x: x, g: *g, pad: pad}, planes)
}

// col2im runs col2imPlane over planes planes of cols into x, on several cores when large.
func col2im[T float](x, cols []T, planes int, g *colGeom) {
	runPlanes(&planeTask[T]{cols: cols, x: x, g: *g, fold: true}, planes)
}

// planeTask is the loop over planes of one Im2col (or, with fold, Col2im) call, a
// parallel.Task.
type planeTask[T float] struct {
	cols, x []T
	g       colGeom
	pad     T
	fold    bool
}

// Run unfolds (or folds) planes lo..hi−1.
func (t *planeTask[T]) Run(lo, hi int) {
	in, out := t.g.h*t.g.w, t.g.planeLen()
	for p := lo; p < hi; p++ {
		xp, cp := t.x[p*in:(p+1)*in], t.cols[p*out:(p+1)*out]
		if t.fold {
			clear(xp)
			col2imPlane(xp, cp, &t.g)
		} else {
			im2colPlane(cp, xp, &t.g, t.pad)
		}
	}
}

// runPlanes runs t over [0, planes), split over the cores when the planes hold enough elements
// to be worth it. The split hands the pool a copy of t taken from a sync.Pool, so that a steady
// training step allocates nothing; small calls run t where it is.
func runPlanes[T float](t *planeTask[T], planes int) {
	per := t.g.planeLen()
	if per == 0 || planes < 2 || !parallel.Worth(planes*per, grain) {
		t.Run(0, planes)
		return
	}
	var pool *sync.Pool
	if _, f32 := any(t.pad).(float32); f32 {
		pool = &planeTasks32
	} else {
		pool = &planeTasks64
	}
	pt := pool.Get().(*planeTask[T])
	*pt = *t
	parallel.ForTask(planes, max(1, grain/per), pt)
	*pt = planeTask[T]{} // drop the slices before pooling
	pool.Put(pt)
}

// planeTasks32 and planeTasks64 hold the planeTasks handed to the worker pool.
var (
	planeTasks32 = sync.Pool{New: func() any { return new(planeTask[float32]) }}
	planeTasks64 = sync.Pool{New: func() any { return new(planeTask[float64]) }}
)
