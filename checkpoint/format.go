package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/ptfile"
	"github.com/gograd/gograd/safetensors"
)

// Format is a checkpoint file format.
type Format string

const (
	// NPZ is NumPy's .npz archive, which numpy.load reads.
	NPZ Format = "npz"
	// Safetensors is Hugging Face's format, which safetensors.torch.load_file reads (see the
	// safetensors package).
	Safetensors Format = "safetensors"
	// PT is the zip archive that torch.save writes (a pickled state_dict; see the ptfile
	// package). It is read, not written.
	PT Format = "pt"
)

// errNoPTWrite is returned when asked to write a .pt file.
var errNoPTWrite = errors.New("writing PyTorch's .pt (pickle) files is not supported; write .safetensors, which torch loads with safetensors.torch.load_file")

// FormatOf returns the format of a checkpoint at path by its extension: Safetensors for
// ".safetensors", PT for ".pt" and ".pth", NPZ for ".npz" and for any extension not named here.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".safetensors":
		return Safetensors
	case ".pt", ".pth":
		return PT
	default:
		return NPZ
	}
}

// checkFormat panics naming op unless f is a format this package reads and writes.
func checkFormat(op string, f Format) {
	switch f {
	case NPZ, Safetensors, PT:
	default:
		ag.Panicf(op, ag.ErrValue, "unknown checkpoint format %q; want %q, %q or %q", f, NPZ, Safetensors, PT)
	}
}

// encode writes arrays to w in format f.
func encode(w io.Writer, f Format, arrays []npz.Array) error {
	switch f {
	case PT:
		return errNoPTWrite
	case NPZ:
		return npz.Write(w, arrays)
	}
	file := safetensors.File{Tensors: make([]safetensors.Tensor, len(arrays)), Metadata: map[string]string{"format": "pt"}}
	for i, a := range arrays {
		file.Tensors[i] = safetensors.Tensor{Name: a.Name, Shape: a.Shape, F64: a.F64, F32: a.F32, I64: a.I64}
	}
	return safetensors.Write(w, file)
}

// reader returns the readFunc of the checkpoint of format f and size bytes held in r; its
// errors name path unless it is "".
func reader(f Format, r io.ReaderAt, size int64, path string) readFunc {
	switch f {
	case Safetensors:
		return safetensorsReader(r, size, path)
	case PT:
		return ptReader(r, size, path)
	}
	return func(check func(header) error) ([]npz.Array, error) {
		arrays, err := npz.ReadChecked(r, size, func(h npz.Header) error {
			err := check(header{name: h.Name, dtype: h.Dtype, shape: h.Shape})
			if errors.Is(err, errSkip) {
				return npz.SkipArray
			}
			return err
		})
		var e *npz.Error
		if errors.As(err, &e) && path != "" {
			e.Path = path
		}
		return arrays, err
	}
}

func safetensorsReader(r io.ReaderAt, size int64, path string) readFunc {
	return func(check func(header) error) ([]npz.Array, error) {
		file, err := safetensors.ReadChecked(r, size, func(h safetensors.Header) error {
			err := check(header{name: h.Name, dtype: safetensors.NumPyName(h.Dtype), shape: h.Shape})
			if errors.Is(err, errSkip) {
				return safetensors.Skip
			}
			return err
		})
		var e *safetensors.Error
		if errors.As(err, &e) && path != "" {
			e.Path = path
		}
		if err != nil {
			return nil, err
		}
		arrays := make([]npz.Array, len(file.Tensors))
		for i, t := range file.Tensors {
			arrays[i] = npz.Array{Name: t.Name, Shape: t.Shape, F64: t.F64, F32: t.F32, I64: t.I64}
		}
		return arrays, nil
	}
}

// ptReader reads a torch.save archive. Its pickle must be read whole before any tensor is known,
// so the check sees every header after the storages are read; the ptfile package bounds what
// that costs by the file's size.
func ptReader(r io.ReaderAt, size int64, path string) readFunc {
	return func(check func(header) error) ([]npz.Array, error) {
		tensors, err := ptfile.Read(r, size)
		if err != nil {
			if path != "" {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return nil, err
		}
		arrays := make([]npz.Array, len(tensors))
		for i, t := range tensors {
			a := npz.Array{Name: t.Name, Shape: t.Shape, F64: t.F64, F32: t.F32, I64: t.I64}
			switch err := check(header{name: t.Name, dtype: safetensors.NumPyName(t.Dtype), shape: t.Shape}); {
			case errors.Is(err, errSkip):
				a.F64, a.F32, a.I64 = nil, nil, nil
			case err != nil:
				return nil, err
			}
			arrays[i] = a
		}
		return arrays, nil
	}
}
