package layers

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// torchEmbedding is testdata/torch_embedding.json, written by torch_embedding.py.
type torchEmbedding struct {
	V, D, Padding int
	LR            float64
	Weight        []float64
	Index         []int
	IndexShape    []int `json:"index_shape"`
	Out           []float64
	OutShape      []int `json:"out_shape"`
	Grad          []float64
	AfterSGD      []float64 `json:"after_sgd"`
}

func loadTorchEmbedding(t *testing.T) torchEmbedding {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch_embedding.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx torchEmbedding
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// weightedSum returns Σ w·y with w[i] = 1 + 0.1·i, the fixture's loss.
func weightedSum(tp *ag.Tape, y ag.Var) ag.Var {
	w := make([]float64, y.Len())
	for i := range w {
		w[i] = 1 + 0.1*float64(i)
	}
	return ops.Sum(ops.Mul(y, ops.Cast(tp.Const(w, slices.Clone(y.Shape())...), y.DType())))
}

// TestEmbeddingMatchesTorch runs torch's case in both modes and both dtypes: the lookup, the
// table's gradient (dense mode) and the table after one SGD step (optim.SGD in dense mode,
// StepSGD in sparse mode) agree with nn.Embedding(padding_idx=2).
func TestEmbeddingMatchesTorch(t *testing.T) {
	fx := loadTorchEmbedding(t)
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		// float64 values are copied and added once or twice: a few ulps. float32 rounds the
		// table and the step to 6e-8 relative, on values of order 1-3.
		tol := 1e-12
		if dt == ag.Float32 {
			tol = 1e-6
		}
		approx := cmpopts.EquateApprox(tol, tol)
		for _, sparse := range []bool{false, true} {
			name := dt.String() + map[bool]string{false: " dense", true: " sparse"}[sparse]
			e := NewEmbedding(fx.V, fx.D, EmbeddingConfig{Padded: true, Padding: fx.Padding, Sparse: sparse}, WithDType(dt))
			if got := e.Weight.Float64s()[fx.Padding*fx.D : (fx.Padding+1)*fx.D]; slices.ContainsFunc(got, func(x float64) bool { return x != 0 }) {
				t.Errorf("%s: padding row at construction = %v, want zeros", name, got)
			}
			copyValues(e.Weight, fx.Weight)
			tp := ag.NewTape()
			y := e.Lookup(tp, ops.NewIndex(fx.Index, fx.IndexShape...))
			if !slices.Equal(y.Shape(), fx.OutShape) {
				t.Fatalf("%s: Lookup shape %v, torch %v", name, y.Shape(), fx.OutShape)
			}
			if diff := cmp.Diff(fx.Out, y.Float64s(), approx); diff != "" {
				t.Errorf("%s: Lookup differs from torch's (-torch +gograd):\n%s", name, diff)
			}
			if err := ag.Backward(weightedSum(tp, y)); err != nil {
				t.Fatalf("%s: Backward: %v", name, err)
			}
			if sparse {
				if g := e.Weight.Grad(); !g.IsNil() {
					t.Errorf("%s: the table has a gradient in sparse mode", name)
				}
				if err := e.StepSGD(fx.LR); err != nil {
					t.Fatalf("%s: StepSGD: %v", name, err)
				}
			} else {
				if diff := cmp.Diff(fx.Grad, e.Weight.Grad().Float64s(), approx); diff != "" {
					t.Errorf("%s: gradient differs from torch's (-torch +gograd):\n%s", name, diff)
				}
				opt, err := optim.NewSGD(Params(e), optim.SGDConfig{LR: fx.LR})
				if err != nil {
					t.Fatal(err)
				}
				opt.Step()
			}
			if diff := cmp.Diff(fx.AfterSGD, e.Weight.Float64s(), approx); diff != "" {
				t.Errorf("%s: table after one SGD step differs from torch's (-torch +gograd):\n%s", name, diff)
			}
		}
	}
}

// copyValues sets p's values from vals, converting to p's dtype.
func copyValues(p ag.Var, vals []float64) {
	if p.DType() == ag.Float32 {
		for i, v := range vals {
			p.Data32()[i] = float32(v)
		}
		return
	}
	copy(p.Data64(), vals)
}

