package layers

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// optimPrefix starts the names of optimizer state in a checkpoint.
const optimPrefix = "optim."

// Save writes the named parameters and buffers (see Buffers) of m to the NumPy .npz archive at
// path, one array per parameter or buffer under its name (such as "0.weight" or
// "1.running_mean") with its shape and dtype, so that numpy.load reads the same names and shapes. With an optimizer, its state is saved too: an
// optimizer-wide value as "optim.KEY" (such as "optim.lr") and a parameter's as
// "optim.NAME.KEY" (such as "optim.0.weight.exp_avg"). The file is replaced atomically: a failed
// Save leaves any previous file untouched. An existing file keeps its permission bits, a symbolic
// link keeps pointing at the file it names, and temporaries left by a killed Save are cleaned up
// (see npz.WriteFile).
//
// Save returns an error naming the file if it cannot be written, and one wrapping ErrMismatch
// if the optimizer updates a parameter that is not m's. It panics with an *autograd.Error
// wrapping autograd.ErrValue if m or the optimizer is nil (a nil pointer included) or more than
// one optimizer is given.
func Save(path string, m Model, opt ...optim.Stateful) error {
	const op = "layers.Save"
	checkModule(op, m)
	o := oneOpt(op, opt)
	ps := namedState(m)
	arrays := make([]npz.Array, 0, len(ps))
	for _, p := range ps {
		arrays = append(arrays, toArray(p.Name, p.Var.Shape(), p.Var))
	}
	if o != nil {
		names, err := optNames(op, path, ps, o)
		if err != nil {
			return err
		}
		for _, e := range o.State() {
			name := optimPrefix + e.Key
			if e.Param >= 0 {
				name = optimPrefix + names[e.Param] + "." + e.Key
			}
			a := npz.Array{Name: name, Shape: e.Shape, F64: e.F64, F32: e.F32}
			if a.Shape == nil {
				a.Shape = []int{}
			}
			arrays = append(arrays, a)
		}
	}
	if err := npz.WriteFile(path, arrays); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Load reads the parameters and buffers of m, and the state of the optimizer if one is given,
// from the .npz archive at path written by Save (or by numpy.savez with the same names). Values
// are copied bit for bit; a buffer is checked and copied as a parameter is.
//
// Load checks everything before changing anything: if the file is missing, truncated or
// corrupted, if a parameter of m is missing from it (ErrMissing), if an array's shape or dtype
// differs from its parameter's or the file holds an array m has no parameter for
// (ErrMismatch), or if the optimizer state does not fit (ErrMismatch or optim.ErrState), it returns an error
// naming the file and the parameter and leaves m and the optimizer unchanged. Optimizer state
// in the file is ignored when no optimizer is given. Load panics with an *autograd.Error
// wrapping autograd.ErrValue if m or the optimizer is nil (a nil pointer included) or more than
// one optimizer is given.
func Load(path string, m Model, opt ...optim.Stateful) error {
	const op = "layers.Load"
	checkModule(op, m)
	o := oneOpt(op, opt)
	ps := namedState(m)
	arrays, err := readChecked(op, path, ps, o != nil)
	if err != nil {
		return err
	}
	byName := make(map[string]npz.Array, len(arrays))
	for _, a := range arrays {
		byName[a.Name] = a
	}
	used := make(map[string]bool, len(ps))
	for _, p := range ps {
		a, ok := byName[p.Name]
		if !ok {
			return newError(op, ErrMissing, "%s: no array for parameter %q; the file holds %s", path, p.Name, arrayNames(arrays))
		}
		if err := match(a.Shape, a.Dtype(), p.Var); err != nil {
			return newError(op, ErrMismatch, "%s: parameter %q: %v", path, p.Name, err)
		}
		used[p.Name] = true
	}
	var names []string
	if o != nil {
		if names, err = optNames(op, path, ps, o); err != nil {
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
			return newError(op, ErrMismatch, "%s: array %q is not a parameter of the model", path, a.Name)
		}
		if o == nil {
			continue
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
				return newError(op, ErrMismatch, "%s: array %q: %q is not a parameter the optimizer updates", path, a.Name, name)
			}
			e.Param = j
			if shape := o.Params()[j].Shape(); e.Key != "step" && !slices.Equal(e.Shape, shape) {
				return newError(op, ErrMismatch, "%s: array %q has shape %s; parameter %q has shape %s", path, a.Name, ag.FormatShape(e.Shape), name, ag.FormatShape(shape))
			}
		}
		if a.I64 != nil {
			return newError(op, ErrMismatch, "%s: array %q holds integers; want floats", path, a.Name)
		}
		entries = append(entries, e)
	}
	if o != nil {
		if len(entries) == 0 {
			return newError(op, ErrMissing, "%s: no optimizer state (no %q arrays)", path, optimPrefix+"*")
		}
		if err := o.SetState(entries); err != nil {
			return fmt.Errorf("%s: %s: %w", op, path, err)
		}
	}
	for _, p := range ps {
		a := byName[p.Name]
		if p.Var.DType() == ag.Float32 {
			copy(p.Var.Data32(), a.F32)
		} else {
			copy(p.Var.Data64(), a.F64)
		}
	}
	return nil
}

