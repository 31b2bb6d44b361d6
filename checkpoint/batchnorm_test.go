package checkpoint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
)

// torchBatchNormCase is what this package reads of a case of
// ../layers/testdata/torch_batchnorm_options.json (written by torch_batchnorm_options.py with
// PyTorch 1.13).
type torchBatchNormCase struct {
	Name          string
	Shape         []int
	Affine, Track bool
	TrainInputs   [][]float64 `json:"train_inputs"`
	StateDict     [][2]string `json:"state_dict"` // torch's state_dict keys and dtypes, in order
}

// TestBatchNormOptionsStateDict checks, for torch's cases of affine=False and
// track_running_stats=False (and the default), that a checkpoint holds the arrays of torch's
// state_dict, in its order and dtypes, and that Save then Load restores every parameter and
// buffer after the training steps, in each writable format.
func TestBatchNormOptionsStateDict(t *testing.T) {
	b, err := os.ReadFile("../layers/testdata/torch_batchnorm_options.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		BatchNorm []torchBatchNormCase `json:"batch_norm"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.BatchNorm) == 0 {
		t.Fatal("no cases")
	}
	newLayer := func(c torchBatchNormCase) *layers.BatchNorm {
		var opts []layers.Option
		if !c.Affine {
			opts = append(opts, layers.WithoutAffine())
		}
		if !c.Track {
			opts = append(opts, layers.WithoutRunningStats())
		}
		if len(c.Shape) == 4 {
			return layers.NewBatchNorm2d(c.Shape[1], opts...)
		}
		return layers.NewBatchNorm1d(c.Shape[1], opts...)
	}
	for _, c := range fx.BatchNorm {
		bn := newLayer(c)
		arrays, err := stateArrays("test", "", bn, nil)
		if err != nil {
			t.Fatal(err)
		}
		var state [][2]string
		for _, a := range arrays {
			state = append(state, [2]string{a.Name, a.Dtype()})
		}
		if !cmp.Equal(state, c.StateDict, cmpopts.EquateEmpty()) {
			t.Errorf("%s: checkpoint arrays (name, dtype) %v, want torch's state_dict %v", c.Name, state, c.StateDict)
		}
		tp := ag.NewTape()
		for _, in := range c.TrainInputs { // moves the buffers away from their initial values
			tp.Reset()
			bn.Forward(tp.Variable(in, c.Shape...))
		}
		for _, ext := range []string{".npz", ".safetensors"} {
			path := filepath.Join(t.TempDir(), "bn"+ext)
			if err := Save(path, bn); err != nil {
				t.Fatalf("%s: Save %s: %v", c.Name, ext, err)
			}
			dst := newLayer(c)
			if err := Load(path, dst); err != nil {
				t.Fatalf("%s: Load %s: %v", c.Name, ext, err)
			}
			want, got := namedState(bn), namedState(dst)
			if len(got) != len(want) {
				t.Fatalf("%s %s: %d arrays after Load, want %d", c.Name, ext, len(got), len(want))
			}
			for i := range want {
				if got[i].Name != want[i].Name || !cmp.Equal(got[i].Var.Float64s(), want[i].Var.Float64s()) {
					t.Errorf("%s %s: %s = %v after Load, want the saved %s = %v", c.Name, ext, got[i].Name, got[i].Var.Float64s(), want[i].Name, want[i].Var.Float64s())
				}
			}
		}
	}
}

// TestBatchNormCounterIsInt64InFiles checks that a saved num_batches_tracked is an int64 scalar
// in the file, as torch's state_dict holds it, so that torch's load_state_dict takes it as is.
func TestBatchNormCounterIsInt64InFiles(t *testing.T) {
	b := layers.NewBatchNorm1d(2)
	b.NumBatchesTracked.Data64()[0] = 1 << 40 // beyond int32 and float32's exact integers
	path := filepath.Join(t.TempDir(), "bn.npz")
	if err := Save(path, b); err != nil {
		t.Fatal(err)
	}
	arrays, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arrays {
		if a.Name != "num_batches_tracked" {
			continue
		}
		if a.Dtype() != "int64" || len(a.Shape) != 0 || len(a.I64) != 1 || a.I64[0] != 1<<40 {
			t.Errorf("num_batches_tracked in the file: %s %v %v, want int64 () [%d]", a.Dtype(), a.Shape, a.I64, int64(1)<<40)
		}
		return
	}
	t.Errorf("no num_batches_tracked among the saved arrays")
}
