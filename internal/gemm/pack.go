package gemm

// packA copies the mc×kc block of op(A) starting at row i0, column p0 into
// dst as consecutive micro-panels of mr rows: panel q holds, for each of the kc
// steps, the mr values of rows q*mr..q*mr+mr-1 (zero-padded past mc).
// op(A)(i, p) is a[i*lda+p], or a[p*lda+i] when trans is set.
func packA[T float](dst, a []T, lda int, trans bool, i0, mc, p0, kc, mr int) {
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+mr*kc]
		switch {
		case trans && rows == mr && packCopy(d, a[p0*lda+i0+ir:], lda, mr, kc):
		case !trans && rows == mr && packRows(d, a[(i0+ir)*lda+p0:], lda, mr, kc):
		case trans:
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				copy(d[p*mr:p*mr+rows], src[:rows])
			}
		default:
			for r := 0; r < rows; r++ {
				off := (i0+ir+r)*lda + p0
				src := a[off : off+kc]
				dd := d[r:]
				for p, v := range src {
					dd[p*mr] = v
				}
			}
		}
		if rows < mr {
			for p := 0; p < kc; p++ {
				clear(d[p*mr+rows : p*mr+mr])
			}
		}
	}
}

// packB copies the kc×nc block of op(B) starting at row p0, column j0 into
// dst as consecutive micro-panels of nr columns: panel q holds, for each of the
// kc steps, the nr values of columns q*nr..q*nr+nr-1 (zero-padded past nc).
// op(B)(p, j) is b[p*ldb+j], or b[j*ldb+p] when trans is set.
func packB[T float](dst, b []T, ldb int, trans bool, p0, kc, j0, nc, nr int) {
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		switch {
		case !trans && cols == nr && packCopy(d, b[p0*ldb+j0+jr:], ldb, nr, kc):
		case trans && cols == nr && packRows(d, b[(j0+jr)*ldb+p0:], ldb, nr, kc):
		case trans:
			for c := 0; c < cols; c++ {
				off := (j0+jr+c)*ldb + p0
				src := b[off : off+kc]
				dd := d[c:]
				for p, v := range src {
					dd[p*nr] = v
				}
			}
		default:
			for p := 0; p < kc; p++ {
				src := b[(p0+p)*ldb+j0+jr:]
				copy(d[p*nr:p*nr+cols], src[:cols])
			}
		}
		if cols < nr {
			for p := 0; p < kc; p++ {
				clear(d[p*nr+cols : p*nr+nr])
			}
		}
	}
}
