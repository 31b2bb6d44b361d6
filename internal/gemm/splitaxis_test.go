package gemm

import "testing"

// TestSplitChoice checks how a two-core product is split, along m, n or k, on the MLP step's
// products (batch 64, 784-256-10) and shapes where the model's costs differ more. The model's
// cost ratios n/m and k/m, worked out from splitCosts's formula, are in the comments.
func TestSplitChoice(t *testing.T) {
	kr := &kernel[float64]{mr: 8, nr: 24, kc: 256} // the AVX-512 float64 kernel's blocking
	for _, c := range []struct {
		name    string
		m, n, k int
		alpha   float64
		beta    float64
		axis    byte
	}{
		{"forward x·W1 (n/m 1.012, k/m 0.936)", 64, 256, 784, 1, 0, 'k'},
		{"forward x·W1 with alpha 2: the kernels may fuse α·x + C", 64, 256, 784, 2, 0, 'm'},
		{"forward over a depth of 300, two blocks (k/m 0.945)", 64, 256, 300, 1, 0, 'k'},
		{"forward over a depth of 256, one block", 64, 256, 256, 1, 0, 'm'},
		{"gradient xᵀ·g of W1 (n/m 1.107, k/m 1.221)", 784, 256, 64, 1, 0, 'm'},
		{"fused update of W1, beta 1 (n/m 1.107)", 784, 256, 64, -0.01, 1, 'm'},
		{"square 256 (n/m 1.087, k/m 1.028)", 256, 256, 256, 1, 0, 'm'},
		{"square 512 (n/m 1.0003, k/m 1.014)", 512, 512, 512, 1, 0, 'm'},
		{"wide (n/m 0.929, k/m 0.951)", 64, 1024, 256, 1, 0, 'n'},
		{"convolution weight gradient, 49 blocks of partial sums (n/m 0.855, k/m 0.857)", 32, 288, 12544, 1, 0, 'n'},
		{"gradient hᵀ·g of W2, one tile wide, beta 1 (n/m 2.01)", 256, 10, 64, 1, 1, 'm'},
	} {
		g := args[float64]{m: c.m, n: c.n, k: c.k, alpha: c.alpha, beta: c.beta}
		axis := byte('k')
		if !g.splitsK(kr, 2) {
			axis = 'm'
			if byN, tiles := g.splitAxis(kr, 2); byN {
				axis = 'n'
				if want := (c.n + kr.nr - 1) / kr.nr; tiles != want {
					t.Errorf("%s: split along n into %d tiles, want %d", c.name, tiles, want)
				}
			} else if want := (c.m + kr.mr - 1) / kr.mr; tiles != want {
				t.Errorf("%s: split along m into %d tiles, want %d", c.name, tiles, want)
			}
		}
		if axis != c.axis {
			t.Errorf("%s: %d×%d×%d (alpha %v, beta %v) splits along %c, want %c", c.name, c.m, c.n, c.k, c.alpha, c.beta, axis, c.axis)
		}
	}
	g := args[float64]{m: 64, n: 256, k: 784, alpha: 1}
	if g.splitsK(&kernel[float64]{mr: 8, nr: 24, kc: 256, viaGonum: true}, 2) {
		t.Errorf("forward x·W1 through gonum splits along k, want not: gonum's blocks would not give its product's bits")
	}
	if g := (args[float64]{m: 64, n: 256, k: 300, alpha: 1}); g.splitsK(kr, 4) {
		t.Errorf("64×256×300 (2 blocks of depth) splits along k into 4 pieces, want not: a piece would have no block")
	}
}
