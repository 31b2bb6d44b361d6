//go:build amd64 && !purego

package gemm

// transPack32 packs groups groups of 8 rows, ld elements apart in src, into dst as
// dst[(p·groups+g)·8+i] = src[(g·8+i)·ld+p] for the first 16·blocks columns p, transposing
// blocks of 8×16 in AVX-512 registers: packRows's result without gathers. It needs AVX-512F.
//
//go:noescape
func transPack32(dst, src *float32, ld, groups, blocks int)

// useTransPack enables transPack32 in packRows; tests may turn it off.
var useTransPack = hasAVX512
