package safetensors

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/gograd/gograd/internal/allocs"
)

// TestManyEntriesMemory checks the memory bound of FuzzRead on the header that costs most per
// byte: many empty tensors with the shortest names, where JSON decoding dominates. It costs up
// to about 10 bytes per header byte with encoding/json (a map entry and a Tensor per ~50-byte
// entry), which is why the bound is allocs.Budget of twice the input (16×), not allocs.Budget
// of the input (8×); a hand-written header scanner would be needed for 8×.
func TestManyEntriesMemory(t *testing.T) {
	for _, dims := range []string{"", "0", "0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"} {
		var h strings.Builder
		h.WriteString("{")
		const n = 20000
		for i := range n {
			if i > 0 {
				h.WriteString(",")
			}
			fmt.Fprintf(&h, `"%x":{"dtype":"U8","shape":[%s],"data_offsets":[0,0]}`, i, dims)
		}
		h.WriteString("}")
		b := file(h.String(), nil)
		var err error
		got := allocs.Bytes(func() { _, err = Read(bytes.NewReader(b), int64(len(b))) })
		if dims != "" && err != nil {
			t.Fatalf("shape [%s]: %v", dims, err)
		}
		if budget := allocs.Budget(2*len(b), 0); got > budget {
			t.Errorf("shape [%s]: Read of %d bytes allocated %d, more than %d", dims, len(b), got, budget)
		}
		t.Logf("shape [%s]: %d bytes read, %d allocated (%.1f per byte)", dims, len(b), got, float64(got)/float64(len(b)))
	}
}
