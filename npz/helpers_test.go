package npz_test

import (
	"archive/zip"
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// bitExact compares floating-point values by their bits, so NaN payloads
// and the sign of zero count, and treats nil and empty slices alike.
var bitExact = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmp.Comparer(func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }),
	cmpopts.EquateEmpty(),
}

// member is a raw zip member for building archives by hand.
type member struct {
	name string
	data []byte
}

// zipOf returns a zip archive holding members, stored or deflated.
func zipOf(t testing.TB, deflate bool, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	method := zip.Store
	if deflate {
		method = zip.Deflate
	}
	for _, m := range members {
		w, err := z.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatalf("creating zip member %q: %v", m.name, err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatalf("writing zip member %q: %v", m.name, err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatalf("closing zip: %v", err)
	}
	return buf.Bytes()
}

// npy returns a version 1.0 .npy file with the given header dict text
// and raw data bytes.
func npy(dict string, data []byte) []byte {
	b := []byte("\x93NUMPY\x01\x00")
	b = append(b, byte(len(dict)), byte(len(dict)>>8))
	b = append(b, dict...)
	return append(b, data...)
}

// le64 returns the little-endian bytes of vs.
func le64(vs ...float64) []byte {
	var b []byte
	for _, v := range vs {
		u := math.Float64bits(v)
		for i := 0; i < 8; i++ {
			b = append(b, byte(u>>(8*i)))
		}
	}
	return b
}
