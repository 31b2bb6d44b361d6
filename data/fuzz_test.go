package data_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/internal/allocs"
)

// FuzzReadCSV checks that ReadCSV never panics, that what it returns
// is consistent: an error of type *Error, or a data set whose slices
// match its dimensions, and that it stays within its memory bound: at
// most allocs.Budget of the input plus twice the data set it returns
// (collected once in blocks, copied once).
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"1,2,0\n3,4,1\n",
		"a,b,c\n1,2,0\n",
		"1,2\n1\n",
		"1,\"2\",3\r\n\n4,5,6",
		"1,x,0\n",
		"1,2,0.5\n",
		"\"1,2\n",
		"",
		strings.Repeat(",", 12000) + "\n", // above 8 KiB, where 8 × input exceeds the 64 KiB base
		strings.Repeat("1,0\n", 3000),
		"\"" + strings.Repeat("x", 5000) + "\",1\n",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, skip uint8) {
		var d data.Dataset
		var err error
		got := allocs.Bytes(func() { d, err = data.ReadCSV(bytes.NewReader(b), data.SkipLines(int(skip%4))) })
		if err != nil {
			var e *data.Error
			if !errors.As(err, &e) {
				t.Fatalf("ReadCSV: error %q of type %T, want *data.Error", err, err)
			}
			if budget := allocs.Budget(len(b), 0); got > budget {
				t.Fatalf("ReadCSV of %d bytes failing allocated %d bytes, more than %d", len(b), got, budget)
			}
			return
		}
		if d.Rows < 1 || d.Cols < 1 || len(d.X) != d.Rows*d.Cols || len(d.Y) != d.Rows {
			t.Fatalf("ReadCSV: got %d rows, %d cols, %d values, %d labels", d.Rows, d.Cols, len(d.X), len(d.Y))
		}
		result := 8 * uint64(len(d.X)+len(d.Y)+len(d.T))
		if budget := allocs.Budget(len(b), 2*result); got > budget {
			t.Fatalf("ReadCSV of %d bytes returning %d bytes allocated %d bytes, more than %d", len(b), result, got, budget)
		}
	})
}

// FuzzReadIDX checks that ReadIDX never panics, that what it returns
// matches the declared shape, and that it allocates at most
// max(64 KiB, 8 × input size) beyond the 8 bytes a value it returns.
func FuzzReadIDX(f *testing.F) {
	f.Add([]byte{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4})
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 3, 1, 2})
	f.Add([]byte{0, 0, 0x0E, 1, 0, 0, 0, 1, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18})
	f.Add([]byte{0, 0, 0x0B, 1, 0xff, 0xff, 0xff, 0xff, 1, 2})
	f.Add([]byte{0, 0, 0x0D, 0})
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{0, 0, 0x0E, 2, 0, 0x10, 0, 0, 0, 0, 4, 0, 1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		shape, v, err := data.ReadIDX(bytes.NewReader(b))
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(max(64<<10, 8*len(b))+8*len(v)+8*len(shape)); got > limit {
			t.Errorf("ReadIDX of %d bytes (error %v, %d values) allocated %d bytes, want at most %d", len(b), err, len(v), got, limit)
		}
		if err != nil {
			var e *data.Error
			if !errors.As(err, &e) {
				t.Fatalf("ReadIDX: error %q of type %T, want *data.Error", err, err)
			}
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if len(v) != n || len(shape) != int(b[3]) || int(binary.BigEndian.Uint16(b[:2])) != 0 {
			t.Fatalf("ReadIDX: got shape %v and %d values from a header %x", shape, len(v), b[:4])
		}
	})
}
