package data_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gograd/gograd/data"
)

// idx returns an IDX file of type code typ with the given dimensions and
// raw big-endian element bytes.
func idx(typ byte, dims []uint32, elems []byte) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, elems...)
}

// be returns the big-endian bytes of each value converted by enc.
func be[T any](enc func([]byte, T) []byte, vs ...T) []byte {
	var b []byte
	for _, v := range vs {
		b = enc(b, v)
	}
	return b
}

func TestReadIDX(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        []byte
		wantShape []int
		want      []float64
	}{
		{"ubyte", idx(0x08, []uint32{2, 3}, []byte{0, 1, 2, 127, 128, 255}), []int{2, 3}, []float64{0, 1, 2, 127, 128, 255}},
		{"sbyte", idx(0x09, []uint32{4}, []byte{0, 1, 0x80, 0xff}), []int{4}, []float64{0, 1, -128, -1}},
		{"short", idx(0x0B, []uint32{3}, be(binary.BigEndian.AppendUint16, 1, 0x8000, 0xffff)), []int{3}, []float64{1, -32768, -1}},
		{"int", idx(0x0C, []uint32{1, 1, 2}, be(binary.BigEndian.AppendUint32, 70000, 0x80000000)), []int{1, 1, 2}, []float64{70000, math.MinInt32}},
		{"float", idx(0x0D, []uint32{2}, be(binary.BigEndian.AppendUint32, math.Float32bits(1.5), math.Float32bits(-0.25))), []int{2}, []float64{1.5, -0.25}},
		{"double", idx(0x0E, []uint32{2}, be(binary.BigEndian.AppendUint64, math.Float64bits(math.Pi), math.Float64bits(-1e300))), []int{2}, []float64{math.Pi, -1e300}},
		{"no dimensions", idx(0x08, nil, []byte{42}), []int{}, []float64{42}},
		{"empty", idx(0x08, []uint32{0, 28, 28}, nil), []int{0, 28, 28}, []float64{}},
	} {
		shape, got, err := data.ReadIDX(bytes.NewReader(tc.in))
		if err != nil {
			t.Errorf("%s: ReadIDX: %v", tc.name, err)
			continue
		}
		if !cmp.Equal(shape, tc.wantShape, cmpopts.EquateEmpty()) || !cmp.Equal(got, tc.want, cmpopts.EquateEmpty()) {
			t.Errorf("%s: ReadIDX: got shape %v, values %v, want %v, %v", tc.name, shape, got, tc.wantShape, tc.want)
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		kind error
	}{
		{"empty", nil, data.ErrEmpty},
		{"short magic", []byte{0, 0, 8}, data.ErrTruncated},
		{"bad magic", []byte{1, 0, 8, 1, 0, 0, 0, 1, 5}, data.ErrFormat},
		{"unknown type", idx(0x0A, []uint32{1}, []byte{1}), data.ErrFormat},
		{"truncated dimensions", idx(0x08, []uint32{1, 2, 3}, nil)[:9], data.ErrTruncated},
		{"truncated data", idx(0x08, []uint32{2, 3}, []byte{1, 2, 3, 4, 5}), data.ErrTruncated},
		{"truncated element", idx(0x0E, []uint32{1}, []byte{1, 2, 3}), data.ErrTruncated},
		{"trailing data", idx(0x08, []uint32{2}, []byte{1, 2, 3}), data.ErrFormat},
		{"huge declared size", idx(0x08, []uint32{0xffffffff, 0xffff}, []byte{1, 2, 3}), data.ErrTruncated},
		{"overflowing declared size", idx(0x0E, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, []byte{1}), data.ErrFormat},
	} {
		shape, v, err := data.ReadIDX(bytes.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: ReadIDX: got shape %v, %d values and nil error, want an error", tc.name, shape, len(v))
			continue
		}
		if !errors.Is(err, tc.kind) || !strings.HasPrefix(err.Error(), "data: ") {
			t.Errorf("%s: ReadIDX: got error %q, want one matching %q", tc.name, err, tc.kind)
		}
	}
}

