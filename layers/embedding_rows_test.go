package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/ops"
)

// TestSplitsRows checks which sparse gathers and updates are split over the cores: not
// BenchmarkEmbeddingStep's 4,096 positions of dimension 128, which run on the caller in every
// process (see rowsSplitMin), nor anything For would not split; from 2²¹ elements on, yes.
func TestSplitsRows(t *testing.T) {
	for _, c := range []struct {
		n    int
		want bool
	}{
		{0, false},
		{2*parallel.Grain - 1, false},
		{2 * parallel.Grain, false},
		{4096 * 128, false}, // BenchmarkEmbeddingStep's lookup
		{1<<21 - 1, false},
		{1 << 21, true},
		{16384 * 128, true},
		{1 << 24, true},
	} {
		if got := splitsRows(c.n); got != c.want {
			t.Errorf("splitsRows(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

// TestRowsMatchLoop checks gatherRows and sgdRows, on the caller and split over the cores
// (rowsSplitMin lowered), bit for bit against the plain Go loops they stand for, on positions
// that repeat (4,096 of them in a table of 1,000 rows of dimension 128), with and without a
// padding row, in float32 and float64.
func TestRowsMatchLoop(t *testing.T) {
	defer func(m int) { rowsSplitMin = m }(rowsSplitMin)
	const v, d, n = 1000, 128, 4096
	r := rand.New(rand.NewPCG(5, 6))
	pos := make([]int, n)
	for i := range pos {
		pos[i] = r.IntN(v)
	}
	w := make([]float64, v*d)
	g := make([]float64, n*d)
	for i := range w {
		w[i] = r.NormFloat64()
	}
	for i := range g {
		g[i] = r.NormFloat64()
	}
	for _, split := range []bool{false, true} {
		rowsSplitMin = map[bool]int{false: 1 << 40, true: 0}[split]
		for _, padding := range []int{-1, pos[7]} {
			cfg := EmbeddingConfig{Padded: padding >= 0, Padding: padding}
			name := fmt.Sprintf("split=%v padding=%d", split, padding)
			checkRows(t, name+" float64", w, g, pos, d, 0.01, cfg)
			checkRows(t, name+" float32", to32(w), to32(g), pos, d, float32(0.01), cfg)
		}
	}
}

// checkRows compares gatherRows and sgdRows on copies of w with the plain Go loops.
func checkRows[T float32 | float64](t *testing.T, name string, w0, g []T, pos []int, d int, lr T, cfg EmbeddingConfig) {
	t.Helper()
	idx := ops.NewIndex(pos)
	got := make([]T, len(pos)*d)
	gatherRows(got, w0, idx, d)
	for j, p := range pos {
		for i := range d {
			if got[j*d+i] != w0[p*d+i] {
				t.Fatalf("%s: gatherRows row %d (position %d) element %d = %v, want %v", name, j, p, i, got[j*d+i], w0[p*d+i])
			}
		}
	}
	w := append([]T(nil), w0...)
	sgdRows(w, g, idx, pos, d, lr, cfg)
	want := append([]T(nil), w0...)
	for j, p := range pos {
		if cfg.Padded && p == cfg.Padding {
			continue
		}
		for i := range d {
			want[p*d+i] -= T(lr * g[j*d+i]) // T(): the product rounded, not fused
		}
	}
	for i := range want {
		if math.Float64bits(float64(w[i])) != math.Float64bits(float64(want[i])) {
			t.Fatalf("%s: sgdRows element %d (row %d) = %v, want %v", name, i, i/d, w[i], want[i])
		}
	}
}

// to32 rounds s to float32.
func to32(s []float64) []float32 {
	out := make([]float32, len(s))
	for i, x := range s {
		out[i] = float32(x)
	}
	return out
}
