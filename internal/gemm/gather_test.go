package gemm

import (
	"fmt"
	"testing"
)

// TestGatherPanel checks GatherPanel32 and GatherPanel64 against their definition,
// dst[p·8·groups + q] = src[idx[q] + p], for every group count and a few depths, and that an
// index past the source panics instead of reading outside it.
func TestGatherPanel(t *testing.T) {
	src := make([]float64, 500)
	for i := range src {
		src[i] = float64(i)*0.5 - 7
	}
	src32 := make([]float32, len(src))
	for i, v := range src {
		src32[i] = float32(v)
	}
	for groups := 1; groups <= 6; groups++ {
		for _, kc := range []int{1, 3, 24} {
			var idx [48]int64
			for q := range 8 * groups {
				idx[q] = int64((q*37 + 11) % 400) // scattered, not monotone
			}
			name := fmt.Sprintf("groups %d kc %d", groups, kc)
			dst := make([]float64, kc*8*groups)
			dst32 := make([]float32, len(dst))
			ok64 := GatherPanel64(dst, src, &idx, groups, kc)
			ok32 := GatherPanel32(dst32, src32, &idx, groups, kc)
			if ok64 != useGather || ok32 != useGather {
				t.Fatalf("%s: reported %v, %v; want %v (AVX-512 gathers available)", name, ok64, ok32, useGather)
			}
			if !useGather {
				continue
			}
			for p := range kc {
				for q := range 8 * groups {
					want := src[int(idx[q])+p]
					if got := dst[p*8*groups+q]; got != want {
						t.Fatalf("%s: float64 dst[%d·%d+%d] = %v, want %v", name, p, 8*groups, q, got, want)
					}
					if got := dst32[p*8*groups+q]; got != float32(want) {
						t.Fatalf("%s: float32 dst[%d·%d+%d] = %v, want %v", name, p, 8*groups, q, got, want)
					}
				}
			}
		}
	}
	if !useGather {
		return
	}
	var idx [48]int64
	idx[3] = int64(len(src) - 2) // with kc 3, reads src[len], one past the end
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("GatherPanel64 with an index past the source: no panic")
			}
		}()
		GatherPanel64(make([]float64, 3*8), src, &idx, 1, 3)
	}()
}