// writeFile writes b to name in dir, gzipped if name ends in .gz, and
// returns the path.
func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	if strings.HasSuffix(name, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadMNIST(t *testing.T) {
	dir := t.TempDir()
	// Three 2x2 images and their labels.
	pixels := []byte{0, 255, 51, 102, 255, 255, 0, 0, 1, 2, 3, 4}
	images := writeFile(t, dir, "images-idx3-ubyte", idx(0x08, []uint32{3, 2, 2}, pixels))
	labels := writeFile(t, dir, "labels-idx1-ubyte", idx(0x08, []uint32{3}, []byte{7, 0, 9}))
	imagesGz := writeFile(t, dir, "images-idx3-ubyte.gz", idx(0x08, []uint32{3, 2, 2}, pixels))
	labelsGz := writeFile(t, dir, "labels-idx1-ubyte.gz", idx(0x08, []uint32{3}, []byte{7, 0, 9}))

	want := data.Dataset{Rows: 3, Cols: 4, Shape: []int{1, 2, 2}, Y: []int{7, 0, 9}}
	for _, p := range pixels {
		want.X = append(want.X, float64(p)/255)
	}
	for _, paths := range [][2]string{{images, labels}, {imagesGz, labelsGz}} {
		got, err := data.LoadMNIST(paths[0], paths[1])
		if err != nil {
			t.Errorf("LoadMNIST(%q, %q): %v", paths[0], paths[1], err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LoadMNIST(%q, %q) mismatch (-want +got):\n%s", paths[0], paths[1], diff)
		}
	}

	twoLabels := writeFile(t, dir, "two-labels", idx(0x08, []uint32{2}, []byte{1, 2}))
	matrixLabels := writeFile(t, dir, "matrix-labels", idx(0x08, []uint32{3, 1}, []byte{1, 2, 3}))
	negLabels := writeFile(t, dir, "neg-labels", idx(0x09, []uint32{3}, []byte{1, 0xff, 3}))
	truncated := writeFile(t, dir, "truncated-images", idx(0x08, []uint32{3, 2, 2}, pixels[:7]))
	missing := filepath.Join(dir, "missing")
	for _, tc := range []struct {
		name           string
		images, labels string
		kind           error
		mention        []string
	}{
		{"count mismatch", images, twoLabels, data.ErrLength, []string{images, twoLabels, "3 images", "2 labels"}},
		{"labels not a vector", images, matrixLabels, data.ErrFormat, []string{matrixLabels}},
		{"negative label", images, negLabels, data.ErrValue, []string{negLabels, "label 1 is -1"}},
		{"truncated images", truncated, labels, data.ErrTruncated, []string{truncated}},
		{"missing images", missing, labels, os.ErrNotExist, []string{missing}},
		{"missing labels", images, missing, os.ErrNotExist, []string{missing}},
	} {
		_, err := data.LoadMNIST(tc.images, tc.labels)
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s: LoadMNIST: got error %v, want one matching %v", tc.name, err, tc.kind)
			continue
		}
		for _, m := range tc.mention {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: LoadMNIST: error %q does not mention %q", tc.name, err, m)
			}
		}
	}
}

// TestLoadMNISTWithNoImages checks an empty file still gives the image size as Cols.
func TestLoadMNISTWithNoImages(t *testing.T) {
	dir := t.TempDir()
	images := writeFile(t, dir, "images", idx(0x08, []uint32{0, 28, 28}, nil))
	labels := writeFile(t, dir, "labels", idx(0x08, []uint32{0}, nil))
	got, err := data.LoadMNIST(images, labels)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 0 || got.Cols != 28*28 || !cmp.Equal(got.Shape, []int{1, 28, 28}) {
		t.Errorf("LoadMNIST of no 28×28 images: %d rows of %d columns of shape %v, want 0 of %d of shape [1 28 28]", got.Rows, got.Cols, got.Shape, 28*28)
	}
}
