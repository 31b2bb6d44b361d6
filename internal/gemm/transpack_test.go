//go:build amd64 && !purego

package gemm

import (
	"fmt"
	"testing"
)

// TestTransPack32 checks packRows on float32 with the transposing pack (transPack32 and gathers
// for the columns past its blocks of 16) against the definition dst[p·rows+r] = src[r·ld+p], for
// every group count, depths around multiples of 16 and a few row strides, and that it writes
// nothing past rows·kc.
func TestTransPack32(t *testing.T) {
	if !useTransPack {
		t.Skip("no AVX-512")
	}
	for rows := 8; rows <= 48; rows += 8 {
		for _, kc := range []int{4, 15, 16, 17, 31, 32, 47, 64, 100, 256} {
			for _, extra := range []int{0, 1, 7, 16} {
				ld := kc + extra
				name := fmt.Sprintf("rows %d kc %d ld %d", rows, kc, ld)
				src := make([]float32, (rows-1)*ld+kc)
				for i := range src {
					src[i] = float32(i)*0.25 - 100
				}
				dst := make([]float32, rows*kc+8)
				for i := range dst {
					dst[i] = -1
				}
				if !packRows(dst[:rows*kc], src, ld, rows, kc) {
					t.Fatalf("%s: packRows reported false", name)
				}
				for p := range kc {
					for r := range rows {
						if got, want := dst[p*rows+r], src[r*ld+p]; got != want {
							t.Fatalf("%s: dst[%d·%d+%d] = %v, want src[%d·%d+%d] = %v", name, p, rows, r, got, r, ld, p, want)
						}
					}
				}
				for i, v := range dst[rows*kc:] {
					if v != -1 {
						t.Fatalf("%s: dst[%d] past the panel = %v, want it untouched", name, rows*kc+i, v)
					}
				}
			}
		}
	}
}

// BenchmarkPackRows32 packs a 96×256 block of a row-major float32 A (ld 1024) in panels of 8
// rows, as blocked does for the AVX-512 kernel, and a 48-column panel of a transposed B, by
// gathers alone and with the transposing pack.
func BenchmarkPackRows32(b *testing.B) {
	const ld, kc = 1024, 256
	src := make([]float32, 96*ld)
	dst := make([]float32, 96*kc)
	for _, rows := range []int{8, 48} {
		for _, trans := range []bool{false, true} {
			b.Run(fmt.Sprintf("rows=%d/transpose=%v", rows, trans), func(b *testing.B) {
				if trans && !useTransPack {
					b.Skip("no AVX-512")
				}
				old := useTransPack
				useTransPack = trans
				defer func() { useTransPack = old }()
				b.SetBytes(96 * kc * 4)
				for range b.N {
					for r := 0; r+rows <= 96; r += rows {
						packRows(dst[r*kc:], src[r*ld:], ld, rows, kc)
					}
				}
			})
		}
	}
}
