package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	ag "github.com/gograd/gograd/autograd"
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

// idxChunk is the number of bytes read at a time.
const idxChunk = 4 << 10

// maxGzipRatio bounds how many bytes a gzip file can inflate to per byte
// of its own: DEFLATE encodes at best 258 bytes in about 2 bits, a ratio
// of 1032.
const maxGzipRatio = 1032

// idxHeader is the header of an IDX array.
type idxHeader struct {
	typ   idxType
	shape []int
	n     int // number of values, checked not to overflow n × typ.size
	bytes int // n × typ.size
	len   int // length of the header in bytes
}

// what describes the data the header declares, for messages.
func (h *idxHeader) what() string {
	return fmt.Sprintf("%d %s values of shape %v", h.n, h.typ.name, h.shape)
}

// readIDXHeader reads the header of an IDX array from r.
func readIDXHeader(r io.Reader) (*idxHeader, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if err == io.EOF {
			return nil, &Error{Err: ag.Errorf("", ErrEmpty, "empty IDX data")}
		}
		return nil, readError(err, "IDX magic number")
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, &Error{Err: ag.Errorf("", ErrFormat, "magic number %#x does not start with two zero bytes", head)}
	}
	typ, ok := idxTypes[head[2]]
	if !ok {
		return nil, &Error{Err: ag.Errorf("", ErrFormat, "unknown type code %#02x", head[2])}
	}
	var dims [4 * 255]byte
	if _, err := io.ReadFull(r, dims[:4*int(head[3])]); err != nil {
		return nil, readError(err, fmt.Sprintf("%d dimensions", head[3]))
	}
	h := &idxHeader{typ: typ, shape: make([]int, head[3]), len: 4 + 4*int(head[3])}
	for i := range h.shape {
		h.shape[i] = int(binary.BigEndian.Uint32(dims[4*i:]))
	}
	// Both the whole array and one element of its first axis (an image)
	// must have a size that fits an int, even when an axis is 0.
	for _, dims := range [][]int{h.shape[min(1, len(h.shape)):], h.shape} {
		n := 1
		for i, d := range dims {
			if d != 0 && n > math.MaxInt/typ.size/d {
				return nil, &Error{Err: ag.Errorf("", ErrFormat, "dimensions %v are too large", dims[:i+1])}
			}
			n *= d
		}
		h.n = n // the whole array's count, computed last
	}
	h.bytes = h.n * typ.size
	return h, nil
}

// ReadIDX reads an array in the IDX format of the MNIST data set: two
// zero bytes, a type code, the number of dimensions, each dimension as a
// big-endian uint32, then the elements in row-major, big-endian order.
// All IDX types are read: 0x08 unsigned byte, 0x09 signed byte, 0x0B
// short, 0x0C int, 0x0D float and 0x0E double; values are converted to
// float64 exactly, NaN and infinities of float and double arrays
// included, as NumPy's frombuffer and torchvision's IDX reader keep them.
// The data must end after the declared elements.
//
// ReadIDX treats its input as hostile: if r reports its length, as
// *bytes.Reader, *strings.Reader and seekable files do, the declared size
// is checked against it before anything is allocated; otherwise the
// elements are read in chunks and the result is allocated only once they
// are all present, so that memory grows with the data actually there
// rather than with the declared size. ReadIDX does not decompress: see
// LoadMNIST for gzipped files.
//
// Errors are of type *Error and match ErrEmpty, ErrFormat or
// ErrTruncated.
func ReadIDX(r io.Reader) (shape []int, values []float64, err error) {
	h, err := readIDXHeader(r)
	if err != nil {
		return nil, nil, err
	}
	if left, ok := remaining(r); ok {
		if err := h.checkLength(left); err != nil {
			return nil, nil, err
		}
		values = make([]float64, h.n)
		if err := h.decode(r, values, make([]byte, min(h.bytes+1, idxChunk))); err != nil {
			return nil, nil, err
		}
		return h.shape, values, nil
	}
	// Unknown length: gather the raw bytes, growing with what is there.
	var raw []byte
	buf := make([]byte, min(h.bytes+1, idxChunk))
	for {
		k, err := io.ReadFull(r, buf)
		raw = append(raw, buf[:k]...)
		if len(raw) > h.bytes {
			return nil, nil, h.trailing()
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, nil, &Error{Err: err}
		}
	}
	if len(raw) < h.bytes {
		return nil, nil, h.truncated(len(raw))
	}
	values = make([]float64, h.n)
	h.decodeBytes(raw, values)
	return h.shape, values, nil
}

// remaining returns the number of bytes left in r if r can tell it.
func remaining(r io.Reader) (int64, bool) {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, bytes.Buffer, strings.Reader
		return int64(r.Len()), true
	case io.Seeker:
		cur, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		end, err := r.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, false
		}
		if _, err := r.Seek(cur, io.SeekStart); err != nil {
			return 0, false
		}
		return end - cur, true
	}
	return 0, false
}

