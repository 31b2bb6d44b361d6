package gemm

import "testing"

// TestSplitAxis checks the axis a two-core product is split along, on the MLP step's products
// (batch 64, 784-256-10) and shapes where the model's costs differ more. The model's cost ratios
// n/m, worked out by hand from splitAxis's formula, are in the comments.
func TestSplitAxis(t *testing.T) {
	kr := &kernel[float64]{mr: 8, nr: 24} // the AVX-512 float64 kernel's tile
	for _, c := range []struct {
		name    string
		m, n, k int
		beta    float64
		byN     bool
	}{
		{"forward x·W1 (n/m 1.012)", 64, 256, 784, 0, true},
		{"fused update of W1, beta 1 (n/m 1.107)", 784, 256, 64, 1, true},
		{"gradient xᵀ·g of W1, beta 0 (n/m 1.107)", 784, 256, 64, 0, false},
		{"square 256, beta 0 (n/m 1.087)", 256, 256, 256, 0, false},
		{"square 256, beta 1 (n/m 1.087)", 256, 256, 256, 1, true},
		{"square 512 (n/m 1.0005)", 512, 512, 512, 0, true},
		{"gradient hᵀ·g of W2, one tile wide, beta 1 (n/m 2.01)", 256, 10, 64, 1, false},
		{"tall, five tiles wide, beta 1 (n/m 1.25)", 2000, 100, 64, 1, false},
	} {
		g := args[float64]{m: c.m, n: c.n, k: c.k, beta: c.beta}
		byN, tiles := g.splitAxis(kr, 2)
		wantTiles := (c.m + kr.mr - 1) / kr.mr
		if c.byN {
			wantTiles = (c.n + kr.nr - 1) / kr.nr
		}
		if byN != c.byN || tiles != wantTiles {
			t.Errorf("%s: %d×%d×%d (beta %v) splits byN=%v into %d tiles, want byN=%v and %d", c.name, c.m, c.n, c.k, c.beta, byN, tiles, c.byN, wantTiles)
		}
	}
}
