package checkpoint_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/internal/allocs"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
)

// bombFile writes a checkpoint whose array name holds a float64 vector of n zeros, really
// there but deflated to about n/128 bytes, and returns its path and size.
func bombFile(t *testing.T, name string, n int) (string, int) {
	t.Helper()
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + itoa(n) + ",), }"
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), byte(len(dict)>>8))
	b = append(append(b, dict...), make([]byte, 8*n)...)
	var def bytes.Buffer
	w, _ := flate.NewWriter(&def, flate.BestCompression)
	w.Write(b)
	w.Close()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	m, err := z.CreateRaw(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(b),
		CompressedSize64: uint64(def.Len()), UncompressedSize64: uint64(len(b))})
	if err != nil {
		t.Fatal(err)
	}
	m.Write(def.Bytes())
	z.Close()
	path := filepath.Join(t.TempDir(), "bomb.npz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, buf.Len()
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// TestLoadRejectsBombsFromTheirHeaders: a decompression bomb (a 32 MB array in a file of 32
// KB) costs Load no more than the file's budget, whether it claims to be a parameter of the
// wrong shape, an array the model does not have, or optimizer state larger than any parameter:
// each is rejected, or skipped, from its header. Before, Load decoded the 32 MB first.
func TestLoadRejectsBombsFromTheirHeaders(t *testing.T) {
	const n = 4 << 20
	for _, tc := range []struct {
		name string
		opt  bool
		want error
	}{
		{"weight", false, checkpoint.ErrMismatch},
		{"unknown", false, checkpoint.ErrMissing},
		{"optim.weight.exp_avg", true, checkpoint.ErrMismatch},
		{"optim.lr", false, checkpoint.ErrMissing},
	} {
		path, size := bombFile(t, tc.name, n)
		m := layers.NewLinear(2, 2, layers.WithSeed(1))
		before := append([]float64(nil), m.Weight.Data64()...)
		var opts []optim.Stateful
		if tc.opt {
			o, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.1})
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, o)
		}
		var err error
		got := allocs.Bytes(func() { err = checkpoint.Load(path, m, opts...) })
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Load of a %d-element bomb: %v, want %v", tc.name, n, err, tc.want)
		}
		if budget := allocs.Budget(size, 0); got > budget {
			t.Errorf("%s: Load of a %d-byte file declaring %d elements allocated %d bytes, more than %d", tc.name, size, n, got, budget)
		}
		if w := m.Weight.Data64(); w[0] != before[0] || w[3] != before[3] {
			t.Errorf("%s: a failed Load changed the weight from %v to %v", tc.name, before, w)
		}
	}
}
