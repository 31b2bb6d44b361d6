package bench

import (
	"fmt"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// The indexing workloads of issue 11: Gather and ScatterAdd on 1e6 elements against the
// hand-written Go loop that does the same work, and an embedding training step.

const gatherRows, gatherCols = 1000, 1000 // 1e6 elements, positions along the rows (axis 1)

// gatherIndex returns 1e6 positions uniform in [0, gatherCols) from a fixed seed.
func gatherIndex() []int {
	pos := make([]int, gatherRows*gatherCols)
	for i, u := range randSlice(30, len(pos), 0, gatherCols) {
		pos[i] = int(u)
	}
	return pos
}

// BenchmarkGather: out[i, j] = a[i, index[i, j]] on a (1000, 1000) float64 array, by ops.Gather
// on a tape (reset each iteration) and by a plain loop into a preallocated slice.
func BenchmarkGather(b *testing.B) {
	a := randSlice(31, gatherRows*gatherCols, -1, 1)
	pos := gatherIndex()
	idx := ops.NewIndex(pos, gatherRows, gatherCols)
	b.Run("op", func(b *testing.B) {
		tp := ag.NewTape()
		b.ReportAllocs()
		for b.Loop() {
			tp.Reset()
			ops.Gather(tp.Wrap(a, gatherRows, gatherCols), 1, idx)
		}
		perUnit(b, len(a), "ns/elem")
	})
	b.Run("loop", func(b *testing.B) {
		out := make([]float64, len(a))
		b.ReportAllocs()
		for b.Loop() {
			for i := range gatherRows {
				row, p, o := a[i*gatherCols:(i+1)*gatherCols], pos[i*gatherCols:(i+1)*gatherCols], out[i*gatherCols:(i+1)*gatherCols]
				for j, k := range p {
					o[j] = row[k]
				}
			}
		}
		perUnit(b, len(a), "ns/elem")
	})
}

// BenchmarkScatterAdd: out = a, then out[i, index[i, j]] += src[i, j], on (1000, 1000) float64
// arrays, by ops.ScatterAdd on a tape and by a plain loop (a copy, then the additions).
func BenchmarkScatterAdd(b *testing.B) {
	a := randSlice(32, gatherRows*gatherCols, -1, 1)
	src := randSlice(33, gatherRows*gatherCols, -1, 1)
	pos := gatherIndex()
	idx := ops.NewIndex(pos, gatherRows, gatherCols)
	b.Run("op", func(b *testing.B) {
		tp := ag.NewTape()
		b.ReportAllocs()
		for b.Loop() {
			tp.Reset()
			ops.ScatterAdd(tp.Wrap(a, gatherRows, gatherCols), 1, idx, tp.Wrap(src, gatherRows, gatherCols))
		}
		perUnit(b, len(a), "ns/elem")
	})
	b.Run("loop", func(b *testing.B) {
		out := make([]float64, len(a))
		b.ReportAllocs()
		for b.Loop() {
			copy(out, a)
			for i := range gatherRows {
				s, p, o := src[i*gatherCols:(i+1)*gatherCols], pos[i*gatherCols:(i+1)*gatherCols], out[i*gatherCols:(i+1)*gatherCols]
				for j, k := range p {
					o[k] += s[j]
				}
			}
		}
		perUnit(b, len(a), "ns/elem")
	})
}

// BenchmarkEmbeddingStep: one training step of a float32 embedding table of V rows of dimension
// 128 looking up 4,096 positions uniform in [0, V) (fixed seed): loss = sum of the looked-up
// vectors, Backward, an SGD step of lr 0.01. dense: the table's gradient is (V, 128) and
// optim.SGD updates the whole table (torch's sparse=False); sparse: only the looked-up rows
// get a gradient and StepSGD updates them (torch's sparse=True).
func BenchmarkEmbeddingStep(b *testing.B) {
	for _, v := range []int{5000, 50000, 500000} {
		for _, sparse := range []bool{false, true} {
			mode := map[bool]string{false: "dense", true: "sparse"}[sparse]
			b.Run(fmt.Sprintf("V=%d/%s", v, mode), func(b *testing.B) {
				step := embeddingStepper(b, v, sparse)
				step() // the first step's tape grows in several chunks,
				step() // which the second's Reset merges into one: steady from here
				b.ReportAllocs()
				for b.Loop() {
					step()
				}
			})
		}
	}
}

// embeddingStepper returns BenchmarkEmbeddingStep's step for a table of v rows.
func embeddingStepper(tb testing.TB, v int, sparse bool) func() {
	const dim, tokens, lr = 128, 4096, 0.01
	pos := make([]int, tokens)
	for i, u := range randSlice(40, tokens, 0, float64(v)) {
		pos[i] = int(u)
	}
	e := layers.NewEmbedding(v, dim, layers.EmbeddingConfig{Sparse: sparse}, layers.WithDType(ag.Float32), layers.WithSeed(41))
	sgd, err := optim.NewSGD(layers.Params(e), optim.SGDConfig{LR: lr})
	if err != nil {
		tb.Fatal(err)
	}
	tp := ag.NewTape()
	idx := ops.NewIndex(pos) // torch's peer also makes its index tensor once
	return func() {
		tp.Reset()
		if err := ag.Backward(ops.Sum(e.Lookup(tp, idx))); err != nil {
			tb.Fatal(err)
		}
		if sparse {
			if err := e.StepSGD(lr); err != nil {
				tb.Fatal(err)
			}
		} else {
			sgd.Step()
			sgd.ZeroGrad()
		}
	}
}

// TestEmbeddingStepAllocatesNothing checks that a steady step of BenchmarkEmbeddingStep's
// training loop, dense and sparse, parallel kernels included, allocates nothing.
func TestEmbeddingStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, sparse := range []bool{false, true} {
		step := embeddingStepper(t, 5000, sparse)
		step()
		step()
		if allocs := testing.AllocsPerRun(5, step); allocs > 0 {
			t.Errorf("sparse=%v: a steady embedding step allocates %v times, want 0", sparse, allocs)
		}
	}
}
