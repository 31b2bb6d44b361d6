package safetensors

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/gograd/gograd/internal/allocs"
)

// TestManyEntriesMemory checks the memory bound of FuzzRead on the headers that cost most per
// byte: many empty tensors with the shortest names, with short and with the longest shapes, and
// the most metadata entries followed by many tensors.
func TestManyEntriesMemory(t *testing.T) {
	const n = 20000
	for _, c := range []struct{ dims, meta string }{
		{"", ""}, {"0", ""}, {"0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", ""}, {"0", "m"},
	} {
		var h strings.Builder
		h.WriteString("{")
		if c.meta != "" {
			h.WriteString(`"__metadata__":{`)
			for i := range MaxMetadata {
				if i > 0 {
					h.WriteString(",")
				}
				fmt.Fprintf(&h, `"%x":""`, i)
			}
			h.WriteString("},")
		}
		for i := range n {
			if i > 0 {
				h.WriteString(",")
			}
			fmt.Fprintf(&h, `"%x":{"dtype":"U8","shape":[%s],"data_offsets":[0,0]}`, i, c.dims)
		}
		h.WriteString("}")
		b := file(h.String(), nil)
		var err error
		got := allocs.Bytes(func() { _, err = Read(bytes.NewReader(b), int64(len(b))) })
		if c.dims != "" && err != nil {
			t.Fatalf("shape [%s]: %v", c.dims, err)
		}
		if budget := allocs.Budget(len(b), 0); got > budget {
			t.Errorf("shape [%s], metadata %t: Read of %d bytes allocated %d, more than %d", c.dims, c.meta != "", len(b), got, budget)
		}
		t.Logf("shape [%s], metadata %t: %d bytes read, %d allocated (%.1f per byte)", c.dims, c.meta != "", len(b), got, float64(got)/float64(len(b)))
	}
}
