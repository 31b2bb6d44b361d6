package safetensors

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// MaxHeader is the longest JSON header Read accepts, as the reference implementation: 100 MB.
const MaxHeader = 100_000_000

// MaxRank is the largest number of dimensions Read accepts.
const MaxRank = 32

// Tensor is a named n-dimensional array in row-major order. Exactly one of F64, F32 and I64
// holds its elements; its length is the product of Shape (1 for a scalar, of empty Shape).
type Tensor struct {
	Name string
	// Dtype is the dtype of the file ("F64", "F32", "F16", "BF16", "I64", "I32", "U8", "BOOL",
	// ...); Write ignores it and stores the dtype of the slice set.
	Dtype string
	Shape []int
	F64   []float64
	F32   []float32 // F32, and F16 and BF16 widened
	I64   []int64   // every integer dtype and BOOL, widened
}

// Header describes a tensor as the file's header declares it, before its data is read.
type Header struct {
	Name  string
	Dtype string // as in the file: "F32", "BF16", ...
	Shape []int  // must not be modified
}

// Len returns the number of elements h declares.
func (h Header) Len() int {
	n := 1
	for _, d := range h.Shape {
		n *= d // cannot overflow: Read checks the product against the byte length first
	}
	return n
}

// Skip, returned by the check of ReadChecked, leaves a tensor's data unread: the tensor is
// returned with its Name, Dtype and Shape and nil data.
var Skip = errors.New("safetensors: skip this tensor")

// File is the content of a safetensors file: its tensors, in the order of their data, and the
// string map of its "__metadata__" entry (nil if it has none).
type File struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// Read reads the safetensors file of size bytes held in r.
//
// Read treats the file as hostile: the header may not be longer than MaxHeader or than the
// file; data_offsets must lie inside the data, cover it with neither gap nor overlap, and hold
// exactly their tensor's shape × dtype size of bytes; ranks may not exceed MaxRank; unknown
// dtypes are errors. Nothing is allocated before these checks but the header, so reading costs
// at most a small multiple of the file's real size. Errors are *Error values naming the tensor
// at fault.
func Read(r io.ReaderAt, size int64) (File, error) { return ReadChecked(r, size, nil) }

// ReadChecked is Read calling check, when it is not nil, with the header of every tensor (in
// data order) once the whole header is checked, before any data is read: Skip leaves the
// tensor's data unread, any other non-nil error stops the read and is returned as the Err of an
// *Error naming the tensor.
func ReadChecked(r io.ReaderAt, size int64, check func(Header) error) (File, error) {
	f, err := read(r, size, check)
	if err != nil {
		return File{}, err
	}
	return f, nil
}

// ReadFile reads the safetensors file at path. Errors name the path.
func ReadFile(path string) (File, error) { return ReadFileChecked(path, nil) }

// ReadFileChecked is ReadFile calling check as ReadChecked does.
func ReadFileChecked(path string, check func(Header) error) (File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("safetensors: %w", err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return File{}, fmt.Errorf("safetensors: %w", err)
	}
	f, rerr := read(fh, fi.Size(), check)
	if rerr != nil {
		rerr.Path = path
		return File{}, rerr
	}
	return f, nil
}

const metadataKey = "__metadata__"

func read(r io.ReaderAt, size int64, check func(Header) error) (File, *Error) {
	fail := func(name string, kind error, format string, args ...any) (File, *Error) {
		return File{}, &Error{Tensor: name, Err: ag.Errorf("", kind, format, args...)}
	}
	if size < 8 {
		return fail("", ErrHeader, "file of %d bytes; the header length alone takes 8", size)
	}
	var lenBytes [8]byte
	if _, err := r.ReadAt(lenBytes[:], 0); err != nil {
		return File{}, &Error{Err: err}
	}
	n := binary.LittleEndian.Uint64(lenBytes[:])
	if n > MaxHeader || n > uint64(size-8) {
		return fail("", ErrHeader, "header of %d bytes declared; the file has %d after the length (and at most %d are read)", n, size-8, MaxHeader)
	}
	text := make([]byte, n)
	if _, err := r.ReadAt(text, 8); err != nil {
		return File{}, &Error{Err: err}
	}
	if n == 0 || text[0] != '{' {
		return fail("", ErrHeader, "header does not start with '{'")
	}
	records, meta, rerr := parseHeader(text)
	if rerr != nil {
		return File{}, rerr
	}
	dataLen := size - 8 - int64(n)
	for _, rec := range records {
		b, end := rec.begin, rec.end
		if b < 0 || end < b || end > dataLen {
			return fail(rec.name, ErrOffsets, "data_offsets [%d, %d] outside the %d bytes of data", b, end, dataLen)
		}
		// The product of the shape times the element size must equal end − b, which is at most
		// the file size: checking each step against it keeps the product from overflowing.
		bytes := int64(dtypeSizes[rec.dtype])
		for _, d := range rec.shape {
			if d != 0 && bytes > (end-b)/int64(d) {
				return fail(rec.name, ErrShape, "shape %v of %s needs more than the %d bytes of data_offsets [%d, %d]", rec.shape, rec.dtype, end-b, b, end)
			}
			bytes *= int64(d)
		}
		if bytes != end-b {
			return fail(rec.name, ErrShape, "shape %v of %s needs %d bytes; data_offsets [%d, %d] hold %d", rec.shape, rec.dtype, bytes, b, end, end-b)
		}
	}
	slices.SortFunc(records, func(x, y record) int { return strings.Compare(x.name, y.name) })
	for k := 1; k < len(records); k++ {
		if records[k].name == records[k-1].name {
			return fail(records[k].name, ErrHeader, "name occurs twice")
		}
	}
	// In data order (ties, empty tensors, by name), each tensor must start where the last ended.
	slices.SortFunc(records, func(x, y record) int {
		if c := cmp.Compare(x.begin, y.begin); c != 0 {
			return c
		}
		return strings.Compare(x.name, y.name)
	})
	sorted := make([]Tensor, len(records))
	at := int64(0)
	for k, rec := range records {
		if b := rec.begin; b != at {
			what := "overlaps the tensor before it"
			if b > at {
				what = "leaves a gap after the tensor before it"
			}
			return fail(rec.name, ErrOffsets, "data starts at %d, where %d was expected: it %s", b, at, what)
		}
		at = rec.end
		sorted[k] = Tensor{Name: rec.name, Dtype: rec.dtype, Shape: rec.shape}
	}
	if at != dataLen {
		return fail("", ErrOffsets, "tensors cover %d bytes of data; the file holds %d", at, dataLen)
	}
	skip := make([]bool, len(sorted))
	if check != nil {
		for k, t := range sorted {
			switch err := check(Header{Name: t.Name, Dtype: t.Dtype, Shape: t.Shape}); {
			case errors.Is(err, Skip):
				skip[k] = true
			case err != nil:
				return File{}, &Error{Tensor: t.Name, Err: err}
			}
		}
	}
	base := 8 + int64(n)
	for k := range sorted {
		if skip[k] {
			continue
		}
		raw := make([]byte, records[k].end-records[k].begin)
		if _, err := r.ReadAt(raw, base+records[k].begin); err != nil && len(raw) > 0 {
			return File{}, &Error{Tensor: sorted[k].Name, Err: err}
		}
		decode(&sorted[k], raw)
		if sorted[k].Shape == nil {
			sorted[k].Shape = []int{}
		}
	}
	return File{Tensors: slices.Clip(sorted), Metadata: meta}, nil
}