// checkLength returns an error unless exactly left bytes follow the
// header, as it declares.
func (h *idxHeader) checkLength(left int64) error {
	switch {
	case left < int64(h.bytes):
		return h.truncated(int(left))
	case left > int64(h.bytes):
		return h.trailing()
	}
	return nil
}

func (h *idxHeader) truncated(got int) error {
	return &Error{Err: ag.Errorf("", ErrTruncated, "data ends before the %s (got %d)", h.what(), got/h.typ.size)}
}

func (h *idxHeader) trailing() error {
	return &Error{Err: ag.Errorf("", ErrFormat, "data continues after the %d values of shape %v", h.n, h.shape)}
}

// decode reads the len(values) elements of h from r into values, and
// checks that r ends there, reading through buf.
func (h *idxHeader) decode(r io.Reader, values []float64, buf []byte) error {
	done := 0
	for done < len(values) {
		b := buf[:min((len(values)-done)*h.typ.size, len(buf))]
		if k, err := io.ReadFull(r, b); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return h.truncated(done*h.typ.size + k)
			}
			return &Error{Err: err}
		}
		h.decodeBytes(b, values[done:])
		done += len(b) / h.typ.size
	}
	switch k, err := io.ReadFull(r, buf[:1]); {
	case k > 0:
		return h.trailing()
	case err != io.EOF:
		return &Error{Err: err}
	}
	return nil
}

// decodeBytes decodes the elements in b into values.
func (h *idxHeader) decodeBytes(b []byte, values []float64) {
	if h.typ.size == 1 && h.typ.name == "unsigned byte" { // MNIST's pixels: the common case, fast
		for i, c := range b {
			values[i] = float64(c)
		}
		return
	}
	for i := 0; i < len(b); i += h.typ.size {
		values[i/h.typ.size] = h.typ.dec(b[i : i+h.typ.size])
	}
}

// readError reports a failure to read what, a truncation if the data ended.
func readError(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Err: ag.Errorf("", ErrTruncated, "data ends before the %s", what)}
	}
	return &Error{Err: err}
}

// LoadMNIST reads a data set from the IDX files of MNIST images and
// labels, decompressing them first if they are gzipped. The labels file
// holds n non-negative integer labels. The images file holds an array of
// n images of any shape, each of which becomes an example of pixel values
// divided by 255, which maps unsigned bytes to [0, 1]; its Shape is
// (1, H, W), one grey channel, for images of shape (H, W), as
// torchvision's MNIST tensors, and the images' own shape otherwise.
//
// The files are treated as hostile. The labels are read first, and the
// number of images is checked against them before the images are
// decoded. A plain file must have exactly the size its header declares; a
// gzipped one must declare no more than a gzip file of its size can hold,
// and is inflated twice (it must be a single gzip member): once to check, with a small buffer and never
// beyond the declared size, that it holds exactly the declared data and a
// valid checksum, then to decode it into a result allocated once. So a
// corrupt file allocates nothing but small buffers.
//
// Errors name the file at fault; a count mismatch between the two files
// matches ErrLength, a pixel that is NaN or infinite (possible in a float
// IDX file) matches ErrValue.
func LoadMNIST(imagesPath, labelsPath string) (Dataset, error) {
	l := newIDXLoader()
	lshape, y, err := l.load(labelsPath, func(shape []int) error {
		if len(shape) != 1 {
			return ag.Errorf("", ErrFormat, "labels have shape %v, want one dimension", shape)
		}
		return nil
	})
	if err != nil {
		return Dataset{}, err
	}
	shape, x, err := l.load(imagesPath, func(shape []int) error {
		if len(shape) < 1 {
			return ag.Errorf("", ErrFormat, "images have no dimensions")
		}
		if shape[0] != lshape[0] {
			return &Error{Err: ag.Errorf("", ErrLength, "%s holds %d images but %s holds %d labels", imagesPath, shape[0], labelsPath, lshape[0])}
		}
		return nil
	})
	if err != nil {
		return Dataset{}, err
	}
	d := Dataset{X: x, Y: make([]int, len(y)), Rows: shape[0], Cols: 1, Shape: append([]int(nil), shape[1:]...)}
	if len(d.Shape) == 2 {
		d.Shape = []int{1, shape[1], shape[2]}
	}
	for _, n := range shape[1:] { // the product of the image dimensions, also with no images; cannot overflow (readIDXHeader)
		d.Cols *= n
	}
	for i, v := range d.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Dataset{}, &Error{Path: imagesPath, Err: ag.Errorf("", ErrValue, "pixel %d of image %d is %v, want a finite value", i%d.Cols, i/d.Cols, v)}
		}
		d.X[i] = v / 255
	}
	for i, v := range y {
		if v < 0 || v != math.Trunc(v) || v > math.MaxInt32 {
			return Dataset{}, &Error{Path: labelsPath, Err: ag.Errorf("", ErrValue, "label %d is %v, want a non-negative integer", i, v)}
		}
		d.Y[i] = int(v)
	}
	return d, nil
}

// idxLoader reads IDX files, gzipped or not, reusing its buffers and
// gzip reader from file to file.
type idxLoader struct {
	br  *bufio.Reader
	zr  *gzip.Reader
	buf []byte
}

