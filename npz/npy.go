package npz

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"

	"github.com/gograd/gograd/internal/half"

	ag "github.com/gograd/gograd/autograd"
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
		return Array{}, ag.Errorf("", ErrTruncated, "shape %v of %s needs %d bytes, the file has %d after the header", h.shape, h.dtype.name, want, size-read)
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
		prealloc = int(trust) / 8 // elements widen to at most 8 bytes
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
	case float16Type:
		a.F32, err = readElems(r, n, prealloc, 2, order, func(b []byte, o binary.ByteOrder) float32 { return half.ToFloat32(o.Uint16(b)) })
		a.Stored = h.dtype.name
	default:
		a.I64, err = readElems(r, n, prealloc, h.dtype.size, order, intDecoder(h.dtype))
		a.Stored = h.dtype.name
	}
	if err != nil {
		return Array{}, err
	}
	// Reading past the end lets the zip reader verify the checksum.
	var extra [1]byte
	switch k, err := io.ReadFull(r, extra[:]); {
	case k > 0:
		return Array{}, ag.Errorf("", ErrShape, "data continues after the %d elements of shape %v", n, h.shape)
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
				return nil, ag.Errorf("", ErrTruncated, "got %d of %d elements", len(out)+k/size, n)
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
	le := binary.LittleEndian
	switch dt {
	case float64Type:
		return writeElems(w, a.F64, 8, func(b []byte, v float64) []byte { return le.AppendUint64(b, math.Float64bits(v)) })
	case float32Type:
		return writeElems(w, a.F32, 4, func(b []byte, v float32) []byte { return le.AppendUint32(b, math.Float32bits(v)) })
	case float16Type:
		return writeElems(w, a.F32, 2, func(b []byte, v float32) []byte { return le.AppendUint16(b, half.FromFloat32(v)) })
	case int64Type, uint64Type: // a uint64 above 2⁶³−1 is held as the int64 of its bits
		return writeElems(w, a.I64, 8, func(b []byte, v int64) []byte { return le.AppendUint64(b, uint64(v)) })
	case uint32Type, int32Type:
		return writeElems(w, a.I64, 4, func(b []byte, v int64) []byte { return le.AppendUint32(b, uint32(v)) })
	case uint16Type, int16Type:
		return writeElems(w, a.I64, 2, func(b []byte, v int64) []byte { return le.AppendUint16(b, uint16(v)) })
	default: // bool, int8, uint8
		return writeElems(w, a.I64, 1, func(b []byte, v int64) []byte { return append(b, byte(v)) })
	}
}

// intRange returns the values an integer dtype holds.
func intRange(dt dtype) (lo, hi int64) {
	switch dt {
	case boolType:
		return 0, 1
	case int8Type:
		return math.MinInt8, math.MaxInt8
	case uint8Type:
		return 0, math.MaxUint8
	case int16Type:
		return math.MinInt16, math.MaxInt16
	case uint16Type:
		return 0, math.MaxUint16
	case int32Type:
		return math.MinInt32, math.MaxInt32
	case uint32Type:
		return 0, math.MaxUint32
	}
	return math.MinInt64, math.MaxInt64 // int64, and uint64 held as the int64 of its bits
}

// checkRange returns an error naming the first element of a that its
// stored dtype dt cannot hold.
func checkRange(a Array, dt dtype) error {
	if a.I64 == nil {
		return nil
	}
	lo, hi := intRange(dt)
	for i, v := range a.I64 {
		if v < lo || v > hi {
			return ag.Errorf("", ErrDtype, "element %d is %d, outside the range %d to %d of %s", i, v, lo, hi, dt.name)
		}
	}
	return nil
}

// intDecoder returns the decoder of the integer (or bool) dtype dt into
// int64: true is 1, and any non-zero byte is true, as in NumPy.
func intDecoder(dt dtype) func([]byte, binary.ByteOrder) int64 {
	switch dt {
	case boolType:
		return func(b []byte, _ binary.ByteOrder) int64 {
			if b[0] != 0 {
				return 1
			}
			return 0
		}
	case int8Type:
		return func(b []byte, _ binary.ByteOrder) int64 { return int64(int8(b[0])) }
	case uint8Type:
		return func(b []byte, _ binary.ByteOrder) int64 { return int64(b[0]) }
	case int16Type:
		return func(b []byte, o binary.ByteOrder) int64 { return int64(int16(o.Uint16(b))) }
	case uint16Type:
		return func(b []byte, o binary.ByteOrder) int64 { return int64(o.Uint16(b)) }
	case int32Type:
		return func(b []byte, o binary.ByteOrder) int64 { return int64(int32(o.Uint32(b))) }
	case uint32Type:
		return func(b []byte, o binary.ByteOrder) int64 { return int64(o.Uint32(b)) }
	}
	return func(b []byte, o binary.ByteOrder) int64 { return int64(o.Uint64(b)) } // uint64
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
