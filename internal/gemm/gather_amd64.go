//go:build amd64 && !purego

package gemm

// GatherPanel32 sets dst[p·8·groups + q] = src[idx[q] + p] for p in [0, kc) and q in
// [0, 8·groups) with AVX-512 gathers, the packing of a panel whose rows are strided gathers (a
// convolution's transposed columns, for one), and reports true; it does nothing and reports
// false without AVX-512 or unless 1 ≤ groups ≤ 6. It panics if dst is too short or an index
// falls outside src.
func GatherPanel32(dst, src []float32, idx *[48]int64, groups, kc int) bool {
	if !useGather || groups < 1 || groups > 6 || kc < 1 {
		return false
	}
	checkGather(len(dst), len(src), idx, groups, kc)
	gatherPack32(&dst[0], &src[0], &idx[0], groups, kc)
	return true
}

// GatherPanel64 is GatherPanel32 for float64.
func GatherPanel64(dst, src []float64, idx *[48]int64, groups, kc int) bool {
	if !useGather || groups < 1 || groups > 6 || kc < 1 {
		return false
	}
	checkGather(len(dst), len(src), idx, groups, kc)
	gatherPack64(&dst[0], &src[0], &idx[0], groups, kc)
	return true
}

// checkGather panics unless dst holds kc·8·groups elements and every idx[q] + p lies in src.
func checkGather(ndst, nsrc int, idx *[48]int64, groups, kc int) {
	if ndst < kc*8*groups {
		panic("gemm: short gather destination")
	}
	for _, i := range idx[:8*groups] {
		if i < 0 || i+int64(kc) > int64(nsrc) {
			panic("gemm: gather index outside the source")
		}
	}
}
