package checkpoint

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// bnModel is a user model holding a BatchNorm between two layers, found by layers.Collect and
// layers.CollectBuffers.
type bnModel struct {
	In   *layers.Linear
	Norm *layers.BatchNorm
	Out  layers.Linear
}

func (m *bnModel) Forward(x ag.Var) ag.Var {
	return m.Out.Forward(ops.ReLU(m.Norm.Forward(m.In.Forward(x))))
}
func (m *bnModel) NamedParams() []layers.Param { return layers.Collect(m) }

// TestSaveLoadBuffers checks that BatchNorm's running statistics, moved by a training pass, are
// saved and restored by Save and Load, in a Sequential and in a user's struct.
func TestSaveLoadBuffers(t *testing.T) {
	seq := layers.NewSequential(layers.NewLinear(3, 4, layers.WithSeed(2)), layers.NewBatchNorm1d(4), layers.ReLU{}, layers.NewLinear(4, 2, layers.WithSeed(3)))
	user := &bnModel{In: layers.NewLinear(3, 4, layers.WithSeed(2)), Norm: layers.NewBatchNorm1d(4)}
	user.Out = *layers.NewLinear(4, 2, layers.WithSeed(3))
	for _, c := range []struct {
		name string
		m    layers.Module
	}{{"Sequential", seq}, {"user struct", user}} {
		tp := ag.NewTape()
		x := tp.Const([]float64{1, 2, 3, -1, 0.5, 0.25, 0, 1, -2}, 3, 3)
		c.m.Forward(x) // moves the running statistics away from their initial values
		path := filepath.Join(t.TempDir(), "bn.npz")
		if err := Save(path, c.m); err != nil {
			t.Fatal(err)
		}
		var want [][]float64
		for _, b := range layers.Buffers(c.m) {
			want = append(want, b.Var.Float64s())
		}
		if len(want) == 0 {
			t.Fatalf("%s: no buffers", c.name)
		}
		c.m.Forward(x) // moves the running statistics again
		if err := Load(path, c.m); err != nil {
			t.Fatal(err)
		}
		for i, b := range layers.Buffers(c.m) {
			if got := b.Var.Float64s(); !cmp.Equal(got, want[i]) {
				t.Errorf("%s: %s after Load = %v, want the saved %v", c.name, b.Name, got, want[i])
			}
		}
	}
}

// TestLoadNeedsBuffers checks that a checkpoint without the running statistics is refused, naming
// the missing buffer, and leaves the model alone.
func TestLoadNeedsBuffers(t *testing.T) {
	m := layers.NewSequential(layers.NewLinear(3, 4, layers.WithSeed(2)), layers.NewBatchNorm1d(4))
	path := filepath.Join(t.TempDir(), "bn.npz")
	if err := Save(path, m); err != nil {
		t.Fatal(err)
	}
	arrays, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []npz.Array
	for _, a := range arrays {
		if a.Name != "1.running_var" {
			kept = append(kept, a)
		}
	}
	if err := npz.WriteFile(path, kept); err != nil {
		t.Fatal(err)
	}
	copy(m.Layers[1].(*layers.BatchNorm).RunningMean.Data64(), []float64{1, 2, 3, 4})
	err = Load(path, m)
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), `"1.running_var"`) {
		t.Errorf("got %v, want an error wrapping ErrMissing naming 1.running_var", err)
	}
	if got := m.Layers[1].(*layers.BatchNorm).RunningMean.Float64s(); !cmp.Equal(got, []float64{1, 2, 3, 4}) {
		t.Errorf("a failed Load changed the running mean to %v", got)
	}
}

// smallCNN is a LeNet-style network on 1×8×8 images.
func smallCNN(dt ag.DType, seed uint64) *layers.Sequential {
	o := []layers.Option{layers.WithDType(dt), layers.WithSeed(seed)}
	return layers.NewSequential(
		layers.NewConv2d(1, 4, 3, append(o, layers.WithPadding(1))...), layers.ReLU{},
		layers.NewMaxPool2d(2),
		layers.NewConv2d(4, 6, 3, o...), layers.ReLU{},
		layers.NewAdaptiveAvgPool2d(1, 1),
		layers.NewFlatten(),
		layers.NewLinear(6, 3, o...),
	)
}

// TestCNNSaveLoad trains a small CNN for two steps, saves it with its Adam state, loads it into
// a differently initialised copy, and checks that the names, values and outputs agree.
func TestCNNSaveLoad(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		m := smallCNN(dt, 3)
		wantNames := []string{"0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"}
		if got := names(m); !slices.Equal(got, wantNames) {
			t.Errorf("%v: names %q, want %q", dt, got, wantNames)
		}
		opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		input := func(tp *ag.Tape) ag.Var {
			x := make([]float64, 2*64)
			for i := range x {
				x[i] = math.Sin(float64(i))
			}
			return ops.Cast(tp.Const(x, 2, 1, 8, 8), dt)
		}
		for range 2 {
			tp := ag.NewTape()
			opt.ZeroGrad()
			if err := ag.Backward(sumSquares(m.Forward(input(tp)))); err != nil {
				t.Fatal(err)
			}
			opt.Step()
		}
		path := filepath.Join(t.TempDir(), "cnn.npz")
		if err := Save(path, m, opt); err != nil {
			t.Fatalf("%v: Save: %v", dt, err)
		}
		m2 := smallCNN(dt, 4)
		opt2, err := optim.NewAdam(layers.Params(m2), optim.AdamConfig{LR: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(values(m), values(m2)); diff == "" {
			t.Fatalf("%v: models with seeds 3 and 4 are equal before Load", dt)
		}
		if err := Load(path, m2, opt2); err != nil {
			t.Fatalf("%v: Load: %v", dt, err)
		}
		if diff := cmp.Diff(values(m), values(m2)); diff != "" {
			t.Errorf("%v: parameters after Load differ (-saved +loaded):\n%s", dt, diff)
		}
		tp := ag.NewTape()
		if diff := cmp.Diff(m.Forward(input(tp)).Float64s(), m2.Forward(input(tp)).Float64s()); diff != "" {
			t.Errorf("%v: outputs after Load differ (-saved +loaded):\n%s", dt, diff)
		}
	}
}

// TestEmbeddingSaveLoad checks that the table round-trips through Save and Load under the name
// "weight", in sparse mode too.
func TestEmbeddingSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emb.npz")
	a := layers.NewEmbedding(7, 3, layers.EmbeddingConfig{Sparse: true}, layers.WithSeed(1), layers.WithDType(ag.Float32))
	if err := Save(path, a); err != nil {
		t.Fatal(err)
	}
	b := layers.NewEmbedding(7, 3, layers.EmbeddingConfig{Sparse: true}, layers.WithSeed(2), layers.WithDType(ag.Float32))
	if err := Load(path, b); err != nil {
		t.Fatal(err)
	}
	if got, want := b.Weight.Float64s(), a.Weight.Float64s(); !slices.Equal(got, want) {
		t.Errorf("loaded table %v, saved %v", got, want)
	}
}
