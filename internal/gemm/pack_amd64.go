//go:build amd64 && !purego

package gemm

import "unsafe"

// gatherPack64 interleaves up to 6 groups of 8 strided rows of src: for p in
// [0,kc) and g in [0,groups), dst[(p*groups+g)*8+i] = src[idx[g*8+i]+p].
// It needs AVX-512F; idx must hold 48 entries.
//
//go:noescape
func gatherPack64(dst, src *float64, idx *int64, groups, kc int)

// gatherPack32 is gatherPack64 for float32.
//
//go:noescape
func gatherPack32(dst, src *float32, idx *int64, groups, kc int)

// copyPack copies rows rows of width bytes (32, 64, 128 or 192) whose
// starts are ld bytes apart in src to consecutive rows of dst. It needs AVX.
//
//go:noescape
func copyPack(dst, src unsafe.Pointer, ld, rows, width int)

// useCopy enables the AVX row-copying pack; tests may turn it off.
var useCopy = hasAVX2

// packCopy copies kc rows of w elements, ld apart in src, to consecutive rows
// of dst. It reports false, doing nothing, when it cannot help.
func packCopy[T float](dst, src []T, ld, w, kc int) bool {
	width := w * int(unsafe.Sizeof(src[0]))
	if !useCopy || kc < 2 || (width != 32 && width != 64 && width != 128 && width != 192) {
		return false
	}
	_ = dst[w*kc-1]
	_ = src[(kc-1)*ld+w-1]
	copyPack(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), ld*int(unsafe.Sizeof(src[0])), kc, width)
	return true
}

// useGather enables the AVX-512 gathering pack; tests may turn it off.
var useGather = hasAVX512

// packRows packs rows full rows of src (row r starting at src[r*ld], each
// at least kc long) into dst as dst[p*rows+r] = src[r*ld+p], using AVX-512
// gathers. It reports false, doing nothing, when it cannot help.
func packRows[T float](dst, src []T, ld, rows, kc int) bool {
	if !useGather || rows%8 != 0 || rows > 48 || kc < 4 {
		return false
	}
	_ = dst[rows*kc-1]
	_ = src[(rows-1)*ld+kc-1]
	var idx [48]int64
	for r := 0; r < rows; r++ {
		idx[r] = int64(r * ld)
	}
	if unsafe.Sizeof(dst[0]) == 4 && useTransPack && kc >= 16 {
		// Whole blocks of 16 columns transposed in registers (transpack_amd64.s), the rest
		// gathered.
		d, s := (*float32)(unsafe.Pointer(&dst[0])), (*float32)(unsafe.Pointer(&src[0]))
		transPack32(d, s, ld, rows/8, kc/16)
		if done := kc / 16 * 16; done < kc {
			d, s = (*float32)(unsafe.Pointer(&dst[done*rows])), (*float32)(unsafe.Pointer(&src[done]))
			gatherPack32(d, s, &idx[0], rows/8, kc-done)
		}
		return true
	}
	if unsafe.Sizeof(dst[0]) == 8 {
		gatherPack64((*float64)(unsafe.Pointer(&dst[0])), (*float64)(unsafe.Pointer(&src[0])), &idx[0], rows/8, kc)
	} else {
		gatherPack32((*float32)(unsafe.Pointer(&dst[0])), (*float32)(unsafe.Pointer(&src[0])), &idx[0], rows/8, kc)
	}
	return true
}
