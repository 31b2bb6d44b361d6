package npz

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// chunk is the number of bytes decoded or encoded at a time. Reading in
// chunks lets memory grow with the data actually present rather than with
// the size a possibly corrupted header declares.
const chunk = 8 << 10

// readNpy reads a .npy file of size bytes from r into a. The array data
// must end exactly at the end of r. The array's storage is allocated at
// once if it needs at most trust bytes or check (when not nil) accepted
// its header, and otherwise grown as the data arrives.
func readNpy(r io.Reader, size, trust int64, name string, check func(Header) error) (Array, error) {
	h, read, err := readHeader(r, size)
	if err != nil {
		return Array{}, err
	}
	n, err := numElements(h.shape, math.MaxInt/h.dtype.size)
	if err != nil {
		return Array{}, err
	}
	want := int64(n) * int64(h.dtype.size)
	if want > size-read {
		return Array{}, errorf(ErrTruncated, fmt.Sprintf("shape %v of %s needs %d bytes, the file has %d after the header", h.shape, h.dtype.name, want, size-read))
	}
	if check != nil {
		switch err := check(Header{Name: name, Dtype: h.dtype.name, Shape: h.shape}); {
		case err == SkipArray:
			return Array{Shape: h.shape}, nil
		case err != nil:
			return Array{}, err
		}
		trust = want
	}
	prealloc := n
	if want > trust {
		prealloc = int(trust) / h.dtype.size
	}
	var order binary.ByteOrder = binary.LittleEndian
	if h.bigEndian {
		order = binary.BigEndian
	}
	a := Array{Shape: h.shape}
	switch h.dtype {
	case float64Type:
		a.F64, err = readElems(r, n, prealloc, 8, order, func(b []byte, o binary.ByteOrder) float64 { return math.Float64frombits(o.Uint64(b)) })
	case float32Type:
		a.F32, err = readElems(r, n, prealloc, 4, order, func(b []byte, o binary.ByteOrder) float32 { return math.Float32frombits(o.Uint32(b)) })
	case int64Type:
		a.I64, err = readElems(r, n, prealloc, 8, order, func(b []byte, o binary.ByteOrder) int64 { return int64(o.Uint64(b)) })
	}
	if err != nil {
		return Array{}, err
	}
	// Reading past the end lets the zip reader verify the checksum.
	var extra [1]byte
	switch k, err := io.ReadFull(r, extra[:]); {
	case k > 0:
		return Array{}, errorf(ErrShape, fmt.Sprintf("data continues after the %d elements of shape %v", n, h.shape))
	case err != io.EOF:
		return Array{}, err
	}
	if h.fortran {
		switch {
		case a.F64 != nil:
			a.F64 = toRowMajor(a.F64, h.shape)
		case a.F32 != nil:
			a.F32 = toRowMajor(a.F32, h.shape)
		case a.I64 != nil:
			a.I64 = toRowMajor(a.I64, h.shape)
		}
	}
	return a, nil
}

// readElems reads n elements of size bytes from r, decoding each with dec.
// It allocates room for prealloc elements at once, and grows the slice by
// doubling only past them, as the data arrives.
func readElems[T any](r io.Reader, n, prealloc, size int, order binary.ByteOrder, dec func([]byte, binary.ByteOrder) T) ([]T, error) {
	out := make([]T, 0, prealloc)
	buf := make([]byte, min(n*size, chunk))
	for len(out) < n {
		b := buf[:min((n-len(out))*size, len(buf))]
		if len(out)+len(b)/size > cap(out) { // past the trusted size: double, up to n
			out = slices.Grow(out, min(n, max(2*cap(out), len(out)+len(b)/size))-len(out))
		}
		if k, err := io.ReadFull(r, b); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return nil, errorf(ErrTruncated, fmt.Sprintf("got %d of %d elements", len(out)+k/size, n))
			}
			return nil, err
		}
		for i := 0; i < len(b); i += size {
			out = append(out, dec(b[i:i+size], order))
		}
	}
	return out, nil
}

// toRowMajor returns the elements of a column-major array of the given
// shape in row-major order.
func toRowMajor[T any](col []T, shape []int) []T {
	if len(shape) < 2 || len(col) == 0 {
		return col
	}
	row := make([]T, len(col))
	idx := make([]int, len(shape)) // multi-index of row[i], last fastest
	for i := range row {
		off, stride := 0, 1
		for k, d := range shape {
			off += idx[k] * stride
			stride *= d
		}
		row[i] = col[off]
		for k := len(idx) - 1; k >= 0; k-- {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
		}
	}
	return row
}

// writeNpy writes a as a .npy file to w. a must be well formed.
func writeNpy(w io.Writer, a Array, dt dtype) error {
	if _, err := w.Write(formatHeader(dt, a.Shape)); err != nil {
		return err
	}
	switch dt {
	case float64Type:
		return writeElems(w, a.F64, 8, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) })
	case float32Type:
		return writeElems(w, a.F32, 4, func(b []byte, v float32) []byte { return binary.LittleEndian.AppendUint32(b, math.Float32bits(v)) })
	default:
		return writeElems(w, a.I64, 8, func(b []byte, v int64) []byte { return binary.LittleEndian.AppendUint64(b, uint64(v)) })
	}
}

// writeElems writes data to w, encoding each element of size bytes with enc.
func writeElems[T any](w io.Writer, data []T, size int, enc func([]byte, T) []byte) error {
	buf := make([]byte, 0, min(len(data)*size, chunk))
	for len(data) > 0 {
		k := min(len(data), cap(buf)/size)
		buf = buf[:0]
		for _, v := range data[:k] {
			buf = enc(buf, v)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}
