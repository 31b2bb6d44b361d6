package ops

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/gemm"
)

// imagePacker hands one image's unfolded columns to the packed GEMM (gemm.PackerB) block by
// block, writing them straight into the GEMM's packed panels: an Im2col buffer would be written
// once and read once more by the GEMM's own packing, a pass over C·kh·kw times the image's
// size that the forward pass and the weight gradient each paid for every image. With trans
// unset, B is Im2col(x) (C·kh·kw rows by OH·OW positions, the forward product's right factor);
// with trans set, B is its transpose (positions by taps, the weight gradient's).
type imagePacker[T float] struct {
	g     *colGeom
	x     []T // one image, C planes of H×W
	trans bool
}

// maxPanel bounds the panel width (nr) of every GEMM kernel, for imagePacker's tap tables.
const maxPanel = 64

// PackB writes the kc×nc block of B at (p0, j0) into dst as gemm.PackerB says.
func (pk *imagePacker[T]) PackB(dst []T, p0, kc, j0, nc, nr int) {
	if nr > maxPanel {
		ag.Panicf("ops.imagePacker", ag.ErrShape, "GEMM panel width %d; want at most %d", nr, maxPanel)
	}
	if pk.trans {
		pk.packTaps(dst, p0, kc, j0, nc, nr)
	} else {
		pk.packPositions(dst, p0, kc, j0, nc, nr)
	}
}

// packPositions packs Im2col(x): row p0+s of B is tap (channel, ki, kj), column j is output
// position j; each panel row is a few runs of consecutive positions along an output row. The
// taps advance by counters, not divisions, which would cost more than the copies.
func (pk *imagePacker[T]) packPositions(dst []T, p0, kc, j0, nc, nr int) {
	g := pk.g
	hw, kk := g.h*g.w, g.kh*g.kw
	simple := g.sw == 1 && g.ph == 0 && g.pw == 0 // every tap of every window in the image
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		oy0, ox0 := (j0+jr)/g.ow, (j0+jr)%g.ow
		ch, r := p0/kk, p0%kk
		ki, kj := r/g.kw, r%g.kw
		for s := 0; s < kc; s++ {
			plane := pk.x[ch*hw : (ch+1)*hw]
			out := d[s*nr : s*nr+nr]
			if simple {
				oy, o, run := oy0, 0, min(cols, g.ow-ox0)
				src := plane[(oy*g.sh+ki*g.dh)*g.w+ox0+kj*g.dw:]
				for o < cols {
					copy(out[o:o+run], src[:run])
					o += run
					oy++
					run = min(cols-o, g.ow)
					if o < cols {
						src = plane[(oy*g.sh+ki*g.dh)*g.w+kj*g.dw:]
					}
				}
			} else {
				oy, ox := oy0, ox0
				for o := 0; o < cols; {
					run := min(cols-o, g.ow-ox)
					unfoldRun(out[o:o+run], plane, g, oy, ox, ki, kj)
					o += run
					oy, ox = oy+1, 0
				}
			}
			clear(out[cols:])
			if kj++; kj == g.kw {
				if kj, ki = 0, ki+1; ki == g.kh {
					ki, ch = 0, ch+1
				}
			}
		}
	}
}

// unfoldRun writes the taps (ki, kj) of the output positions (oy, ox), (oy, ox+1), … of one
// plane into dst, zeros where they fall in the padding.
func unfoldRun[T float](dst, plane []T, g *colGeom, oy, ox, ki, kj int) {
	iy := oy*g.sh - g.ph + ki*g.dh
	if iy < 0 || iy >= g.h {
		clear(dst)
		return
	}
	off := kj*g.dw - g.pw
	lo, hi := g.validRange(off) // output columns whose tap lies in the row
	lo, hi = max(lo, ox), min(hi, ox+len(dst))
	if lo >= hi {
		clear(dst)
		return
	}
	clear(dst[:lo-ox])
	clear(dst[hi-ox:])
	src := plane[iy*g.w : (iy+1)*g.w]
	if g.sw == 1 {
		copy(dst[lo-ox:hi-ox], src[lo+off:hi+off])
		return
	}
	for c := lo; c < hi; c++ {
		dst[c-ox] = src[c*g.sw+off]
	}
}

