package checkpoint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// TestSaveTorchLayout checks that a checkpoint holds a Linear weight, and the Adam moments of
// it, as PyTorch does, (out, in): element [o][i] of the file is W[i][o] of the model.
func TestSaveTorchLayout(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		m, opt := trained(t, dt) // MLP 3 → 4 → 2
		path := filepath.Join(t.TempDir(), "m.npz")
		if err := Save(path, m, opt); err != nil {
			t.Fatal(err)
		}
		arrays, err := npz.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]npz.Array{}
		for _, a := range arrays {
			byName[a.Name] = a
		}
		w := m.Net.Layers[0].(*layers.Linear).Weight
		var moment []float64
		for _, e := range opt.State() {
			if e.Param == 0 && e.Key == "exp_avg" {
				moment = append(e.F64, f64s(e.F32)...)
			}
		}
		for _, c := range []struct {
			name  string
			model []float64 // row-major (3, 4)
		}{{"0.weight", w.Float64s()}, {"optim.0.weight.exp_avg", moment}} {
			a := byName[c.name]
			if want := []int{4, 3}; !slices.Equal(a.Shape, want) {
				t.Errorf("%v %s: shape %v in the file, want %v", dt, c.name, a.Shape, want)
				continue
			}
			got := append(a.F64, f64s(a.F32)...)
			for o := range 4 {
				for i := range 3 {
					if got[o*3+i] != c.model[i*4+o] {
						t.Errorf("%v %s: file[%d][%d] = %v, want model[%d][%d] = %v", dt, c.name, o, i, got[o*3+i], i, o, c.model[i*4+o])
					}
				}
			}
		}
	}
}

func f64s(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// legacyFile writes m's parameters as gograd wrote them before it saved PyTorch's layout:
// every parameter in its own shape.
func legacyFile(t *testing.T, m layers.Model) string {
	t.Helper()
	var arrays []npz.Array
	for _, p := range namedState(m) {
		arrays = append(arrays, toArray(p.Name, p.Var, false))
	}
	path := filepath.Join(t.TempDir(), "legacy.npz")
	if err := npz.WriteFile(path, arrays); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadLegacyLayout checks that an old checkpoint, holding Linear weights as (in, out), still
// loads when a non-square weight tells its layout, square weights of the same file included.
func TestLoadLegacyLayout(t *testing.T) {
	src := layers.NewMLP([]int{3, 3, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(4)) // a square layer, then 3 → 2
	path := legacyFile(t, src)
	dst := layers.NewMLP([]int{3, 3, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(5))
	if err := Load(path, dst); err != nil {
		t.Fatal(err)
	}
	for i, p := range src.NamedParams() {
		if q := dst.NamedParams()[i]; !bitsEqual(p.Var, q.Var) {
			t.Errorf("%s: got %v after loading the old layout, want %v", p.Name, q.Var, p.Var)
		}
	}
}

// TestLoadMixedLayout checks that a file holding one weight in each layout is rejected.
func TestLoadMixedLayout(t *testing.T) {
	m := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(4))
	arrays, err := stateArrays("test", "", m, nil)
	if err != nil {
		t.Fatal(err)
	}
	arrays[2] = toArray("2.weight", m.Net.Layers[2].(*layers.Linear).Weight, false) // (4, 2): gograd's
	path := filepath.Join(t.TempDir(), "mixed.npz")
	if err := npz.WriteFile(path, arrays); err != nil {
		t.Fatal(err)
	}
	dst := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(5))
	before := values(dst)
	err = Load(path, dst)
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("Load of a mixed-layout file: got %v, want ErrMismatch", err)
	}
	if got := values(dst); !cmp.Equal(got, before) {
		t.Errorf("the model changed after a failed Load")
	}
}

// TestSaveToLoadFrom checks the writer and reader forms on a model of every layer kind with
// parameters or buffers, float32 and float64, with an optimizer, through a bytes.Buffer.
func TestSaveToLoadFrom(t *testing.T) {
	build := func(seed uint64, dt ag.DType) *layers.Sequential {
		o := []layers.Option{layers.WithSeed(seed), layers.WithDType(dt)}
		return layers.NewSequential(layers.NewConv2d(2, 3, 3, o...), layers.NewBatchNorm2d(3, o...), layers.ReLU{}, layers.NewFlatten(), layers.NewLinear(12, 5, o...), layers.NewLinear(5, 5, o...))
	}
	for _, f := range []Format{NPZ, Safetensors} {
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			src := build(1, dt)
			bn := src.Layers[1].(*layers.BatchNorm)
			for i := range bn.RunningMean.Len() { // buffers with values of their own
				if dt == ag.Float32 {
					bn.RunningMean.Data32()[i] = float32(i) + 0.5
				} else {
					bn.RunningMean.Data64()[i] = float64(i) + 0.5
				}
			}
			opt, err := optim.NewAdam(layers.Params(src), optim.AdamConfig{LR: 0.1})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := SaveTo(&buf, f, src, opt); err != nil {
				t.Fatalf("%s %v: SaveTo: %v", f, dt, err)
			}
			dst := build(2, dt)
			opt2, err := optim.NewAdam(layers.Params(dst), optim.AdamConfig{LR: 0.5})
			if err != nil {
				t.Fatal(err)
			}
			if err := LoadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), f, dst, opt2); err != nil {
				t.Fatalf("%s %v: LoadFrom: %v", f, dt, err)
			}
			for i, p := range namedState(src) {
				if q := namedState(dst)[i]; !bitsEqual(p.Var, q.Var) {
					t.Errorf("%s %v %s: got %v, want %v", f, dt, p.Name, q.Var, p.Var)
				}
			}
			// A truncated stream is an error and changes nothing.
			before := values(dst)
			if err := LoadFrom(bytes.NewReader(buf.Bytes()[:buf.Len()/2]), int64(buf.Len()/2), f, dst); err == nil {
				t.Errorf("%s %v: LoadFrom of half a checkpoint succeeded", f, dt)
			}
			if got := values(dst); !cmp.Equal(got, before) {
				t.Errorf("%s %v: the model changed after a failed LoadFrom", f, dt)
			}
		}
	}
}

