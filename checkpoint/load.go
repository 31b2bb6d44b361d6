package checkpoint

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// header describes an array of a checkpoint before its data is read.
type header struct {
	name  string
	dtype string // NumPy's name: "float64", "float32", "float16", "bfloat16", "int64", ...
	shape []int
}

// errSkip, returned by the check given to a readFunc, leaves an array's data unread.
var errSkip = errors.New("skip this array")

// readFunc reads the arrays of a checkpoint, calling check with each array's header before its
// data is read. An array check skips is returned without data; any other error of check stops
// the read and is returned as it is (possibly wrapped). Floats narrower than float32 arrive as
// float32, integers as int64.
type readFunc func(check func(header) error) ([]npz.Array, error)

// batchesTracked is PyTorch's BatchNorm counter of training batches. Load reads it into a model
// that keeps it (see isCounter) and ignores it otherwise (a BatchNorm WithoutRunningStats, or a
// user's layer without the counter), so that a torch state_dict loads as it is.
const batchesTracked = "num_batches_tracked"

// load restores m, and o unless nil, from the checkpoint read reads; label names it in errors.
// It changes nothing unless everything fits.
//
// Parameters held transposed relative to PyTorch (see layers.TorchLayout) are expected in PyTorch's
// layout. A checkpoint written before gograd saved PyTorch's layout holds them in gograd's: it
// is recognised when a non-square one has gograd's shape, and then read as it is. A checkpoint
// whose transposed parameters are all square is taken to be in PyTorch's layout: its shapes
// cannot tell.
func load(op, label string, read readFunc, m layers.Model, o optim.Stateful) error {
	ps := namedState(m)
	tr := transposedVars(m)
	byVar := make(map[string]ag.Var, len(ps))
	largest := 1 // optimizer-wide values are scalars
	for _, p := range ps {
		byVar[p.Name] = p.Var
		largest = max(largest, p.Var.Len())
	}
	var torchSeen, legacySeen string // a parameter in each layout, if any
	var early error
	arrays, err := read(func(h header) error {
		if v, ok := byVar[h.name]; ok {
			if isCounter(h.name, v) {
				if err := matchCounter(h.shape, h.dtype); err != nil {
					early = ag.Errorf(op, ErrMismatch, "%s: buffer %q: %v", label, h.name, err)
				}
				return early
			}
			if err := matchHeader(h, v, tr[v]); err != nil {
				early = ag.Errorf(op, ErrMismatch, "%s: parameter %q: %v", label, h.name, err)
				return early
			}
			if s := v.Shape(); tr[v] && s[0] != s[1] {
				if slices.Equal(h.shape, s) {
					legacySeen = h.name
				} else {
					torchSeen = h.name
				}
			}
			return nil
		}
		if !strings.HasPrefix(h.name, optimPrefix) || o == nil {
			return errSkip
		}
		if n := elements(h.shape); n > largest {
			early = ag.Errorf(op, ErrMismatch, "%s: array %q of shape %s has more elements than any parameter of the model (%d at most)", label, h.name, ag.FormatShape(h.shape), largest)
			return early
		}
		return nil
	})
	if early != nil {
		return early
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if torchSeen != "" && legacySeen != "" {
		return ag.Errorf(op, ErrMismatch, "%s: parameter %q is in PyTorch's layout and %q in gograd's (transposed); a checkpoint holds one", label, torchSeen, legacySeen)
	}
	legacy := legacySeen != ""
	fileShape := func(v ag.Var) []int { return torchShape(v, tr[v] && !legacy) }

	byName := make(map[string]npz.Array, len(arrays))
	for _, a := range arrays {
		byName[a.Name] = a
	}
	used := make(map[string]bool, len(ps))
	for _, p := range ps {
		a, ok := byName[p.Name]
		if isCounter(p.Name, p.Var) {
			if ok { // missing, it loads as 0
				if err := matchCounter(a.Shape, a.Dtype()); err != nil {
					return ag.Errorf(op, ErrMismatch, "%s: buffer %q: %v", label, p.Name, err)
				}
				used[p.Name] = true
			}
			continue
		}
		if !ok {
			return ag.Errorf(op, ErrMissing, "%s: no array for parameter %q; the file holds %s", label, p.Name, arrayNames(arrays))
		}
		if err := match(a.Shape, fileShape(p.Var), a.Dtype(), p.Var); err != nil {
			return ag.Errorf(op, ErrMismatch, "%s: parameter %q: %v", label, p.Name, err)
		}
		used[p.Name] = true
	}
	var names []string
	if o != nil {
		var err error
		if names, err = optNames(op, label, ps, o); err != nil {
			return err
		}
	}
	var entries []optim.StateEntry
	for _, a := range arrays {
		if used[a.Name] {
			continue
		}
		rest, ok := strings.CutPrefix(a.Name, optimPrefix)
		if !ok {
			if a.Name == batchesTracked || strings.HasSuffix(a.Name, "."+batchesTracked) {
				continue
			}
			return ag.Errorf(op, ErrMismatch, "%s: array %q is not a parameter of the model", label, a.Name)
		}
		if o == nil {
			continue
		}
		if a.I64 != nil {
			return ag.Errorf(op, ErrMismatch, "%s: array %q holds integers; want floats", label, a.Name)
		}
		e := optim.StateEntry{Param: -1, Key: rest, Shape: a.Shape, F64: a.F64, F32: a.F32}
		if len(e.Shape) == 0 {
			e.Shape = nil
		}
		if i := strings.LastIndexByte(rest, '.'); i >= 0 {
			e.Key = rest[i+1:]
			name := rest[:i]
			j := slices.Index(names, name)
			if j < 0 {
				return ag.Errorf(op, ErrMismatch, "%s: array %q: %q is not a parameter the optimizer updates", label, a.Name, name)
			}
			e.Param = j
			v := o.Params()[j]
			if want := fileShape(v); e.Key != "step" && !slices.Equal(e.Shape, want) {
				return ag.Errorf(op, ErrMismatch, "%s: array %q has shape %s; parameter %q has shape %s", label, a.Name, ag.FormatShape(e.Shape), name, ag.FormatShape(want))
			}
			if tr[v] && !legacy && e.Key != "step" {
				t := transposedArray("", e.Shape, e.F64, e.F32)
				e.Shape, e.F64, e.F32 = t.Shape, t.F64, t.F32
			}
		}
		entries = append(entries, e)
	}
	if o != nil {
		if len(entries) == 0 {
			return ag.Errorf(op, ErrMissing, "%s: no optimizer state (no %q arrays)", label, optimPrefix+"*")
		}
		if err := o.SetState(entries); err != nil {
			return fmt.Errorf("%s: %s: %w", op, label, err)
		}
	}
	for _, p := range ps {
		a := byName[p.Name]
		s := fileShape(p.Var)
		switch {
		case isCounter(p.Name, p.Var):
			p.Var.Data64()[0] = 0
			if len(a.I64) == 1 {
				p.Var.Data64()[0] = float64(a.I64[0])
			}
		case p.Var.DType() == ag.Float32 && tr[p.Var] && !legacy:
			transposeInto(p.Var.Data32(), a.F32, s[0], s[1])
		case p.Var.DType() == ag.Float32:
			copy(p.Var.Data32(), a.F32)
		case tr[p.Var] && !legacy:
			transposeInto(p.Var.Data64(), a.F64, s[0], s[1])
		default:
			copy(p.Var.Data64(), a.F64)
		}
	}
	return nil
}

// elements returns the product of shape, which the readers have checked does not overflow.
func elements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// matchHeader returns an error unless an array with header h can be v's: of v's dtype, or a
// narrower float for a float32 v, and of v's shape in PyTorch's layout or, for a transposed v,
// in gograd's.
func matchHeader(h header, v ag.Var, transposed bool) error {
	if err := matchDtype(h.dtype, v); err != nil {
		return err
	}
	want := torchShape(v, transposed)
	if slices.Equal(h.shape, want) || transposed && slices.Equal(h.shape, v.Shape()) {
		return nil
	}
	return shapeError(h.shape, want, v, transposed)
}

// match returns an error unless an array of the given shape and dtype fits v, whose shape in the
// file is want.
func match(shape, want []int, dtype string, v ag.Var) error {
	if !slices.Equal(shape, want) {
		return shapeError(shape, want, v, !slices.Equal(want, v.Shape()))
	}
	return matchDtype(dtype, v)
}

func shapeError(got, want []int, v ag.Var, transposed bool) error {
	if transposed {
		return fmt.Errorf("shape %s in the file, %s in the model (PyTorch's layout; gograd holds it as %s)", ag.FormatShape(got), ag.FormatShape(want), ag.FormatShape(v.Shape()))
	}
	return fmt.Errorf("shape %s in the file, %s in the model", ag.FormatShape(got), ag.FormatShape(want))
}

// matchDtype returns an error unless an array of dtype can be loaded into v: the same dtype, or
// float16 or bfloat16 (which readers widen to float32) for a float32 v.
func matchDtype(dtype string, v ag.Var) error {
	want := "float64"
	if v.DType() == ag.Float32 {
		want = "float32"
		if dtype == "float16" || dtype == "bfloat16" {
			return nil
		}
	}
	if dtype != want {
		return fmt.Errorf("dtype %s in the file, %s in the model", dtype, want)
	}
	return nil
}
