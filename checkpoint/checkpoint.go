package checkpoint

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/atomicfile"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// optimPrefix starts the names of optimizer state in a checkpoint.
const optimPrefix = "optim."

// Save writes the named parameters and buffers (see layers.Buffers) of m to the checkpoint at
// path, in the format of its extension (see FormatOf): a NumPy .npz archive, which numpy.load
// reads, or a .safetensors file. Every parameter and buffer is stored under its name (such as
// "0.weight" or "1.running_mean") with PyTorch's shape and gograd's dtype, so that the
// equivalent torch.nn.Module's load_state_dict takes them: a parameter gograd holds transposed
// (Linear's weight, see layers.TorchLayout) is written transposed. With an optimizer, its state
// is saved too: an optimizer-wide value as "optim.KEY" (such as "optim.lr") and a parameter's as
// "optim.NAME.KEY" (such as "optim.0.weight.exp_avg", in its parameter's layout). The file is
// replaced atomically: a failed Save leaves any previous file untouched. An existing file keeps
// its permission bits, a symbolic link keeps pointing at the file it names, and temporaries left
// by a killed Save are cleaned up (see npz.WriteFile).
//
// Save returns an error naming the file if it cannot be written, and one wrapping ErrMismatch
// if the optimizer updates a parameter that is not m's. It panics with an *autograd.Error
// wrapping autograd.ErrValue if m or the optimizer is nil (a nil pointer included) or more than
// one optimizer is given.
func Save(path string, m layers.Model, opt ...optim.Stateful) error {
	const op = "checkpoint.Save"
	checkModule(op, m)
	o := oneOpt(op, opt)
	if FormatOf(path) == PT {
		return fmt.Errorf("%s: %s: %w", op, path, errNoPTWrite)
	}
	arrays, err := stateArrays(op, path, m, o)
	if err != nil {
		return err
	}
	err = atomicfile.WriteFile(path, func(w io.Writer) error { return encode(w, FormatOf(path), arrays) })
	if err != nil {
		return fmt.Errorf("%s: %s: %w", op, path, err)
	}
	return nil
}

// SaveTo writes the checkpoint Save writes to w, in format f (NPZ or Safetensors: PT is read
// only).
//
// SaveTo returns the error of w, errors as Save, and one for PT. It panics as Save does, and if
// f is not a Format of this package.
func SaveTo(w io.Writer, f Format, m layers.Model, opt ...optim.Stateful) error {
	const op = "checkpoint.SaveTo"
	checkModule(op, m)
	checkFormat(op, f)
	o := oneOpt(op, opt)
	arrays, err := stateArrays(op, string(f)+" stream", m, o)
	if err != nil {
		return err
	}
	if err := encode(w, f, arrays); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Load reads the parameters and buffers of m, and the state of the optimizer if one is given,
// from the checkpoint at path, in the format of its extension (see FormatOf), written by Save or
// by PyTorch (a state_dict saved with torch.save, numpy.savez or safetensors) with the same
// names. Values are
// copied bit for bit, but for float16 and bfloat16 arrays, which load into float32 parameters.
// Parameters held transposed relative to PyTorch (see layers.TorchLayout) are transposed on the way
// in. A checkpoint written by gograd before it saved PyTorch's layout is recognised by its
// shapes, and loads as before, unless all of its transposed parameters are square: their
// shapes do not tell, and PyTorch's layout is assumed. A buffer is checked and copied as a
// parameter is; BatchNorm's "num_batches_tracked", which gograd does not keep, is ignored.
//
// Load checks everything before changing anything: if the file is missing, truncated or
// corrupted, if a parameter of m is missing from it (ErrMissing), if an array's shape or dtype
// differs from its parameter's or the file holds an array m has no parameter for
// (ErrMismatch), or if the optimizer state does not fit (ErrMismatch or optim.ErrState), it
// returns an error naming the file and the parameter and leaves m and the optimizer unchanged.
// An array is checked from its header, before its data is read, so that a file declaring huge
// arrays costs no more memory than the model's parameters. Optimizer state in the file is
// ignored when no optimizer is given. Load panics with an *autograd.Error wrapping
// autograd.ErrValue if m or the optimizer is nil (a nil pointer included) or more than one
// optimizer is given.
func Load(path string, m layers.Model, opt ...optim.Stateful) error {
	const op = "checkpoint.Load"
	checkModule(op, m)
	o := oneOpt(op, opt)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return load(op, path, reader(FormatOf(path), f, fi.Size(), path), m, o)
}

// LoadFrom reads the checkpoint of format f and size bytes held in r (an *os.File, a
// *bytes.Reader) into m and the optimizer, as Load does.
//
// LoadFrom returns errors as Load, and panics as Load does and if f is not a Format of this
// package.
func LoadFrom(r io.ReaderAt, size int64, f Format, m layers.Model, opt ...optim.Stateful) error {
	const op = "checkpoint.LoadFrom"
	checkModule(op, m)
	checkFormat(op, f)
	o := oneOpt(op, opt)
	label := string(f) + " input"
	return load(op, label, reader(f, r, size, ""), m, o)
}

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

// optNames returns the model's name of every parameter the optimizer updates.
func optNames(op, path string, ps []layers.Param, o optim.Stateful) ([]string, error) {
	var names []string
	for i, v := range o.Params() {
		j := slices.IndexFunc(ps, func(p layers.Param) bool { return p.Var == v })
		if j < 0 {
			return nil, ag.Errorf(op, ErrMismatch, "%s: optimizer parameter %d is not a parameter of the model", path, i)
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
func checkModule(op string, m layers.Model) {
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
