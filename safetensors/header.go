package safetensors

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	ag "github.com/gograd/gograd/autograd"
)

// MaxMetadata is the most "__metadata__" entries Read accepts: a map entry costs more memory
// than its few bytes of JSON, so their number is bounded.
const MaxMetadata = 1024

// minEntry is the length of the shortest tensor entry, with its comma:
// "":{"dtype":"U8","shape":[],"data_offsets":[0,0]},
const minEntry = 50

// record is a tensor's entry of the header, parsed.
type record struct {
	name, dtype string
	shape       []int
	begin, end  int64
}

// headerParser parses the JSON header of a safetensors file. It is written for the format
// rather than taken from encoding/json so that what it allocates is what it returns: a name and
// a shape per tensor, with the rank bounded before the shape is allocated. That keeps a header
// of many tiny entries within the memory bound of FuzzRead. It accepts the JSON the format
// allows: an object whose members are "__metadata__" (an object of strings) and tensor entries,
// objects with exactly "dtype" (a string), "shape" (an array of integers) and "data_offsets" (an
// array of two integers).
type headerParser struct {
	text []byte
	pos  int
}

func (p *headerParser) fail(format string, args ...any) error {
	return ag.Errorf("", ErrHeader, "at byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *headerParser) space() {
	for p.pos < len(p.text) {
		switch p.text[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// next skips white space and consumes c, reporting whether it was there.
func (p *headerParser) next(c byte) bool {
	p.space()
	if p.pos < len(p.text) && p.text[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *headerParser) expect(c byte) error {
	if !p.next(c) {
		return p.fail("want %q", c)
	}
	return nil
}

// str parses a JSON string.
func (p *headerParser) str() (string, error) {
	if !p.next('"') {
		return "", p.fail("want a string")
	}
	start := p.pos
	for p.pos < len(p.text) && p.text[p.pos] != '"' && p.text[p.pos] != '\\' && p.text[p.pos] >= 0x20 {
		p.pos++
	}
	if p.pos < len(p.text) && p.text[p.pos] == '"' { // no escapes: the common case
		s := string(p.text[start:p.pos])
		p.pos++
		if !utf8.ValidString(s) {
			return "", p.fail("string is not UTF-8")
		}
		return s, nil
	}
	b := append([]byte(nil), p.text[start:p.pos]...)
	for p.pos < len(p.text) {
		c := p.text[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(b) {
				return "", p.fail("string is not UTF-8")
			}
			return string(b), nil
		case c < 0x20:
			return "", p.fail("control character in a string")
		case c != '\\':
			b = append(b, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.text) {
			break
		}
		e := p.text[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.text) && p.text[p.pos] == '\\' && p.text[p.pos+1] == 'u' {
					p.pos += 2
					if r2, ok = p.hex4(); !ok {
						return "", p.fail("bad \\u escape")
					}
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return "", p.fail("unpaired surrogate in a \\u escape")
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", p.fail("bad escape \\%c", e)
		}
	}
	return "", p.fail("unterminated string")
}

func (p *headerParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.text) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.text[p.pos:p.pos+4]), 16, 16)
	p.pos += 4
	return rune(v), err == nil
}

// integer parses a non-negative JSON integer that fits an int64.
func (p *headerParser) integer() (int64, error) {
	p.space()
	start := p.pos
	for p.pos < len(p.text) && p.text[p.pos] >= '0' && p.text[p.pos] <= '9' {
		p.pos++
	}
	digits := p.text[start:p.pos]
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return 0, p.fail("want a non-negative integer")
	}
	v, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil {
		return 0, p.fail("integer %s out of range", digits)
	}
	return v, nil
}

// ints parses an array of at most limit non-negative integers into buf.
func (p *headerParser) ints(buf []int64, limit int) ([]int64, error) {
	if err := p.expect('['); err != nil {
		return nil, err
	}
	buf = buf[:0]
	if p.next(']') {
		return buf, nil
	}
	for {
		if len(buf) == limit {
			return nil, ag.Errorf("", ErrShape, "more than %d integers in an array", limit)
		}
		v, err := p.integer()
		if err != nil {
			return nil, err
		}
		buf = append(buf, v)
		if p.next(']') {
			return buf, nil
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
	}
}

// open consumes the '{' of an object and, if the object is empty, its '}'.
func (p *headerParser) open() (empty bool, err error) {
	if err := p.expect('{'); err != nil {
		return false, err
	}
	return p.next('}'), nil
}

// key parses a member's key and its ':'.
func (p *headerParser) key() (string, error) {
	k, err := p.str()
	if err == nil {
		err = p.expect(':')
	}
	return k, err
}

// more consumes the ',' between members, reporting true, or the object's closing '}'.
func (p *headerParser) more() (bool, error) {
	if p.next('}') {
		return false, nil
	}
	return true, p.expect(',')
}

// entry parses a tensor's entry. (No closures here: what they capture would escape to the heap
// once per tensor.)
func (p *headerParser) entry(name string) (record, error) {
	rec := record{name: name}
	var buf [MaxRank]int64
	seen := 0
	empty, err := p.open()
	if err != nil {
		return rec, err
	}
	for more := !empty; more; {
		key, err := p.key()
		if err != nil {
			return rec, err
		}
		switch key {
		case "dtype":
			s, err := p.str()
			if err != nil {
				return rec, err
			}
			if _, ok := dtypeSizes[s]; !ok {
				return rec, ag.Errorf("", ErrDtype, "%.40q (want F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8 or BOOL)", s)
			}
			rec.dtype, seen = s, seen|1
		case "shape":
			dims, err := p.ints(buf[:], MaxRank)
			if err != nil {
				return rec, err
			}
			rec.shape = make([]int, len(dims))
			for i, d := range dims {
				rec.shape[i] = int(d)
			}
			seen |= 2
		case "data_offsets":
			offs, e := p.ints(buf[:], 2)
			if e != nil || len(offs) != 2 {
				return rec, p.fail("data_offsets is not an array of 2 non-negative integers")
			}
			rec.begin, rec.end, seen = offs[0], offs[1], seen|4
		default:
			return rec, p.fail("unknown key %.40q in a tensor entry", key)
		}
		if more, err = p.more(); err != nil {
			return rec, err
		}
	}
	if seen != 7 {
		return rec, p.fail("entry lacks dtype, shape or data_offsets")
	}
	return rec, nil
}

// metadata parses the "__metadata__" object.
func (p *headerParser) metadata() (map[string]string, error) {
	meta := map[string]string{}
	empty, err := p.open()
	for more := !empty; err == nil && more; {
		if len(meta) == MaxMetadata {
			return nil, p.fail("more than %d metadata entries", MaxMetadata)
		}
		var k, v string
		if k, err = p.key(); err == nil {
			if v, err = p.str(); err == nil {
				meta[k] = v
				more, err = p.more()
			}
		}
	}
	return meta, err
}

// parseHeader returns the tensor entries of the JSON header text, in file order, and its
// metadata, or an error naming the entry at fault.
func parseHeader(text []byte) ([]record, map[string]string, *Error) {
	p := &headerParser{text: text}
	// Room for every entry at once: a growing slice would allocate several times its final size.
	// An entry takes at least minEntry bytes, and four colons.
	records := make([]record, 0, min(len(text)/minEntry, bytes.Count(text, []byte{':'})/4)+1)
	var meta map[string]string
	at := ""
	empty, err := p.open()
	for more := !empty; err == nil && more; {
		if at, err = p.key(); err != nil {
			break
		}
		switch {
		case at != metadataKey:
			var rec record
			if rec, err = p.entry(at); err == nil {
				records = append(records, rec)
			}
		case meta != nil:
			err = p.fail("two __metadata__ entries")
		default:
			meta, err = p.metadata()
		}
		if err == nil {
			more, err = p.more()
		}
	}
	if err == nil {
		at = ""
		if p.space(); p.pos != len(p.text) {
			err = p.fail("text after the header's object")
		}
	}
	if err != nil {
		return nil, nil, &Error{Tensor: at, Err: err}
	}
	return records, meta, nil
}
