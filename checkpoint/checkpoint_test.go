package checkpoint

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// trained returns a model and an Adam optimizer after two updates, so that both have
// non-trivial values and state.
func trained(t *testing.T, dt ag.DType) (*layers.MLP, *optim.Adam) {
	t.Helper()
	m := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(9), layers.WithDType(dt))
	opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		tp := ag.NewTape()
		x := tp.Const32([]float32{1, 2, 3, -1, 0.5, 0.25}, 2, 3)
		var in ag.Var = x
		if dt == ag.Float64 {
			in = tp.Const([]float64{1, 2, 3, -1, 0.5, 0.25}, 2, 3)
		}
		out := m.Forward(in)
		// Σ out² as the loss, built with the layer API only (layers must not import losses).
		loss := sumSquares(out)
		opt.ZeroGrad()
		if err := ag.Backward(loss); err != nil {
			t.Fatal(err)
		}
		opt.Step()
	}
	return m, opt
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		m, opt := trained(t, dt)
		path := filepath.Join(t.TempDir(), "model.npz")
		if err := Save(path, m, opt); err != nil {
			t.Fatalf("%v: %v", dt, err)
		}
		m2 := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(1), layers.WithDType(dt))
		opt2, err := optim.NewAdam(layers.Params(m2), optim.AdamConfig{LR: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if err := Load(path, m2, opt2); err != nil {
			t.Fatalf("%v: %v", dt, err)
		}
		for i, p := range m.NamedParams() {
			q := m2.NamedParams()[i]
			if !bitsEqual(p.Var, q.Var) {
				t.Errorf("%v %s: got %v after the round trip, want %v bit for bit", dt, p.Name, q.Var, p.Var)
			}
		}
		if got, want := opt2.State(), opt.State(); !cmp.Equal(got, want) {
			t.Errorf("%v: got optimizer state %v, want %v", dt, got, want)
		}
		arrays, err := npz.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range arrays {
			got = append(got, a.Name)
		}
		want := []string{"0.weight", "0.bias", "2.weight", "2.bias", "optim.lr",
			"optim.0.weight.step", "optim.0.weight.exp_avg", "optim.0.weight.exp_avg_sq",
			"optim.0.bias.step", "optim.0.bias.exp_avg", "optim.0.bias.exp_avg_sq",
			"optim.2.weight.step", "optim.2.weight.exp_avg", "optim.2.weight.exp_avg_sq",
			"optim.2.bias.step", "optim.2.bias.exp_avg", "optim.2.bias.exp_avg_sq"}
		if !cmp.Equal(got, want) {
			t.Errorf("%v: got arrays %q, want %q", dt, got, want)
		}
		// Without an optimizer the state in the file is ignored.
		if err := Load(path, layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithDType(dt))); err != nil {
			t.Errorf("%v: Load without optimizer: %v", dt, err)
		}
	}
}

