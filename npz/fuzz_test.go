package npz_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/npz"
)

// FuzzRead checks that Read never panics and that whatever it reads
// writes and reads back identically.
func FuzzRead(f *testing.F) {
	valid, err := os.ReadFile("testdata/numpy.npz")
	if err != nil {
		f.Fatal(err)
	}
	compressed, err := os.ReadFile("testdata/numpy_compressed.npz")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(compressed)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[:len(valid)-1])
	flipped := bytes.Clone(valid)
	flipped[100] ^= 0x55
	f.Add(flipped)
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + "\x00\x00\x00\x00\x01\x00\x01\x00" + "\xff\xff\xff\x7f\x00\x00\x00\x00\x00\x00"))
	const f8 = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }"
	f.Add(zipOf(f, false, member{"x.npy", npy(f8, le64(1, 2))}))
	f.Add(zipOf(f, true, member{"x.npy", npy(f8, le64(1, 2))}))

	f.Fuzz(func(t *testing.T, b []byte) {
		arrays, err := npz.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := npz.Write(&buf, arrays); err != nil {
			t.Fatalf("Write of arrays read: %v", err)
		}
		again, err := npz.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("Read of rewritten arrays: %v", err)
		}
		if diff := cmp.Diff(arrays, again, bitExact); diff != "" {
			t.Fatalf("rewritten arrays differ (-read +reread):\n%s", diff)
		}
	})
}
