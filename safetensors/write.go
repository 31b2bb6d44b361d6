package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/gograd/gograd/internal/atomicfile"

	ag "github.com/gograd/gograd/autograd"
)

// Write writes f to w as a safetensors file: each tensor as F64, F32 or I64 after the slice it
// holds, in the order of f.Tensors, and f.Metadata as "__metadata__" unless it is nil. Write
// returns an *Error naming the tensor if one does not hold exactly one data slice matching its
// shape, has a negative dimension, or shares its name with another or with "__metadata__".
func Write(w io.Writer, f File) error {
	hdr := make(map[string]any, len(f.Tensors)+1)
	if f.Metadata != nil {
		hdr[metadataKey] = f.Metadata
	}
	var at int64
	for _, t := range f.Tensors {
		dtype, n, err := t.check()
		if err != nil {
			return &Error{Tensor: t.Name, Err: err}
		}
		if _, dup := hdr[t.Name]; dup {
			return &Error{Tensor: t.Name, Err: ag.Errorf("", ErrHeader, "name occurs twice (or is %s)", metadataKey)}
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		end := at + int64(n*dtypeSizes[dtype])
		hdr[t.Name] = map[string]any{"dtype": dtype, "shape": shape, "data_offsets": [2]int64{at, end}}
		at = end
	}
	text, err := json.Marshal(hdr)
	if err != nil {
		return &Error{Err: err}
	}
	// Pad with spaces to a multiple of 8, as the reference writer, so that data stays aligned.
	text = append(text, bytes.Repeat([]byte{' '}, (8-len(text)%8)%8)...)
	var lenBytes [8]byte
	binary.LittleEndian.PutUint64(lenBytes[:], uint64(len(text)))
	if _, err := w.Write(append(lenBytes[:], text...)); err != nil {
		return &Error{Err: err}
	}
	var buf []byte
	for _, t := range f.Tensors {
		buf = buf[:0]
		le := binary.LittleEndian
		switch {
		case t.F64 != nil:
			for _, v := range t.F64 {
				buf = le.AppendUint64(buf, math.Float64bits(v))
			}
		case t.F32 != nil:
			for _, v := range t.F32 {
				buf = le.AppendUint32(buf, math.Float32bits(v))
			}
		default:
			for _, v := range t.I64 {
				buf = le.AppendUint64(buf, uint64(v))
			}
		}
		if _, err := w.Write(buf); err != nil {
			return &Error{Tensor: t.Name, Err: err}
		}
	}
	return nil
}

// WriteFile writes f to the file at path as Write does, replacing it atomically: a failed
// WriteFile leaves any previous file untouched (see npz.WriteFile for the details it shares).
func WriteFile(path string, f File) error {
	err := atomicfile.WriteFile(path, func(w io.Writer) error { return Write(w, f) })
	if e, ok := err.(*Error); ok {
		e.Path = path
		return e
	}
	if err != nil {
		return fmt.Errorf("safetensors: %s: %w", path, err)
	}
	return nil
}

// check returns the dtype to write t as and its number of elements, or an error.
func (t Tensor) check() (string, int, error) {
	dtype, set, n := "", 0, 0
	if t.F64 != nil {
		dtype, set, n = "F64", set+1, len(t.F64)
	}
	if t.F32 != nil {
		dtype, set, n = "F32", set+1, len(t.F32)
	}
	if t.I64 != nil {
		dtype, set, n = "I64", set+1, len(t.I64)
	}
	if set != 1 {
		return "", 0, ag.Errorf("", ErrDtype, "%d of F64, F32 and I64 are set, want exactly 1", set)
	}
	if len(t.Shape) > MaxRank {
		return "", 0, ag.Errorf("", ErrShape, "%d dimensions; at most %d", len(t.Shape), MaxRank)
	}
	want := 1
	for _, d := range t.Shape {
		if d < 0 || d != 0 && want > math.MaxInt/8/d {
			return "", 0, ag.Errorf("", ErrShape, "shape %v is negative or too large", t.Shape)
		}
		want *= d
	}
	if want != n {
		return "", 0, ag.Errorf("", ErrShape, "shape %v holds %d elements, data has %d", t.Shape, want, n)
	}
	return dtype, n, nil
}