// packTaps packs Im2col(x)ᵀ: row p0+s of B is output position p0+s, column j is tap j; each
// panel row gathers the panel's taps around one position through a table of offsets.
func (pk *imagePacker[T]) packTaps(dst []T, p0, kc, j0, nc, nr int) {
	g := pk.g
	hw, kk := g.h*g.w, g.kh*g.kw
	var offs, dys, dxs [maxPanel]int
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		for t := 0; t < cols; t++ {
			ch, r := (j0+jr+t)/kk, (j0+jr+t)%kk
			dys[t], dxs[t] = r/g.kw*g.dh, r%g.kw*g.dw
			offs[t] = ch*hw + dys[t]*g.w + dxs[t]
		}
		oy, ox := p0/g.ow, p0%g.ow
		vec := cols == nr && nr%8 == 0 && nr <= 48 && g.sw == 1 // whole runs by gathers
		var idx [48]int64
		if vec {
			for t, o := range offs[:cols] {
				idx[t] = int64(o)
			}
		}
		for s := 0; s < kc; {
			if vec {
				// The positions left on this output row, if every window among them lies in
				// the image: a gather per panel row, run after run.
				run := min(kc-s, g.ow-ox)
				y0, x0 := oy*g.sh-g.ph, ox-g.pw
				if g.inside(y0, x0) && g.inside(y0, x0+run-1) &&
					gatherPanel(d[s*nr:(s+run)*nr], pk.x[y0*g.w+x0:], &idx, nr/8, run) {
					s += run
					if ox += run; ox == g.ow {
						oy, ox = oy+1, 0
					}
					continue
				}
			}
			out := d[s*nr : s*nr+nr]
			y0, x0 := oy*g.sh-g.ph, ox*g.sw-g.pw // the window's first tap, maybe in the padding
			if g.inside(y0, x0) {
				base := pk.x[y0*g.w+x0:]
				for t, o := range offs[:cols] {
					out[t] = base[o]
				}
			} else {
				for t := range cols {
					y, x := y0+dys[t], x0+dxs[t]
					if y < 0 || y >= g.h || x < 0 || x >= g.w {
						out[t] = 0
						continue
					}
					out[t] = pk.x[offs[t]+y0*g.w+x0]
				}
			}
			clear(out[cols:])
			s++
			if ox++; ox == g.ow {
				oy, ox = oy+1, 0
			}
		}
	}
}

// gatherPanel is gemm.GatherPanel32 or GatherPanel64 by T.
func gatherPanel[T float](dst, src []T, idx *[48]int64, groups, kc int) bool {
	if isF32[T]() {
		return gemm.GatherPanel32(as32(dst), as32(src), idx, groups, kc)
	}
	return gemm.GatherPanel64(as64(dst), as64(src), idx, groups, kc)
}

// inside reports whether every tap of the window whose first tap is at (y0, x0) lies in the
// image.
func (g *colGeom) inside(y0, x0 int) bool {
	return y0 >= 0 && y0+(g.kh-1)*g.dh < g.h && x0 >= 0 && x0+(g.kw-1)*g.dw < g.w
}

// gemmPackedT is gemm.SgemmPackedB or gemm.DgemmPackedB by T, with B from pk.
func gemmPackedT[T float](m, n, k int, a []T, lda int, pk *imagePacker[T], beta T, c []T, ldc int) {
	if isF32[T]() {
		gemm.SgemmPackedB(false, m, n, k, as32(a), lda, any(pk).(gemm.PackerB[float32]), float32(beta), as32(c), ldc)
		return
	}
	gemm.DgemmPackedB(false, m, n, k, as64(a), lda, any(pk).(gemm.PackerB[float64]), float64(beta), as64(c), ldc)
}