// TestEmbeddingForward checks that Forward on a float tensor of positions equals Lookup, and
// that repeated lookups in sparse mode accumulate as in dense mode over several steps.
func TestEmbeddingForward(t *testing.T) {
	e := NewEmbedding(5, 4, EmbeddingConfig{}, WithSeed(3))
	tp := ag.NewTape()
	pos := []int{4, 0, 4}
	got := e.Forward(tp.Const([]float64{4, 0, 4}, 3, 1)).Float64s()
	want := e.Lookup(tp, ops.NewIndex(pos, 3, 1)).Float64s()
	if !slices.Equal(got, want) {
		t.Errorf("Forward(positions as floats) = %v, Lookup = %v", got, want)
	}

	// Three steps of dense SGD and of sparse StepSGD from the same table agree: the sparse
	// update adds up repeated positions as the dense gradient does.
	dense := NewEmbedding(5, 4, EmbeddingConfig{}, WithSeed(7))
	sparse := NewEmbedding(5, 4, EmbeddingConfig{Sparse: true}, WithSeed(7))
	opt, err := optim.NewSGD(Params(dense), optim.SGDConfig{LR: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	batches := [][]int{{1, 1, 3}, {0, 4, 1}, {2, 2, 2}}
	for _, b := range batches {
		for _, e := range []*Embedding{dense, sparse} {
			tp := ag.NewTape()
			y := e.Lookup(tp, ops.NewIndex(b))
			if err := ag.Backward(ops.Sum(ops.Square(y))); err != nil {
				t.Fatal(err)
			}
			if err := e.StepSGD(0.5); err != nil {
				t.Fatal(err)
			}
		}
		opt.Step()
		opt.ZeroGrad()
	}
	// The sparse update multiplies, the dense one goes through a gradient buffer: one rounding.
	if diff := cmp.Diff(dense.Weight.Float64s(), sparse.Weight.Float64s(), cmpopts.EquateApprox(1e-14, 1e-14)); diff != "" {
		t.Errorf("sparse StepSGD differs from dense SGD after 3 steps (-dense +sparse):\n%s", diff)
	}
}

// TestEmbeddingInit checks torch's initialisation: N(0, 1) weights, and a padding row (counted
// from the end when negative) of zeros.
func TestEmbeddingInit(t *testing.T) {
	e := NewEmbedding(1000, 100, EmbeddingConfig{Padded: true, Padding: -1}, WithSeed(5))
	w := e.Weight.Float64s()
	if got := w[999*100:]; slices.ContainsFunc(got, func(x float64) bool { return x != 0 }) {
		t.Errorf("padding row -1 (999) is not zero: %v", got[:5])
	}
	w = w[:999*100]
	mean, sq := 0.0, 0.0
	for _, x := range w {
		mean += x
		sq += x * x
	}
	mean /= float64(len(w))
	sd := math.Sqrt(sq/float64(len(w)) - mean*mean)
	// The mean of 99,900 N(0, 1) draws has a standard error of 0.0032 and their standard
	// deviation one of 0.0022: five standard errors.
	if math.Abs(mean) > 0.016 || math.Abs(sd-1) > 0.011 {
		t.Errorf("weights: mean %.4f, sd %.4f; want N(0, 1)", mean, sd)
	}
	if names := names(e); !slices.Equal(names, []string{"weight"}) {
		t.Errorf("NamedParams = %v, want [weight]", names)
	}
}

// TestEmbeddingErrors checks the typed errors: a padding row outside the table, positions out
// of range or not integers, and a sparse step after the tape was reset.
func TestEmbeddingErrors(t *testing.T) {
	cases := []struct {
		name string
		fn   func()
		want string
	}{
		{"padding", func() { NewEmbedding(4, 2, EmbeddingConfig{Padded: true, Padding: 4}) },
			"layers.NewEmbedding: padding index 4 outside a table of 4 rows"},
		{"padding negative", func() { NewEmbedding(4, 2, EmbeddingConfig{Padded: true, Padding: -5}) },
			"layers.NewEmbedding: padding index -5 outside a table of 4 rows"},
		{"size", func() { NewEmbedding(0, 2, EmbeddingConfig{}) }, "layers.NewEmbedding: table size 0; want at least 1"},
		{"index", func() { NewEmbedding(4, 2, EmbeddingConfig{}).Lookup(ag.NewTape(), ops.NewIndex([]int{0, 4})) },
			"layers.Embedding: index 4 out of range for a table of 4 rows"},
		{"negative index", func() {
			NewEmbedding(4, 2, EmbeddingConfig{Sparse: true}).Lookup(ag.NewTape(), ops.NewIndex([]int{-1}))
		}, "layers.Embedding: index -1 out of range for a table of 4 rows"},
		{"float index", func() { NewEmbedding(4, 2, EmbeddingConfig{}).Forward(ag.NewTape().Const([]float64{1, 2.5})) },
			"ops.IndexOf: element 1 of the float64 index (2) is 2.5, not an integer"},
	}
	for _, c := range cases {
		if got := panicMsg(t, c.fn); got != c.want {
			t.Errorf("%s: panic %q, want %q", c.name, got, c.want)
		}
	}

	e := NewEmbedding(4, 2, EmbeddingConfig{Sparse: true})
	tp := ag.NewTape()
	y := e.Lookup(tp, ops.NewIndex([]int{1}))
	if err := ag.Backward(ops.Sum(y)); err != nil {
		t.Fatal(err)
	}
	before := e.Weight.Float64s()
	tp.Reset()
	if err := e.StepSGD(0.1); !errors.Is(err, ag.ErrReleased) {
		t.Errorf("StepSGD after Reset = %v, want an error wrapping ErrReleased", err)
	}
	if got := e.Weight.Float64s(); !slices.Equal(got, before) {
		t.Errorf("StepSGD after Reset changed the table: %v, was %v", got, before)
	}
}

// TestEmbeddingSparseNoGrad checks that sparse lookups under NoGrad (evaluation) are constants
// that StepSGD does not see, so evaluation loops do not pile up pending lookups.
func TestEmbeddingSparseNoGrad(t *testing.T) {
	e := NewEmbedding(4, 2, EmbeddingConfig{Sparse: true})
	before := e.Weight.Float64s()
	tp := ag.NewTape()
	var y ag.Var
	tp.NoGrad(func() { y = e.Lookup(tp, ops.NewIndex([]int{1, 3})) })
	if y.RequiresGrad() {
		t.Error("a sparse lookup under NoGrad requires a gradient")
	}
	if got, want := y.Float64s(), slices.Concat(before[2:4], before[6:8]); !slices.Equal(got, want) {
		t.Errorf("lookup under NoGrad = %v, want rows 1 and 3 %v", got, want)
	}
	tp.Reset()
	if err := e.StepSGD(0.1); err != nil || len(e.pending) != 0 {
		t.Errorf("StepSGD after a NoGrad lookup and Reset = %v with %d pending, want nil and 0", err, len(e.pending))
	}
}

// TestEmbeddingSparseMatchesDense checks sparse StepSGD against dense SGD over several steps on
// one tape per layer, reset between steps (so that the sparse layer reuses its row parameters):
// two lookups of different sizes per step; and a step split over the cores (4,096 positions of
// dimension 128 in a table of 300 rows, so positions repeat often, with rowsSplitMin lowered so
// that they split), without and with a padding row inside the range of positions each core
// updates.
func TestEmbeddingSparseMatchesDense(t *testing.T) {
	defer func(m int) { rowsSplitMin = m }(rowsSplitMin)
	rowsSplitMin = 0 // the large cases split from 2·parallel.Grain elements
	large := make([]int, 4096)
	for i := range large {
		large[i] = (i * 7919) % 300
	}
	cases := []struct {
		name    string
		v, d    int
		padding int // the padding row, or -1 for none
		batches [][]int
		loss    func(e *Embedding, tp *ag.Tape, b []int) ag.Var
	}{
		{"two lookups", 6, 3, -1, [][]int{{1, 5, 1}, {0, 2, 2}, {5, 4, 3}, {3, 3, 0}}, func(e *Embedding, tp *ag.Tape, b []int) ag.Var {
			y1 := e.Lookup(tp, ops.NewIndex(b))
			y2 := e.Lookup(tp, ops.NewIndex(b[1:], 2, 1))
			return ops.Add(ops.Sum(ops.Square(y1)), ops.Sum(ops.MulScalar(y2, 3)))
		}},
		{"split over the cores", 300, 128, -1, [][]int{large, large}, func(e *Embedding, tp *ag.Tape, b []int) ag.Var {
			return ops.Sum(ops.Square(e.Lookup(tp, ops.NewIndex(b))))
		}},
		{"split over the cores, padded", 300, 128, 77, [][]int{large, large}, func(e *Embedding, tp *ag.Tape, b []int) ag.Var {
			y := e.Lookup(tp, ops.NewIndex(b)) // a gradient of 2y+1, not 0, at the zero padding row
			return ops.Add(ops.Sum(ops.Square(y)), ops.Sum(y))
		}},
	}
	for _, c := range cases {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			cfg := EmbeddingConfig{Padded: c.padding >= 0, Padding: c.padding}
			dense := NewEmbedding(c.v, c.d, cfg, WithSeed(9), WithDType(dt))
			cfg.Sparse = true
			sparse := NewEmbedding(c.v, c.d, cfg, WithSeed(9), WithDType(dt))
			opt, err := optim.NewSGD(Params(dense), optim.SGDConfig{LR: 0.01})
			if err != nil {
				t.Fatal(err)
			}
			tapes := map[*Embedding]*ag.Tape{dense: ag.NewTape(), sparse: ag.NewTape()}
			for step, b := range c.batches {
				for _, e := range []*Embedding{dense, sparse} {
					tapes[e].Reset()
					if err := ag.Backward(c.loss(e, tapes[e], b)); err != nil {
						t.Fatal(err)
					}
					if err := e.StepSGD(0.01); err != nil {
						t.Fatal(err)
					}
				}
				opt.Step()
				opt.ZeroGrad()
				// The dense gradient sums a row's contributions before the step, the sparse step
				// subtracts them one by one: a rounding per repeat (up to about 14 per row),
				// relative to values of order 1.
				tol := 1e-13
				if dt == ag.Float32 {
					tol = 1e-5
				}
				if diff := cmp.Diff(dense.Weight.Float64s(), sparse.Weight.Float64s(), cmpopts.EquateApprox(tol, tol)); diff != "" {
					t.Errorf("%s, %v, step %d: sparse StepSGD differs from dense SGD (-dense +sparse):\n%s", c.name, dt, step, diff)
				}
			}
		}
	}
}
