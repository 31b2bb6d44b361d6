package layers

import (
	"errors"
	"io"
	"path/filepath"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/npz"
)

// Format is a checkpoint file format.
type Format string

const (
	// NPZ is NumPy's .npz archive, which numpy.load reads.
	NPZ Format = "npz"
)

// FormatOf returns the format of a checkpoint at path by its extension: NPZ for ".npz" and for
// any extension not named here.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	default:
		return NPZ
	}
}

// checkFormat panics naming op unless f is a format this package reads and writes.
func checkFormat(op string, f Format) {
	switch f {
	case NPZ:
	default:
		ag.Panicf(op, ag.ErrValue, "unknown checkpoint format %q; want %q", f, NPZ)
	}
}

// encode writes arrays to w in format f.
func encode(w io.Writer, f Format, arrays []npz.Array) error {
	return npz.Write(w, arrays)
}

// reader returns the readFunc of the checkpoint of format f and size bytes held in r; its
// errors name path unless it is "".
func reader(f Format, r io.ReaderAt, size int64, path string) readFunc {
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
