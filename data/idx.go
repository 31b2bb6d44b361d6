package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// idxType describes an IDX element type.
type idxType struct {
	name string
	size int
	dec  func([]byte) float64
}

var idxTypes = map[byte]idxType{
	0x08: {"unsigned byte", 1, func(b []byte) float64 { return float64(b[0]) }},
	0x09: {"signed byte", 1, func(b []byte) float64 { return float64(int8(b[0])) }},
	0x0B: {"short", 2, func(b []byte) float64 { return float64(int16(binary.BigEndian.Uint16(b))) }},
	0x0C: {"int", 4, func(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) }},
	0x0D: {"float", 4, func(b []byte) float64 { return float64(math.Float32frombits(binary.BigEndian.Uint32(b))) }},
	0x0E: {"double", 8, func(b []byte) float64 { return math.Float64frombits(binary.BigEndian.Uint64(b)) }},
}

// idxChunk is the number of bytes decoded at a time, so that memory grows
// with the data actually present rather than with the declared size.
const idxChunk = 1 << 16

// ReadIDX reads an array in the IDX format of the MNIST data set: two
// zero bytes, a type code, the number of dimensions, each dimension as a
// big-endian uint32, then the elements in row-major, big-endian order.
// All IDX types are read: 0x08 unsigned byte, 0x09 signed byte, 0x0B
// short, 0x0C int, 0x0D float and 0x0E double; values are converted to
// float64 exactly. The data must end after the declared elements.
//
// Errors are of type *Error and match ErrFormat or ErrTruncated.
func ReadIDX(r io.Reader) (shape []int, values []float64, err error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if err == io.EOF {
			return nil, nil, &Error{Err: errorf(ErrEmpty, "empty IDX data")}
		}
		return nil, nil, readError(err, "IDX magic number")
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, nil, &Error{Err: errorf(ErrFormat, fmt.Sprintf("magic number %#x does not start with two zero bytes", head))}
	}
	typ, ok := idxTypes[head[2]]
	if !ok {
		return nil, nil, &Error{Err: errorf(ErrFormat, fmt.Sprintf("unknown type code %#02x", head[2]))}
	}
	dims := make([]byte, 4*int(head[3]))
	if _, err := io.ReadFull(r, dims); err != nil {
		return nil, nil, readError(err, fmt.Sprintf("%d dimensions", head[3]))
	}
	shape = make([]int, head[3])
	n := 1
	for i := range shape {
		shape[i] = int(binary.BigEndian.Uint32(dims[4*i:]))
		if shape[i] != 0 && n > math.MaxInt/typ.size/shape[i] {
			return nil, nil, &Error{Err: errorf(ErrFormat, fmt.Sprintf("dimensions %v are too large", shape[:i+1]))}
		}
		n *= shape[i]
	}

	values = make([]float64, 0, min(n, idxChunk/typ.size))
	buf := make([]byte, min(n*typ.size, idxChunk))
	for len(values) < n {
		b := buf[:min((n-len(values))*typ.size, len(buf))]
		if k, err := io.ReadFull(r, b); err != nil {
			return nil, nil, readError(err, fmt.Sprintf("%d %s values of shape %v (got %d)", n, typ.name, shape, len(values)+k/typ.size))
		}
		for i := 0; i < len(b); i += typ.size {
			values = append(values, typ.dec(b[i:i+typ.size]))
		}
	}
	var extra [1]byte
	switch k, err := io.ReadFull(r, extra[:]); {
	case k > 0:
		return nil, nil, &Error{Err: errorf(ErrFormat, fmt.Sprintf("data continues after the %d values of shape %v", n, shape))}
	case err != io.EOF:
		return nil, nil, &Error{Err: err}
	}
	return shape, values, nil
}

// readError reports a failure to read what, a truncation if the data ended.
func readError(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Err: errorf(ErrTruncated, "data ends before the "+what)}
	}
	return &Error{Err: err}
}

// LoadMNIST reads a data set from the IDX files of MNIST images and
// labels, decompressing them first if they are gzipped. The images file
// holds an array of n images of any shape, each of which becomes a row of
// pixel values divided by 255, which maps unsigned bytes to [0, 1]. The
// labels file holds n non-negative integer labels.
//
// Errors name the file at fault; a count mismatch between the two files
// matches ErrLength.
func LoadMNIST(imagesPath, labelsPath string) (Dataset, error) {
	shape, x, err := loadIDX(imagesPath)
	if err != nil {
		return Dataset{}, err
	}
	if len(shape) < 1 {
		return Dataset{}, &Error{Path: imagesPath, Err: errorf(ErrFormat, "images have no dimensions")}
	}
	lshape, y, err := loadIDX(labelsPath)
	if err != nil {
		return Dataset{}, err
	}
	if len(lshape) != 1 {
		return Dataset{}, &Error{Path: labelsPath, Err: errorf(ErrFormat, fmt.Sprintf("labels have shape %v, want one dimension", lshape))}
	}
	if shape[0] != lshape[0] {
		return Dataset{}, &Error{Err: errorf(ErrLength, fmt.Sprintf("%s holds %d images but %s holds %d labels", imagesPath, shape[0], labelsPath, lshape[0]))}
	}
	d := Dataset{X: x, Y: make([]int, len(y)), Rows: shape[0], Cols: 1}
	for _, n := range shape[1:] { // the product of the image dimensions, also with no images
		d.Cols *= n
	}
	for i := range d.X {
		d.X[i] /= 255
	}
	for i, v := range y {
		if v < 0 || v != math.Trunc(v) || v > math.MaxInt32 {
			return Dataset{}, &Error{Path: labelsPath, Err: errorf(ErrValue, fmt.Sprintf("label %d is %v, want a non-negative integer", i, v))}
		}
		d.Y[i] = int(v)
	}
	return d, nil
}

// loadIDX reads the IDX file at path, gzipped or not.
func loadIDX(path string) ([]int, []float64, error) {
	r, closeFile, err := open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	defer closeFile()
	shape, v, err := ReadIDX(r)
	if err != nil {
		return nil, nil, withPath(err, path)
	}
	return shape, v, nil
}
