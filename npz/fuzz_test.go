package npz_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/internal/allocs"
	"github.com/gograd/gograd/npz"
)

var errTooBig = errors.New("array larger than the fuzz target accepts")

// FuzzRead checks that Read never panics, that whatever it reads writes
// and reads back identically, and that reading stays within its memory
// bound: ReadChecked, with a check that accepts arrays of up to 1 MiB,
// allocates at most allocs.Budget of the input plus the arrays it
// accepted, and plain Read at most that plus twice the arrays' declared
// sizes (an array beyond max(64 KiB, 8 × its compressed size) grows by
// doubling as its data arrives).
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
	f.Add(rawZip(f, "x.npy", zip.Deflate, deflated(f, npyV2(0xFFFFFFFF, "{'descr': '<f8'")), 20000, 0))
	f.Add(bigZeros(f, "big.npy", 1<<20))   // 8 MiB of zeros in 8 KB: rejected by the check
	f.Add(bigZeros(f, "small.npy", 1<<15)) // 256 KiB of zeros in 300 bytes: accepted

	f.Fuzz(func(t *testing.T, b []byte) {
		var accepted, declared uint64
		tooBig := false
		check := func(h npz.Header) error {
			size := uint64(h.Len()) * 8
			if h.Dtype == "float32" {
				size = uint64(h.Len()) * 4
			}
			declared += size
			if size > 1<<20 {
				tooBig = true
				return errTooBig
			}
			accepted += size
			return nil
		}
		var err error
		got := allocs.Bytes(func() { _, err = npz.ReadChecked(bytes.NewReader(b), int64(len(b)), check) })
		if budget := allocs.Budget(len(b), accepted); got > budget {
			t.Fatalf("ReadChecked of %d bytes accepting %d bytes of arrays allocated %d bytes, more than %d", len(b), accepted, got, budget)
		}
		if tooBig {
			return
		}
		var arrays []npz.Array
		got = allocs.Bytes(func() { arrays, err = npz.Read(bytes.NewReader(b), int64(len(b))) })
		if budget := allocs.Budget(len(b), 3*declared); got > budget {
			t.Fatalf("Read of %d bytes declaring %d bytes of arrays allocated %d bytes, more than %d", len(b), declared, got, budget)
		}
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