// toArray returns an npz array named name sharing v's data.
// arrayNames lists the names of arrays, quoted, up to 8 of them.
func arrayNames(arrays []npz.Array) string {
	if len(arrays) == 0 {
		return "no arrays"
	}
	var b strings.Builder
	for i, a := range arrays {
		if i == 8 {
			fmt.Fprintf(&b, " and %d more", len(arrays)-8)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", a.Name)
	}
	return b.String()
}

func toArray(name string, shape []int, v ag.Var) npz.Array {
	shape = slices.Clone(shape)
	if shape == nil {
		shape = []int{}
	}
	if v.DType() == ag.Float32 {
		return npz.Float32(name, v.Data32(), shape...)
	}
	return npz.Float64(name, v.Data64(), shape...)
}

// readChecked reads the arrays of the checkpoint at path, rejecting from its header, before its
// data is decoded, an array that cannot belong in a checkpoint of the model with parameters ps:
// a parameter's of another shape or dtype, and optimizer state larger than the largest parameter.
// An array that is neither a parameter nor optimizer state, and optimizer state when withOpt is
// false, is skipped (returned without data; Load reports the first). A crafted file therefore
// costs no more memory than the model's own parameters, whatever sizes it declares.
func readChecked(op, path string, ps []Param, withOpt bool) ([]npz.Array, error) {
	byName := make(map[string]ag.Var, len(ps))
	largest := 1 // optimizer-wide values are scalars
	for _, p := range ps {
		byName[p.Name] = p.Var
		largest = max(largest, p.Var.Len())
	}
	var early error
	arrays, err := npz.ReadFileChecked(path, func(h npz.Header) error {
		if v, ok := byName[h.Name]; ok {
			if err := match(h.Shape, h.Dtype, v); err != nil {
				early = newError(op, ErrMismatch, "%s: parameter %q: %v", path, h.Name, err)
			}
		} else if !strings.HasPrefix(h.Name, optimPrefix) || !withOpt {
			return npz.SkipArray
		} else if h.Len() > largest {
			early = newError(op, ErrMismatch, "%s: array %q of shape %s has more elements than any parameter of the model (%d at most)", path, h.Name, ag.FormatShape(h.Shape), largest)
		}
		return early
	})
	if early != nil {
		return nil, early
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return arrays, nil
}

// match returns an error unless an array of the given shape and dtype fits v.
func match(shape []int, dtype string, v ag.Var) error {
	if !slices.Equal(shape, v.Shape()) {
		return fmt.Errorf("shape %s in the file, %s in the model", ag.FormatShape(shape), ag.FormatShape(v.Shape()))
	}
	want := "float64"
	if v.DType() == ag.Float32 {
		want = "float32"
	}
	if got := dtype; got != want {
		return fmt.Errorf("dtype %s in the file, %s in the model", got, want)
	}
	return nil
}

// optNames returns the model's name of every parameter the optimizer updates.
func optNames(op, path string, ps []Param, o optim.Stateful) ([]string, error) {
	var names []string
	for i, v := range o.Params() {
		j := slices.IndexFunc(ps, func(p Param) bool { return p.Var == v })
		if j < 0 {
			return nil, newError(op, ErrMismatch, "%s: optimizer parameter %d is not a parameter of the model", path, i)
		}
		names = append(names, ps[j].Name)
	}
	return names, nil
}

func oneOpt(op string, opt []optim.Stateful) optim.Stateful {
	switch len(opt) {
	case 0:
		return nil
	case 1:
		if isNil(opt[0]) {
			ag.Panicf(op, ag.ErrValue, "nil optimizer (%T); pass none to leave the optimizer out", opt[0])
		}
		return opt[0]
	}
	ag.Panicf(op, ag.ErrValue, "%d optimizers; want at most 1", len(opt))
	return nil
}

// checkModule panics naming op if m is nil or a nil pointer.
func checkModule(op string, m Model) {
	if isNil(m) {
		ag.Panicf(op, ag.ErrValue, "nil model (%T)", m)
	}
}

// isNil reports whether v is nil or holds a nil pointer, map, slice or func.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return r.IsNil()
	}
	return false
}
