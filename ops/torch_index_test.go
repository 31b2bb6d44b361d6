package ops_test

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchIndexCase is one case of testdata/torch_index.json, written by torch_index.py.
type torchIndexCase struct {
	Name   string
	Op     string
	Params struct {
		Axis       int
		Axes       []int
		Index      []int
		IndexShape []int `json:"index_shape"`
		Ranges     [][4]*int
		Sizes      []int
		Piece      int
		N          int
		Count      int
		Shape      []int
		Reps       []int
		Shift      int
		K          int
		Value      float64
		Correction float64
		P          string
	}
	Inputs []struct {
		Shape []int
		Data  []float64
	}
	Out *struct {
		Shape []int
		Data  []float64
	}
	OutIndex *struct {
		Shape []int
		Data  []int
	} `json:"out_index"`
	Grads [][]float64
}

// run applies the case's operation with gograd; it returns the output Var or the positions.
func (c *torchIndexCase) run(t *testing.T, xs []ag.Var) (ag.Var, *ops.Index) {
	p := &c.Params
	idx := func() ops.Index { return ops.NewIndex(p.Index, p.IndexShape...) }
	switch c.Op {
	case "gather":
		return ops.Gather(xs[0], p.Axis, idx()), nil
	case "scatter_add":
		return ops.ScatterAdd(xs[0], p.Axis, idx(), xs[1]), nil
	case "index_select":
		return ops.IndexSelect(xs[0], p.Axis, idx()), nil
	case "index_add":
		return ops.IndexAdd(xs[0], p.Axis, idx(), xs[1]), nil
	case "take":
		return ops.Take(xs[0], idx()), nil
	case "slice":
		var rs []ops.Range
		for _, r := range p.Ranges {
			rg := ops.Range{Axis: *r[0], Start: *r[1], Stop: ops.End, Step: *r[3]}
			if r[2] != nil {
				rg.Stop = *r[2]
			}
			// Python applies the ranges one after another; SliceAxes applies them at once, so
			// the fixture never slices an axis twice.
			rs = append(rs, rg)
		}
		return ops.SliceAxes(xs[0], rs...), nil
	case "flip":
		return ops.Flip(xs[0], p.Axes...), nil
	case "cumsum":
		return ops.Cumsum(xs[0], p.Axis), nil
	case "stack":
		return ops.Stack(p.Axis, xs[0], xs[1], xs[0]), nil
	case "split":
		return ops.Split(xs[0], p.Axis, p.Sizes...)[p.Piece], nil
	case "chunk":
		return ops.Chunk(xs[0], p.N, p.Axis)[p.Piece], nil
	case "chunk_count":
		pieces := ops.Chunk(xs[0], p.N, p.Axis)
		if len(pieces) != p.Count {
			t.Errorf("%s: Chunk gave %d pieces, torch %d", c.Name, len(pieces), p.Count)
		}
		return ops.Concat(p.Axis, pieces...), nil
	case "squeeze":
		return ops.Squeeze(xs[0], p.Axes...), nil
	case "unsqueeze":
		return ops.Unsqueeze(xs[0], p.Axis), nil
	case "expand":
		return ops.Expand(xs[0], p.Shape...), nil
	case "repeat":
		return ops.Repeat(xs[0], p.Reps...), nil
	case "tile":
		return ops.Tile(xs[0], p.Reps...), nil
	case "roll":
		return ops.Roll(xs[0], p.Shift, p.Axis), nil
	case "tril":
		return ops.Tril(xs[0], p.K), nil
	case "triu":
		return ops.Triu(xs[0], p.K), nil
	case "masked_fill":
		return ops.MaskedFill(xs[0], ops.Greater(xs[0], ops.ScalarLike(xs[0], 0)), p.Value), nil
	case "argmax":
		x := ops.ArgMax(xs[0], p.Axis)
		return ag.Var{}, &x
	case "argmin":
		x := ops.ArgMin(xs[0], p.Axis)
		return ag.Var{}, &x
	case "topk":
		v, x := ops.TopK(xs[0], p.K, p.Axis)
		return v, &x
	case "var":
		return ops.Var(xs[0], p.Correction, p.Axes...), nil
	case "std":
		return ops.Std(xs[0], p.Correction, p.Axes...), nil
	case "norm":
		pn := map[string]float64{"1": 1, "2": 2, "inf": math.Inf(1)}[p.P]
		return ops.Norm(xs[0], pn, p.Axes...), nil
	}
	t.Fatalf("%s: unknown op %q in the fixture", c.Name, c.Op)
	return ag.Var{}, nil
}

// TestIndexOpsMatchTorch compares the indexing operations' values, positions and gradients of
// sum(w·out), w[i] = 1 + 0.1·i, with PyTorch 1.13's (testdata/torch_index.json).
func TestIndexOpsMatchTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_index.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct{ Cases []torchIndexCase }
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) < 40 {
		t.Fatalf("fixture has %d cases, want the 48 torch_index.py writes", len(fx.Cases))
	}
	// The operations copy, add and sum a handful of float64 values, in an order that may differ
	// from PyTorch's: agreement to a few ulps of values of order 1-10.
	approx := cmpopts.EquateApprox(1e-12, 1e-12)
	for _, c := range fx.Cases {
		tp := ag.NewTape()
		xs := make([]ag.Var, len(c.Inputs))
		for i, in := range c.Inputs {
			xs[i] = tp.Variable(in.Data, append([]int{}, in.Shape...)...)
		}
		y, pos := c.run(t, xs)
		if c.OutIndex != nil {
			if pos == nil {
				t.Fatalf("%s: no positions", c.Name)
			}
			if !slices.Equal(pos.Shape(), c.OutIndex.Shape) || !slices.Equal(pos.Ints(), c.OutIndex.Data) {
				t.Errorf("%s: positions %v %v, torch %v %v", c.Name, pos.Shape(), pos.Ints(), c.OutIndex.Shape, c.OutIndex.Data)
			}
		}
		if c.Out == nil {
			continue
		}
		if !slices.Equal(y.Shape(), c.Out.Shape) {
			t.Errorf("%s: shape %v, torch %v", c.Name, y.Shape(), c.Out.Shape)
			continue
		}
		if diff := cmp.Diff(c.Out.Data, y.Float64s(), approx); diff != "" {
			t.Errorf("%s: values differ from torch's (-torch +gograd):\n%s", c.Name, diff)
		}
		w := make([]float64, y.Len())
		for i := range w {
			w[i] = 1 + 0.1*float64(i)
		}
		loss := ops.Sum(ops.Mul(y, tp.Const(w, append([]int{}, y.Shape()...)...)))
		gs, err := ag.Grad([]ag.Var{loss}, xs, ag.AllowUnused())
		if err != nil {
			t.Fatalf("%s: Grad: %v", c.Name, err)
		}
		for i, want := range c.Grads {
			if want == nil {
				continue
			}
			got := make([]float64, len(want))
			if !gs[i].IsNil() {
				got = gs[i].Float64s()
			}
			if diff := cmp.Diff(want, got, approx); diff != "" {
				t.Errorf("%s: gradient of input %d differs from torch's (-torch +gograd):\n%s", c.Name, i, diff)
			}
		}
	}
}
