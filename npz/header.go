package npz

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	ag "github.com/gograd/gograd/autograd"
)

// magic starts every .npy file.
const magic = "\x93NUMPY"

// align is the multiple of bytes to which NumPy pads the .npy preamble.
const align = 64

// MaxHeader is the longest .npy header (the dict text after the preamble)
// this package reads, as NumPy's readers cap it (numpy.load's default
// max_header_size). The header length field is checked against it before
// any memory is committed to the header.
const MaxHeader = 10000

// MaxRank is the largest number of dimensions of an array this package
// reads or writes: NumPy 2's NPY_MAXDIMS (NumPy 1 allows 32).
const MaxRank = 64

// dtype is an element type handled by this package.
type dtype struct {
	name string // NumPy name, such as "float64"
	code string // type code without byte order, such as "f8"
	size int    // bytes per element
}

var (
	float64Type = dtype{name: "float64", code: "f8", size: 8}
	float32Type = dtype{name: "float32", code: "f4", size: 4}
	int64Type   = dtype{name: "int64", code: "i8", size: 8}
	// Stored types (see Array.Stored): read into F32 (float16) or I64 (the others).
	float16Type = dtype{name: "float16", code: "f2", size: 2}
	boolType    = dtype{name: "bool", code: "b1", size: 1}
	int8Type    = dtype{name: "int8", code: "i1", size: 1}
	uint8Type   = dtype{name: "uint8", code: "u1", size: 1}
	int16Type   = dtype{name: "int16", code: "i2", size: 2}
	uint16Type  = dtype{name: "uint16", code: "u2", size: 2}
	int32Type   = dtype{name: "int32", code: "i4", size: 4}
	uint32Type  = dtype{name: "uint32", code: "u4", size: 4}
	uint64Type  = dtype{name: "uint64", code: "u8", size: 8}
)

// dtypes lists every element type this package reads and writes.
var dtypes = [...]dtype{float64Type, float32Type, int64Type, float16Type, boolType,
	int8Type, uint8Type, int16Type, uint16Type, int32Type, uint32Type, uint64Type}

// header is the parsed header of a .npy file.
type header struct {
	dtype     dtype
	bigEndian bool
	fortran   bool
	shape     []int
}

// readHeader reads the preamble of a .npy file from r, whose total length
// is at most size bytes. It returns the header and the number of bytes
// read.
func readHeader(r io.Reader, size int64) (header, int64, error) {
	var pre [len(magic) + 2]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return header{}, 0, ag.Errorf("", ErrHeader, "file too short for the .npy magic string and version")
	}
	if string(pre[:len(magic)]) != magic {
		return header{}, 0, ag.Errorf("", ErrHeader, "magic string is %q, want %q", pre[:len(magic)], magic)
	}
	major, minor := pre[len(magic)], pre[len(magic)+1]
	var lenField []byte
	switch major {
	case 1:
		lenField = make([]byte, 2)
	case 2, 3:
		lenField = make([]byte, 4)
	default:
		return header{}, 0, ag.Errorf("", ErrHeader, "unsupported format version %d.%d", major, minor)
	}
	if minor != 0 {
		return header{}, 0, ag.Errorf("", ErrHeader, "unsupported format version %d.%d", major, minor)
	}
	if _, err := io.ReadFull(r, lenField); err != nil {
		return header{}, 0, ag.Errorf("", ErrHeader, "file too short for the header length")
	}
	var hlen uint64
	if len(lenField) == 2 {
		hlen = uint64(binary.LittleEndian.Uint16(lenField))
	} else {
		hlen = uint64(binary.LittleEndian.Uint32(lenField))
	}
	read := int64(len(pre) + len(lenField))
	if hlen > MaxHeader {
		return header{}, 0, ag.Errorf("", ErrHeader, "header length %d exceeds the limit of %d bytes", hlen, MaxHeader)
	}
	if size < read || hlen > uint64(size-read) {
		return header{}, 0, ag.Errorf("", ErrHeader, "header length %d exceeds the %d bytes of the file", hlen, size)
	}
	text := make([]byte, hlen)
	if _, err := io.ReadFull(r, text); err != nil {
		return header{}, 0, ag.Errorf("", ErrHeader, "file too short for the %d header bytes", hlen)
	}
	if major == 3 && !utf8.Valid(text) {
		return header{}, 0, ag.Errorf("", ErrHeader, "header is not valid UTF-8")
	}
	h, err := parseHeader(text)
	if err != nil {
		return header{}, 0, err
	}
	return h, read + int64(hlen), nil
}

