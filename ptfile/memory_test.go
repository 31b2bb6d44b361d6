package ptfile

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gograd/gograd/internal/allocs"
)

// TestCraftedPickleMemory checks the memory bound of FuzzRead on pickles built to make many
// values from few bytes: dict entries, empty strings, memo entries and tuples. The bound is
// allocs.Budget of 5 × the input (40×), not of the input (8×) as for safetensors: the pickle
// machine must afford the ~20 bytes per pickle byte that real state_dicts cost it.
func TestCraftedPickleMemory(t *testing.T) {
	const n = 50000
	memo := []byte("\x80\x02}")
	for i := range n {
		memo = append(memo, 'r')
		memo = binary.LittleEndian.AppendUint32(memo, uint32(i))
	}
	for _, c := range []struct {
		name string
		p    []byte
	}{
		{"dict entries", append(append([]byte("\x80\x02}"), bytes.Repeat([]byte("K\x00K\x00s"), n)...), '.')},
		{"empty strings in a dict", append(append([]byte("\x80\x02}"), bytes.Repeat([]byte("X\x00\x00\x00\x00K\x01s"), n)...), '.')},
		{"memo entries", append(memo, '.')},
		{"tuples", append(append([]byte("\x80\x02}"), bytes.Repeat([]byte("K\x01K\x01K\x01\x87K\x01s"), n)...), '.')},
	} {
		b := archive(t, c.p, nil)
		got := allocs.Bytes(func() { _, _ = Read(bytes.NewReader(b), int64(len(b))) })
		if budget := allocs.Budget(5*len(b), 0); got > budget {
			t.Errorf("%s: Read of %d bytes allocated %d, more than %d", c.name, len(b), got, budget)
		}
		t.Logf("%s: %d bytes, %d allocated (%.1f per byte)", c.name, len(b), got, float64(got)/float64(len(b)))
	}
}
