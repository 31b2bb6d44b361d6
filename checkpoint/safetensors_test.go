package checkpoint

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/safetensors"
)

// TestLoadSafetensorsErrors checks that a bad safetensors checkpoint is an error naming the file
// and the entry, and leaves the model unchanged.
func TestLoadSafetensorsErrors(t *testing.T) {
	dir := t.TempDir()
	build := func() *layers.Sequential { return layers.NewSequential(layers.NewLinear(2, 3, layers.WithSeed(3))) }
	_, raw, write := savedBytes(t, dir, "good.safetensors", build())
	file := func(header string, data []byte) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		return append(append(b, header...), data...)
	}
	huge := binary.LittleEndian.AppendUint64(nil, 50<<30)
	for _, c := range []struct {
		name  string
		path  string
		kind  error
		parts []string
	}{
		{"truncated", write("trunc.safetensors", raw[:len(raw)-4]), safetensors.ErrOffsets, []string{"trunc.safetensors"}},
		{"header claims 50 GiB", write("huge.safetensors", append(huge, raw[8:]...)), safetensors.ErrHeader, []string{"huge.safetensors"}},
		{"unknown dtype", write("f8.safetensors", file(`{"0.weight":{"dtype":"F8_E5M2","shape":[3,2],"data_offsets":[0,6]}}`, make([]byte, 6))),
			safetensors.ErrDtype, []string{"f8.safetensors", `"0.weight"`}},
		{"wrong shape", write("shape.safetensors", file(`{"0.bias":{"dtype":"F64","shape":[3],"data_offsets":[0,24]},"0.weight":{"dtype":"F64","shape":[3,3],"data_offsets":[24,96]}}`, make([]byte, 96))),
			ErrMismatch, []string{"shape.safetensors", `"0.weight"`, "(3,3) in the file, (3,2) in the model"}},
		{"wrong dtype", write("dtype.safetensors", file(`{"0.bias":{"dtype":"F64","shape":[3],"data_offsets":[0,24]},"0.weight":{"dtype":"I64","shape":[3,2],"data_offsets":[24,72]}}`, make([]byte, 72))),
			ErrMismatch, []string{"dtype.safetensors", `"0.weight"`, "int64"}},
		{"missing bias", write("nobias.safetensors", file(`{"0.weight":{"dtype":"F64","shape":[3,2],"data_offsets":[0,48]}}`, make([]byte, 48))),
			ErrMissing, []string{"nobias.safetensors", `"0.bias"`}},
	} {
		m := build()
		before := values(m)
		err := Load(c.path, m)
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want an error matching %v", c.name, err, c.kind)
		}
		for _, part := range c.parts {
			if err != nil && !strings.Contains(err.Error(), part) {
				t.Errorf("%s: got %q, want it to name %s", c.name, err, part)
			}
		}
		if got := values(m); !cmp.Equal(got, before) {
			t.Errorf("%s: the model changed after a failed Load", c.name)
		}
	}
}
