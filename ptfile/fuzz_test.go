package ptfile

import (
	"bytes"
	"os"
	"testing"

	"github.com/gograd/gograd/internal/allocs"
)

// FuzzRead checks that Read never panics and stays within its memory bound: allocs.Budget of
// 5 × the input (40×, see TestCraftedPickleMemory) plus the decoded size of the tensors it returns.
func FuzzRead(f *testing.F) {
	valid, err := os.ReadFile("testdata/dtypes.pt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(archive(f, tensorPickle("FloatStorage", 4, 0, []byte{2, 2}, []byte{2, 1}), map[string][]byte{"a/data/0": make([]byte, 16)}))
	f.Add(archive(f, []byte("\x80\x02cos\nsystem\nX\x02\x00\x00\x00lsR."), nil))
	f.Add(archive(f, bytes.Repeat([]byte(")"), 4096), nil))
	f.Add(archive(f, bytes.Repeat([]byte("K\x00"), 4096), nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []Tensor
		n := allocs.Bytes(func() { got, _ = Read(bytes.NewReader(b), int64(len(b))) })
		var decoded uint64
		for _, tn := range got {
			decoded += 8*uint64(len(tn.F64)+len(tn.I64)) + 4*uint64(len(tn.F32))
		}
		if budget := allocs.Budget(5*len(b), decoded); n > budget {
			t.Fatalf("Read of %d bytes returning %d bytes of tensors allocated %d bytes, more than %d", len(b), decoded, n, budget)
		}
	})
}
