package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// gzipIDX returns the IDX array of type typ, dimensions dims and element
// bytes elems, gzipped.
func gzipIDX(typ byte, dims []uint32, elems []byte) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(append(b, elems...))
	zw.Close()
	return buf.Bytes()
}

// FuzzReadIDXGzip checks the reader of LoadMNIST on gzipped (and plain)
// IDX files: it never panics, returns an *Error or the declared shape,
// and allocates at most max(64 KiB, 8 × input size) beyond what it
// returns (8 bytes a value), measured by runtime.MemStats.TotalAlloc. The
// seed corpus runs in go test.
func FuzzReadIDXGzip(f *testing.F) {
	ok := gzipIDX(0x08, []uint32{2, 3}, []byte{0, 1, 2, 3, 4, 5})
	f.Add(ok)
	f.Add(ok[:len(ok)/2])                                                         // truncated stream
	f.Add(append(append([]byte(nil), ok...), ok...))                              // two members: trailing data
	f.Add(gzipIDX(0x08, []uint32{1000, 1000}, make([]byte, 1000*1000)))           // 1 MB of zeros in about 1 KB
	f.Add(gzipIDX(0x08, []uint32{1000, 1000}, make([]byte, 1000*1000))[:500])     // the same, cut
	f.Add(gzipIDX(0x08, []uint32{1000, 100000}, make([]byte, 1000*1000)))         // declares 100 times more than it has
	f.Add(gzipIDX(0x0E, []uint32{0, 0xffffffff, 0xffffffff, 0xffffffff}, nil))    // no values, overflowing image
	f.Add(gzipIDX(0x0D, []uint32{2}, []byte{0x7f, 0xc0, 0, 0, 0x3f, 0x80, 0, 0})) // NaN, 1
	f.Add(gzipIDX(0x08, []uint32{3}, []byte{1, 2, 3, 4}))                         // trailing byte
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 2, 1, 2}) // plain
	bad := append([]byte(nil), ok...)
	bad[len(bad)-6] ^= 0x40 // checksum
	f.Add(bad)
	f.Fuzz(func(t *testing.T, b []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l := newIDXLoader()
		shape, v, err := l.read(bytes.NewReader(b), int64(len(b)), nil)
		runtime.ReadMemStats(&after)
		got := after.TotalAlloc - before.TotalAlloc
		limit := uint64(max(64<<10, 8*len(b)) + 8*len(v) + 8*len(shape))
		if got > limit {
			t.Errorf("reading %d bytes (error %v, %d values) allocated %d bytes, want at most %d", len(b), err, len(v), got, limit)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %q of type %T, want *data.Error", err, err)
			}
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if len(v) != n {
			t.Fatalf("got shape %v and %d values", shape, len(v))
		}
	})
}
