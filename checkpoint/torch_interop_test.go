package checkpoint_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
)

// The nets of testdata/torch_interop.py, as gograd Sequentials: weights of seed 99, which Load
// replaces.
var interopNets = map[string]func(dt ag.DType) *layers.Sequential{
	"mlp": func(dt ag.DType) *layers.Sequential {
		o := []layers.Option{layers.WithSeed(99), layers.WithDType(dt)}
		return layers.NewSequential(layers.NewLinear(4, 8, o...), layers.ReLU{}, layers.NewLinear(8, 3, o...))
	},
	"cnn": func(dt ag.DType) *layers.Sequential {
		o := []layers.Option{layers.WithSeed(99), layers.WithDType(dt)}
		return layers.NewSequential(layers.NewConv2d(2, 4, 3, append(o, layers.WithPadding(1))...), layers.ReLU{},
			layers.NewMaxPool2d(2), layers.NewFlatten(), layers.NewLinear(36, 5, o...))
	},
}

var interopDTypes = map[string]ag.DType{"f32": ag.Float32, "f64": ag.Float64}

// interopTolerance is how close gograd's outputs must be to torch's: float32 and float64 differ
// from torch only by the order of summation in the matrix products and convolutions, a few ulps
// of the outputs (of order 1).
var interopTolerance = map[ag.DType]float64{ag.Float32: 1e-6, ag.Float64: 1e-12}

// forward returns m's output on x (an array of io.npz), in evaluation mode.
func forward(m *layers.Sequential, x npz.Array) []float64 {
	layers.Eval(m)
	tp := ag.NewTape()
	var in ag.Var
	if x.F32 != nil {
		in = tp.Const32(x.F32, x.Shape...)
	} else {
		in = tp.Const(x.F64, x.Shape...)
	}
	return m.Forward(in).Float64s()
}

// readIO returns the arrays "x" and "y" of an _io.npz fixture.
func readIO(t *testing.T, path string) (x, y npz.Array) {
	t.Helper()
	arrays, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arrays {
		switch a.Name {
		case "x":
			x = a
		case "y":
			y = a
		}
	}
	return x, y
}

func values64(a npz.Array) []float64 {
	if a.F64 != nil {
		return a.F64
	}
	out := make([]float64, len(a.F32))
	for i, v := range a.F32 {
		out[i] = float64(v)
	}
	return out
}

// TestLoadTorchStateDict loads state_dicts that PyTorch 1.13 saved (testdata/torch_interop.py),
// as safetensors, .pt (torch.save) and .npz, into the equivalent gograd nets, and checks that
// they reproduce torch's outputs on fixed inputs.
func TestLoadTorchStateDict(t *testing.T) {
	for net, build := range interopNets {
		for dname, dt := range interopDTypes {
			base := filepath.Join("testdata", "torch_interop_"+net+"_"+dname)
			x, y := readIO(t, base+"_io.npz")
			for _, ext := range []string{".safetensors", ".pt", ".npz"} {
				m := build(dt)
				if err := checkpoint.Load(base+ext, m); err != nil {
					t.Errorf("%s %s%s: %v", net, dname, ext, err)
					continue
				}
				got := forward(m, x)
				if diff := cmp.Diff(values64(y), got, cmpopts.EquateApprox(0, interopTolerance[dt])); diff != "" {
					t.Errorf("%s %s%s: outputs differ from torch's (-torch +gograd):\n%s", net, dname, ext, diff)
				}
			}
		}
	}
}

// TestTorchLoadsGograd writes gograd nets (with the weights torch's fixtures hold, so that the
// outputs are not trivial) as safetensors and .npz, with inputs and gograd's outputs, and has
// testdata/torch_interop.py load them into torch with load_state_dict(strict=True) and compare
// its outputs. It is skipped, saying so, when /usr/bin/python3 cannot import torch.
func TestTorchLoadsGograd(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import torch").Run(); err != nil {
		t.Skipf("skipped: %s cannot import torch (%v); install Debian's python3-torch to run this test", py, err)
	}
	dir := t.TempDir()
	for net, build := range interopNets {
		for dname, dt := range interopDTypes {
			base := filepath.Join("testdata", "torch_interop_"+net+"_"+dname)
			x, _ := readIO(t, base+"_io.npz")
			m := build(dt)
			if err := checkpoint.Load(base+".npz", m); err != nil {
				t.Fatal(err)
			}
			// Perturb the weights gograd-side so that torch cannot pass by reading its own file.
			for _, p := range m.NamedParams() {
				for i := range p.Var.Len() {
					if dt == ag.Float32 {
						p.Var.Data32()[i] *= 1.5
					} else {
						p.Var.Data64()[i] *= 1.5
					}
				}
			}
			out := filepath.Join(dir, net+"_"+dname)
			for _, ext := range []string{".safetensors", ".npz"} {
				if err := checkpoint.Save(out+ext, m); err != nil {
					t.Fatal(err)
				}
			}
			y := forward(m, x)
			var yArr npz.Array
			if dt == ag.Float32 {
				y32 := make([]float32, len(y))
				for i, v := range y {
					y32[i] = float32(v)
				}
				yArr = npz.Float32("y", y32)
			} else {
				yArr = npz.Float64("y", y)
			}
			yArr.Shape = []int{x.Shape[0], len(y) / x.Shape[0]}
			if err := npz.WriteFile(out+"_io.npz", []npz.Array{x, yArr}); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command(py, "torch_interop.py", dir)
	cmd.Dir = "testdata"
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("torch could not load gograd's files or disagrees: %v\n%s", err, outb)
	}
	t.Logf("torch_interop.py:\n%s", outb)
}
