package npz

import (
	"bytes"
	"testing"

	"github.com/gograd/gograd/internal/allocs"
)

// FuzzReadHeader checks that readHeader never panics and allocates at most allocs.Budget of its
// input, even when the member around it declares a huge size (1 TiB here): the header length
// field is checked against MaxHeader before the header is allocated.
func FuzzReadHeader(f *testing.F) {
	f.Add([]byte("\x93NUMPY\x01\x00\x46\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }      \n"))
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'"))
	f.Add([]byte("\x93NUMPY\x03\x00\x10\x27\x00\x00{"))
	f.Add([]byte("\x93NUMPY\x01\x00\xff\xff"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		got := allocs.Bytes(func() { readHeader(bytes.NewReader(b), 1<<40) })
		if budget := allocs.Budget(len(b), 0); got > budget {
			t.Fatalf("readHeader of %d bytes allocated %d bytes, more than %d", len(b), got, budget)
		}
	})
}
