package safetensors

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/internal/allocs"
)

// FuzzRead checks that Read never panics, that whatever it reads writes and reads back with the
// same values, and that it stays within its memory bound: allocs.Budget of the input plus the
// decoded size of the tensors it returns (up to 8 bytes per element: a U8 widens to an int64).
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		f.Fatal(err)
	}
	valid := buf.Bytes()
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[:len(valid)-1])
	f.Add([]byte{})
	f.Add(file(`{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"F16","shape":[1],"data_offsets":[4,6]}}`, []byte{0x80, 0x3f, 0, 0xc0, 0, 0x3c}))
	f.Add(file(`{"a":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"__metadata__":{"k":"v"}}`, []byte{1, 2, 3}))
	f.Add(file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`, make([]byte, 3)))
	f.Add(file(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, make([]byte, 8)))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got File
		var err error
		n := allocs.Bytes(func() { got, err = Read(bytes.NewReader(b), int64(len(b))) })
		var decoded uint64
		for _, tn := range got.Tensors {
			decoded += 8 * uint64(len(tn.F64)+len(tn.I64))
			decoded += 4 * uint64(len(tn.F32))
		}
		if budget := allocs.Budget(len(b), decoded); n > budget {
			t.Fatalf("Read of %d bytes returning %d bytes of tensors allocated %d bytes, more than %d", len(b), decoded, n, budget)
		}
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Write(&out, got); err != nil {
			t.Fatalf("Write of tensors read: %v", err)
		}
		again, err := Read(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("Read of rewritten tensors: %v", err)
		}
		// Write stores the dtype of the slice, not of the file, and bit patterns (NaN payloads)
		// survive: compare values and shapes, not dtypes.
		for i := range got.Tensors {
			got.Tensors[i].Dtype, again.Tensors[i].Dtype = "", ""
		}
		if diff := cmp.Diff(got, again, cmp.Comparer(func(x, y float64) bool { return x == y || x != x && y != y }),
			cmp.Comparer(func(x, y float32) bool { return x == y || x != x && y != y })); diff != "" {
			t.Fatalf("rewritten tensors differ (-read +reread):\n%s", diff)
		}
	})
}
