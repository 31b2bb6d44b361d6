package data_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

func TestBatches(t *testing.T) {
	for _, tc := range []struct {
		n, size  int
		wantLens []int
	}{
		{0, 3, nil},
		{1, 3, []int{1}},
		{6, 3, []int{3, 3}},
		{7, 3, []int{3, 3, 1}},
		{5, 10, []int{5}},
		{4, 1, []int{1, 1, 1, 1}},
	} {
		b := data.NewBatches(tc.n, tc.size, rand.New(rand.NewPCG(1, 2)))
		if b.Len() != len(tc.wantLens) {
			t.Errorf("NewBatches(%d, %d).Len(): got %d, want %d", tc.n, tc.size, b.Len(), len(tc.wantLens))
		}
		for epoch := range 3 {
			var lens, all []int
			for _, batch := range b.Epoch() {
				lens = append(lens, len(batch))
				all = append(all, batch...)
			}
			if !cmp.Equal(lens, tc.wantLens) {
				t.Errorf("NewBatches(%d, %d) epoch %d: got batch lengths %v, want %v", tc.n, tc.size, epoch, lens, tc.wantLens)
			}
			slices.Sort(all)
			for i, v := range all {
				if v != i {
					t.Errorf("NewBatches(%d, %d) epoch %d: indices %v are not a permutation of 0..%d", tc.n, tc.size, epoch, all, tc.n-1)
					break
				}
			}
		}
	}
}

func TestBatchesReproducible(t *testing.T) {
	epochs := func(seed uint64) [][][]int {
		b := data.NewBatches(10, 4, rand.New(rand.NewPCG(seed, 0)))
		var out [][][]int
		for range 3 {
			var e [][]int
			for _, batch := range b.Epoch() {
				e = append(e, slices.Clone(batch))
			}
			out = append(out, e)
		}
		return out
	}
	a, b, c := epochs(42), epochs(42), epochs(43)
	if !cmp.Equal(a, b) {
		t.Errorf("seed 42 twice: got %v and %v, want equal batches", a, b)
	}
	if cmp.Equal(a, c) {
		t.Errorf("seeds 42 and 43: both gave %v, want different batches", a)
	}
	if cmp.Equal(a[0], a[1]) {
		t.Errorf("seed 42: epochs 0 and 1 both gave %v, want a reshuffle", a[0])
	}
}

func TestBatchesInOrder(t *testing.T) {
	b := data.NewBatches(5, 2, nil)
	want := [][]int{{0, 1}, {2, 3}, {4}}
	for epoch := range 2 {
		if got := b.Epoch(); !cmp.Equal(got, want) {
			t.Errorf("NewBatches(5, 2, nil) epoch %d: got %v, want %v", epoch, got, want)
		}
	}
}

func TestBatchLoopAllocs(t *testing.T) {
	d := data.Dataset{Rows: 100, Cols: 3, X: make([]float64, 300), Y: make([]int, 100)}
	b := data.NewBatches(d.Rows, 16, rand.New(rand.NewPCG(7, 7)))
	var batch data.Dataset
	for _, idx := range b.Epoch() { // First epoch sizes the buffers.
		d.Gather(&batch, idx)
	}
	allocs := testing.AllocsPerRun(10, func() {
		for _, idx := range b.Epoch() {
			d.Gather(&batch, idx)
		}
	})
	if allocs != 0 {
		t.Errorf("an epoch of Epoch and Gather: got %v allocations, want 0", allocs)
	}
}
