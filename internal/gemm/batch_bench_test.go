package gemm

import "testing"

// BenchmarkSgemmBatchShared times the per-example projection of MultiHeadAttention in the
// transformer benchmark, W·xᵢᵀ for 16 examples (256×128×256 each, W shared), on one core:
// "loop" calls Sgemm per product on the packed path, packing W each time; "shared" is
// SgemmBatch on the packed path, packing it once; "batch" is SgemmBatch as it comes (the direct
// path).
func BenchmarkSgemmBatchShared(b *testing.B) {
	const m, n, k, nb = 256, 128, 256, 16
	w, x, c := make([]float32, m*k), make([]float32, nb*n*k), make([]float32, nb*m*n)
	for i := range w {
		w[i] = float32(i%7) - 3
	}
	for i := range x {
		x[i] = float32(i%5) - 2
	}
	b.Run("loop", func(b *testing.B) {
		withMode(-1, 1<<62, func() {
			for range b.N {
				for i := range nb {
					Sgemm(false, true, m, n, k, 1, w, k, x[i*n*k:], k, 0, c[i*m*n:], n)
				}
			}
		})
	})
	b.Run("shared", func(b *testing.B) {
		withSerial(func() {
			for range b.N {
				SgemmBatch(false, true, m, n, k, 1, w, k, 0, x, k, n*k, 0, c, n, m*n, 0, nb)
			}
		})
	})
	b.Run("batch", func(b *testing.B) {
		for range b.N {
			SgemmBatch(false, true, m, n, k, 1, w, k, 0, x, k, n*k, 0, c, n, m*n, 0, nb)
		}
	})
}