func bitsEqual(a, b ag.Var) bool {
	x, y := a.Float64s(), b.Float64s()
	if len(x) != len(y) || a.DType() != b.DType() {
		return false
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	m, opt := trained(t, ag.Float64)
	good, raw, write := savedBytes(t, dir, "good.npz", m, opt)
	corrupt := append([]byte(nil), raw...)
	for i := 100; i < 300; i++ { // the first member's .npy header and data
		corrupt[i] ^= 0x5a
	}
	small := filepath.Join(dir, "small.npz")
	if err := Save(small, layers.NewMLP([]int{3, 2}, layers.Tanh{}, layers.SoftmaxHead)); err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(dir, "partial.npz")
	if err := Save(partial, layers.NewSequential(layers.NewLinear(3, 4))); err != nil {
		t.Fatal(err)
	}
	wide := filepath.Join(dir, "wide.npz")
	if err := Save(wide, layers.NewMLP([]int{3, 5, 2}, layers.Tanh{}, layers.SoftmaxHead)); err != nil {
		t.Fatal(err)
	}
	f32 := filepath.Join(dir, "f32.npz")
	if err := Save(f32, layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithDType(ag.Float32))); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(dir, "extra.npz")
	arrays, _ := npz.ReadFile(good)
	if err := npz.WriteFile(extra, append(arrays, npz.Float64("9.weight", []float64{1}, 1))); err != nil {
		t.Fatal(err)
	}
	badState := filepath.Join(dir, "badstate.npz")
	for i, a := range arrays {
		if a.Name == "optim.2.bias.exp_avg" {
			arrays[i].F64, arrays[i].Shape = []float64{1, 2, 3}, []int{3}
		}
	}
	if err := npz.WriteFile(badState, arrays); err != nil {
		t.Fatal(err)
	}
	incomplete := filepath.Join(dir, "incomplete.npz")
	var kept []npz.Array
	fresh, _ := npz.ReadFile(good)
	for _, a := range fresh {
		if a.Name != "optim.0.bias.exp_avg_sq" {
			kept = append(kept, a)
		}
	}
	if err := npz.WriteFile(incomplete, kept); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		path    string
		withOpt bool
		kind    error
		parts   []string // the message must name these
	}{
		{"missing file", filepath.Join(dir, "nope.npz"), false, fs.ErrNotExist, []string{"nope.npz"}},
		{"truncated", write("trunc.npz", raw[:len(raw)/2]), false, nil, []string{"trunc.npz"}},
		{"empty", write("empty.npz", nil), false, nil, []string{"empty.npz"}},
		{"corrupted", write("corrupt.npz", corrupt), false, nil, []string{"corrupt.npz"}},
		{"missing parameter", partial, false, ErrMissing, []string{"partial.npz", `"2.weight"`}},
		{"shape mismatch", wide, false, ErrMismatch, []string{"wide.npz", `"0.weight"`, "(5,3) in the file, (4,3) in the model"}},
		{"dtype mismatch", f32, false, ErrMismatch, []string{"f32.npz", `"0.weight"`, "dtype float32 in the file, float64 in the model"}},
		{"unexpected array", extra, false, ErrMismatch, []string{"extra.npz", `"9.weight"`}},
		{"no optimizer state", small, true, ErrMissing, []string{"small.npz"}},
		{"incomplete optimizer state", incomplete, true, optim.ErrState, []string{"incomplete.npz", "exp_avg_sq"}},
		{"bad optimizer state", badState, true, ErrMismatch, []string{"badstate.npz", `"optim.2.bias.exp_avg"`, "(3)", "(2)"}},
	}
	for _, c := range cases {
		target, topt := trained(t, ag.Float64)
		if c.name == "no optimizer state" {
			target = layers.NewMLP([]int{3, 2}, layers.Tanh{}, layers.SoftmaxHead)
			topt, _ = optim.NewAdam(layers.Params(target), optim.AdamConfig{LR: 1})
		}
		before, beforeState := values(target), topt.State()
		var err error
		if c.withOpt {
			err = Load(c.path, target, topt)
		} else {
			err = Load(c.path, target)
		}
		if err == nil {
			t.Errorf("%s: Load succeeded, want an error", c.name)
			continue
		}
		if c.kind != nil && !errors.Is(err, c.kind) {
			t.Errorf("%s: got error %v, want one wrapping %v", c.name, err, c.kind)
		}
		for _, part := range c.parts {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%s: got error %q, want it to name %s", c.name, err, part)
			}
		}
		if got := values(target); !cmp.Equal(got, before) {
			t.Errorf("%s: the model changed after a failed Load: got %v, want %v", c.name, got, before)
		}
		if got := topt.State(); !cmp.Equal(got, beforeState) {
			t.Errorf("%s: the optimizer changed after a failed Load", c.name)
		}
	}
}

// TestNumPyReads checks that numpy.load sees the names, shapes and values Save wrote. It is
// skipped when python3 with NumPy is not installed.
func TestNumPyReads(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import numpy").Run() != nil {
		if _, e := os.Stat("/usr/bin/python3"); e != nil || exec.Command("/usr/bin/python3", "-c", "import numpy").Run() != nil {
			t.Skip("python3 with NumPy is not installed")
		}
		py = "/usr/bin/python3"
	}
	m := layers.NewMLP([]int{3, 4, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(5))
	path := filepath.Join(t.TempDir(), "m.npz")
	if err := Save(path, m); err != nil {
		t.Fatal(err)
	}
	script := `import sys, numpy
d = numpy.load(sys.argv[1])
for k in d.files:
    a = d[k]
    print(k, a.dtype, a.shape, repr(float(a.sum())))`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy.load: %v\n%s", err, out)
	}
	var want strings.Builder
	tr := transposedVars(m)
	for _, p := range m.NamedParams() {
		s := 0.0
		for _, v := range p.Var.Float64s() {
			s += v
		}
		// numpy sees PyTorch's layout: a Linear weight (out, in).
		shape := strings.Trim(strings.ReplaceAll(ag.FormatShape(torchShape(p.Var, tr[p.Var])), ",", ", "), "()")
		if len(p.Var.Shape()) == 1 {
			shape += ","
		}
		want.WriteString(p.Name + " float64 (" + shape + ") " + pyRepr(s) + "\n")
	}
	if got := string(out); got != want.String() {
		t.Errorf("numpy.load printed\n%s\nwant\n%s", got, want.String())
	}
}