func newIDXLoader() *idxLoader {
	return &idxLoader{br: bufio.NewReaderSize(nil, idxChunk), buf: make([]byte, idxChunk)}
}

// load reads the IDX file at path, gzipped or not, calling check on its
// shape before reading any data; check's error gets the path unless it
// is an *Error already.
func (l *idxLoader) load(path string, check func(shape []int) error) ([]int, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	shape, v, err := l.read(f, fi.Size(), check)
	if err != nil {
		return nil, nil, withPath(err, path)
	}
	return shape, v, nil
}

// read reads the IDX array, gzipped or not, held in the size bytes of
// src; see LoadMNIST.
func (l *idxLoader) read(src io.ReaderAt, size int64, check func(shape []int) error) ([]int, []float64, error) {
	var magic [2]byte
	if k, _ := src.ReadAt(magic[:], 0); k < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		l.br.Reset(io.NewSectionReader(src, 0, size))
		h, err := readIDXHeader(l.br)
		if err != nil {
			return nil, nil, err
		}
		if err := checkShape(check, h.shape); err != nil {
			return nil, nil, err
		}
		if err := h.checkLength(size - int64(h.len)); err != nil {
			return nil, nil, err
		}
		values := make([]float64, h.n)
		if err := h.decode(l.br, values, l.buf); err != nil {
			return nil, nil, err
		}
		return h.shape, values, nil
	}
	zr, err := l.gzip(src, size)
	if err != nil {
		return nil, nil, err
	}
	h, err := readIDXHeader(zr)
	if err != nil {
		return nil, nil, gzipError(err)
	}
	if err := checkShape(check, h.shape); err != nil {
		return nil, nil, err
	}
	if uint64(h.len)+uint64(h.bytes) > maxGzipRatio*uint64(size) {
		return nil, nil, &Error{Err: ag.Errorf("", ErrFormat, "header declares %s, %d bytes, more than a gzip file of %d bytes can hold", h.what(), h.bytes, size)}
	}
	// First pass: inflate at most the declared size plus one byte into a
	// small buffer, checking the length and, at the end, the checksum.
	for left := h.bytes; left > 0; {
		k, err := io.ReadFull(zr, l.buf[:min(left, len(l.buf))])
		left -= k
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, nil, h.truncated(h.bytes - left)
			}
			return nil, nil, gzipError(err)
		}
	}
	if err := l.end(h); err != nil {
		return nil, nil, err
	}
	// Second pass: decode into the result.
	if zr, err = l.gzip(src, size); err != nil {
		return nil, nil, err
	}
	if _, err := readIDXHeader(zr); err != nil {
		return nil, nil, gzipError(err)
	}
	values := make([]float64, h.n)
	if err := h.decode(zr, values, l.buf); err != nil {
		return nil, nil, gzipError(err)
	}
	if err := l.end(h); err != nil { // cannot fail: the first pass checked it
		return nil, nil, err
	}
	return h.shape, values, nil
}

// gzip returns l's gzip reader reading the size bytes of src from the
// start, as one gzip member: LoadMNIST rejects files of several members.
// It checks the length of the header's extra field against the file's
// before the gzip package allocates it.
func (l *idxLoader) gzip(src io.ReaderAt, size int64) (*gzip.Reader, error) {
	var head [12]byte
	if k, _ := src.ReadAt(head[:], 0); k == len(head) && head[3]&0x04 != 0 { // FEXTRA
		if xlen := int64(binary.LittleEndian.Uint16(head[10:])); 12+xlen > size {
			return nil, &Error{Err: ag.Errorf("", ErrTruncated, "gzip header declares %d bytes of extra field, the file has %d bytes", xlen, size)}
		}
	}
	l.br.Reset(io.NewSectionReader(src, 0, size))
	if l.zr == nil {
		zr, err := gzip.NewReader(l.br)
		if err != nil {
			return nil, gzipError(err)
		}
		l.zr = zr
	} else if err := l.zr.Reset(l.br); err != nil {
		return nil, gzipError(err)
	}
	l.zr.Multistream(false)
	return l.zr, nil
}

// end returns an error unless the gzip member ends after the data and
// nothing follows it.
func (l *idxLoader) end(h *idxHeader) error {
	switch k, err := io.ReadFull(l.zr, l.buf[:1]); {
	case k > 0:
		return h.trailing()
	case err != io.EOF:
		return gzipError(err)
	}
	if _, err := l.br.ReadByte(); err != io.EOF {
		return &Error{Err: ag.Errorf("", ErrFormat, "data continues after the gzip member (files of several gzip members are not read)")}
	}
	return nil
}

// checkShape calls check, wrapping a plain error in an *Error.
func checkShape(check func([]int) error, shape []int) error {
	if check == nil {
		return nil
	}
	err := check(shape)
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Err: err}
}

// gzipError wraps a decompression error in an *Error: a corrupt stream
// or checksum, matching the gzip or flate error.
func gzipError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Err: ag.Errorf("", ErrTruncated, "gzip data ends early")}
	}
	return &Error{Err: fmt.Errorf("gzip: %w", err)}
}