// parseHeader parses the Python dict literal of a .npy header, such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }.
func parseHeader(text []byte) (header, error) {
	p := parser{s: text}
	var h header
	var seen [3]bool // descr, fortran_order, shape
	p.space()
	if !p.consume('{') {
		return h, p.fail("want '{'")
	}
	for {
		p.space()
		if p.consume('}') {
			break
		}
		key, ok := p.str()
		if !ok {
			return h, p.fail("want a quoted key")
		}
		p.space()
		if !p.consume(':') {
			return h, p.fail("want ':'")
		}
		p.space()
		var k int
		switch key {
		case "descr":
			k = 0
			if p.peek() == '[' {
				return h, ag.Errorf("", ErrDtype, "structured dtypes are not supported")
			}
			descr, ok := p.str()
			if !ok {
				return h, p.fail("want a quoted descr")
			}
			var err error
			if h.dtype, h.bigEndian, err = parseDescr(descr); err != nil {
				return h, err
			}
		case "fortran_order":
			k = 1
			switch {
			case p.word("True"):
				h.fortran = true
			case p.word("False"):
				h.fortran = false
			default:
				return h, p.fail("want True or False")
			}
		case "shape":
			k = 2
			shape, err := p.tuple()
			if err != nil {
				return h, err
			}
			h.shape = shape
		default:
			return h, ag.Errorf("", ErrHeader, "unexpected key %q", key)
		}
		if seen[k] {
			return h, ag.Errorf("", ErrHeader, "duplicate key %q", key)
		}
		seen[k] = true
		p.space()
		if p.consume(',') {
			continue
		}
		p.space()
		if !p.consume('}') {
			return h, p.fail("want ',' or '}'")
		}
		break
	}
	p.space()
	if p.i != len(p.s) {
		return h, p.fail("unexpected text after '}'")
	}
	for k, name := range [...]string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, ag.Errorf("", ErrHeader, "missing key %q", name)
		}
	}
	return h, nil
}

// parseDescr parses a NumPy type string such as "<f8".
func parseDescr(descr string) (dt dtype, bigEndian bool, err error) {
	if len(descr) == 3 && (descr[0] == '<' || descr[0] == '>' || descr[0] == '|') {
		for _, t := range dtypes {
			// '|' (no byte order) is what NumPy writes for 1-byte types, and only for them.
			if descr[1:] == t.code && (descr[0] != '|' || t.size == 1) {
				return t, descr[0] == '>', nil
			}
		}
	}
	return dtype{}, false, ag.Errorf("", ErrDtype, "%q (want f8, f4, f2, i8, i4, i2, i1, u8, u4, u2, u1 or b1 after < or >, or | for 1-byte types)", descr)
}

// parser scans a .npy header.
type parser struct {
	s []byte
	i int
}

func (p *parser) fail(msg string) error {
	return ag.Errorf("", ErrHeader, "at byte %d of %s: %s", p.i, quotePrefix(p.s, 80), msg)
}

// quotePrefix quotes at most the first n bytes of s, marking a cut.
func quotePrefix(s []byte, n int) string {
	if len(s) <= n {
		return strconv.Quote(string(s))
	}
	return strconv.Quote(string(s[:n])) + fmt.Sprintf("... (%d bytes)", len(s))
}

func (p *parser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) consume(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) word(w string) bool {
	if strings.HasPrefix(string(p.s[p.i:]), w) {
		p.i += len(w)
		return true
	}
	return false
}

// str scans a Python string literal without escapes.
func (p *parser) str() (string, bool) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", false
	}
	for j := p.i + 1; j < len(p.s); j++ {
		switch p.s[j] {
		case q:
			s := string(p.s[p.i+1 : j])
			p.i = j + 1
			return s, true
		case '\\', '\n':
			return "", false
		}
	}
	return "", false
}

// tuple scans a Python tuple of non-negative integers such as (2, 3).
func (p *parser) tuple() ([]int, error) {
	if !p.consume('(') {
		return nil, p.fail("want '(' starting the shape")
	}
	shape := []int{}
	for {
		p.space()
		if p.consume(')') {
			break
		}
		start := p.i
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
		d, err := strconv.Atoi(string(p.s[start:p.i]))
		if err != nil {
			return nil, p.fail("want a non-negative integer dimension")
		}
		p.consume('L') // Python 2 long integers.
		if len(shape) == MaxRank {
			return nil, p.fail(fmt.Sprintf("more than %d dimensions", MaxRank))
		}
		shape = append(shape, d)
		p.space()
		if p.consume(',') {
			continue
		}
		if !p.consume(')') {
			return nil, p.fail("want ',' or ')' in the shape")
		}
		break
	}
	if _, err := numElements(shape, math.MaxInt); err != nil {
		return nil, ag.Errorf("", ErrHeader, "shape %v is too large", shape)
	}
	return shape, nil
}

// formatHeader returns the preamble of a .npy file holding a C-order,
// little-endian array of type dt and the given shape.
func formatHeader(dt dtype, shape []int) []byte {
	var dims string
	switch len(shape) {
	case 0:
		dims = "()"
	case 1:
		dims = "(" + strconv.Itoa(shape[0]) + ",)"
	default:
		parts := make([]string, len(shape))
		for i, d := range shape {
			parts[i] = strconv.Itoa(d)
		}
		dims = "(" + strings.Join(parts, ", ") + ")"
	}
	order := "<"
	if dt.size == 1 {
		order = "|"
	}
	dict := "{'descr': '" + order + dt.code + "', 'fortran_order': False, 'shape': " + dims + ", }"

	// Version 1.0 has a 2-byte header length, version 2.0 a 4-byte one.
	major, lenSize := byte(1), 2
	if pad(len(magic)+2+2, len(dict)) > math.MaxUint16 {
		major, lenSize = 2, 4
	}
	pre := len(magic) + 2 + lenSize
	hlen := pad(pre, len(dict))
	b := make([]byte, 0, pre+hlen)
	b = append(b, magic...)
	b = append(b, major, 0)
	if lenSize == 2 {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen))
	}
	b = append(b, dict...)
	for len(b) < pre+hlen-1 {
		b = append(b, ' ')
	}
	return append(b, '\n')
}

// pad returns the length of a header of n bytes padded with spaces and a
// final newline so that the preamble of pre bytes plus the header is a
// multiple of align.
func pad(pre, n int) int {
	total := pre + n + 1
	total += (align - total%align) % align
	return total - pre
}
