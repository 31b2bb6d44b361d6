package ops

import "math"

// Max pooling's loops for 2×2 windows at stride 2 without padding or dilation (the pooling of
// most CNNs), unrolled and free of data-dependent branches: the general loops find each window's
// taps through tapRange and branch on every comparison, which on activations, in no order, is
// mispredicted about half the time.

// is2x2 reports whether g is a 2×2 window at stride 2 with no padding and no dilation.
func (g *colGeom) is2x2() bool {
	return g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1
}

// maxPlane2x2 is maxPlane for a 2×2 window at stride 2. Go's max propagates NaN, as maxPlane
// does; unlike maxPlane, which keeps the first of tied zeros, it gives +0 for a window holding
// both −0 and +0.
func maxPlane2x2[T float](y, x []T, g *colGeom) {
	w, ow := g.w, g.ow
	for oy := 0; oy < g.oh; oy++ {
		r0 := x[2*oy*w : 2*oy*w+2*ow]
		r1 := x[(2*oy+1)*w : (2*oy+1)*w+2*ow]
		yr := y[oy*ow : (oy+1)*ow]
		for ox := maxRowsVec(yr, r0, r1); ox < len(yr); ox++ {
			a, b := r0[2*ox:2*ox+2], r1[2*ox:2*ox+2]
			yr[ox] = max(a[0], a[1], b[0], b[1])
		}
	}
}

// unpoolPlane2x2 is routePlane into a zeroed img (maxUnpool) for a 2×2 window at stride 2,
// except that it writes every element of img itself, so img need not be zeroed: pooled[k]/t at
// the t elements of window k equal to y[k], zero at the others and at a last row or column no
// window covers.
func unpoolPlane2x2[T float](img, pooled, x, y []T, g *colGeom) {
	w, ow := g.w, g.ow
	for oy := 0; oy < g.oh; oy++ {
		r0 := x[2*oy*w : 2*oy*w+2*ow]
		r1 := x[(2*oy+1)*w : (2*oy+1)*w+2*ow]
		z0 := img[2*oy*w : 2*oy*w+w]
		z1 := img[(2*oy+1)*w : (2*oy+1)*w+w]
		yr := y[oy*ow : (oy+1)*ow]
		gr := pooled[oy*ow : (oy+1)*ow]
		for ox := unpoolRowsVec(z0, z1, r0, r1, yr, gr); ox < len(yr); ox++ {
			m := yr[ox]
			a, b := r0[2*ox:2*ox+2], r1[2*ox:2*ox+2]
			e0, e1, e2, e3 := isEqual(a[0], m), isEqual(a[1], m), isEqual(b[0], m), isEqual(b[1], m)
			s := gr[ox]
			if t := e0 + e1 + e2 + e3; t > 1 {
				s /= T(t)
			}
			c, d := z0[2*ox:2*ox+2], z1[2*ox:2*ox+2]
			c[0], c[1] = keepIf(s, e0), keepIf(s, e1)
			d[0], d[1] = keepIf(s, e2), keepIf(s, e3)
		}
		if w > 2*ow { // an odd width: the last column is in no window
			z0[w-1], z1[w-1] = 0, 0
		}
	}
	if g.h > 2*g.oh { // an odd height: the last row is in no window
		clear(img[2*g.oh*w : g.h*w])
	}
}

// isEqual returns 1 if a == b, else 0 (also when either is NaN), without branching.
func isEqual[T float](a, b T) uint {
	var e uint
	if a == b {
		e = 1
	}
	return e
}

// keepIf returns v if e is 1 and +0 if e is 0, through v's bits, without branching.
func keepIf[T float](v T, e uint) T {
	if isF32[T]() {
		return T(math.Float32frombits(math.Float32bits(float32(v)) & -uint32(e)))
	}
	return T(math.Float64frombits(math.Float64bits(float64(v)) & -uint64(e)))
}