// TestSavePTRefused checks that Save and SaveTo refuse to write .pt, and leave no file.
func TestSavePTRefused(t *testing.T) {
	m := layers.NewSequential(layers.NewLinear(2, 2))
	path := filepath.Join(t.TempDir(), "m.pt")
	if err := Save(path, m); err == nil || !strings.Contains(err.Error(), "safetensors") {
		t.Errorf("Save to .pt: got %v, want an error pointing to .safetensors", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Save to .pt left a file: %v", err)
	}
	if err := SaveTo(&bytes.Buffer{}, PT, m); err == nil {
		t.Errorf("SaveTo(PT) succeeded, want an error")
	}
}

// TestLoadBatchesTracked checks that BatchNorm's num_batches_tracked, an int64 scalar in
// torch's state_dict, loads into the layer's counter; that a checkpoint without it (written
// before gograd kept it) loads it as 0; that a layer without the counter ignores it; and that
// one of another dtype or shape is refused.
func TestLoadBatchesTracked(t *testing.T) {
	src := layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(1)), layers.NewBatchNorm1d(3))
	arrays, err := stateArrays("test", "", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var without []npz.Array // the arrays but the counter, which Save writes
	for _, a := range arrays {
		if a.Name != "1.num_batches_tracked" {
			without = append(without, a)
		}
	}
	if len(without) != len(arrays)-1 {
		t.Fatalf("stateArrays wrote %d arrays named 1.num_batches_tracked, want 1", len(arrays)-len(without))
	}
	withCounter := func(a npz.Array) []npz.Array { return append(slices.Clone(without), a) }
	load := func(arrays []npz.Array, dst layers.Model) error {
		var buf bytes.Buffer
		if err := npz.Write(&buf, arrays); err != nil {
			t.Fatal(err)
		}
		return LoadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), NPZ, dst)
	}
	counter := func(m *layers.Sequential) float64 { return m.Layers[1].(*layers.BatchNorm).NumBatchesTracked.Item() }
	for _, c := range []struct {
		name   string
		arrays []npz.Array
		want   float64
	}{
		{"torch's int64 scalar", withCounter(npz.Int64("1.num_batches_tracked", []int64{7})), 7},
		{"no counter", without, 0},
	} {
		dst := layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(2)), layers.NewBatchNorm1d(3))
		dst.Layers[1].(*layers.BatchNorm).NumBatchesTracked.Data64()[0] = 5
		if err := load(c.arrays, dst); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := counter(dst); got != c.want {
			t.Errorf("%s: num_batches_tracked = %v, want %v", c.name, got, c.want)
		}
		if !cmp.Equal(values(dst), values(src)) {
			t.Errorf("%s: parameters %v, want %v", c.name, values(dst), values(src))
		}
	}
	for _, bad := range []npz.Array{
		npz.Int64("1.num_batches_tracked", []int64{7}, 1),
		npz.Float64("1.num_batches_tracked", []float64{7}),
	} {
		dst := layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(2)), layers.NewBatchNorm1d(3))
		if err := load(withCounter(bad), dst); !errors.Is(err, ErrMismatch) {
			t.Errorf("counter %s %v: got %v, want an error wrapping ErrMismatch", bad.Dtype(), bad.Shape, err)
		}
	}
	plain := layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(1)), layers.NewBatchNorm1d(3, layers.WithoutRunningStats()))
	plainArrays, err := stateArrays("test", "", plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(2)), layers.NewBatchNorm1d(3, layers.WithoutRunningStats()))
	if err := load(append(plainArrays, npz.Int64("1.num_batches_tracked", []int64{7})), dst); err != nil {
		t.Errorf("a layer without the counter given one: %v, want it ignored", err)
	}
}
