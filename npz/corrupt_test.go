package npz_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gograd/gograd/npz"
)

func TestReadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.npz")
	_, err := npz.ReadFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadFile(%q): got error %v, want fs.ErrNotExist naming the path", path, err)
	}
}

// TestReadFileTruncated checks that every strict prefix of a valid archive
// fails with an error naming the file.
func TestReadFileTruncated(t *testing.T) {
	valid, err := os.ReadFile("testdata/numpy.npz")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cut.npz")
	for n := 0; n < len(valid); n++ {
		if err := os.WriteFile(path, valid[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := npz.ReadFile(path)
		if err == nil {
			t.Errorf("ReadFile of the first %d of %d bytes: got nil error, want one", n, len(valid))
			continue
		}
		if !strings.HasPrefix(err.Error(), "npz: "+path+": ") {
			t.Errorf("ReadFile of the first %d of %d bytes: error %q does not start with %q", n, len(valid), err, "npz: "+path+": ")
		}
	}
}

// TestReadFileFlipped checks that flipping any single byte of a valid
// stored archive either fails or, where the byte is not checked (such as
// a timestamp), reads the same arrays.
func TestReadFileFlipped(t *testing.T) {
	valid, err := os.ReadFile("testdata/numpy.npz")
	if err != nil {
		t.Fatal(err)
	}
	for i := range valid {
		b := bytes.Clone(valid)
		b[i] ^= 0xff
		got, err := npz.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "npz: ") {
				t.Errorf("Read with byte %d flipped: error %q lacks the npz prefix", i, err)
			}
			continue
		}
		if len(got) != len(numpyArrays) {
			t.Errorf("Read with byte %d flipped: got %d arrays and no error, want %d arrays", i, len(got), len(numpyArrays))
		}
	}
}

func TestReadCorrupted(t *testing.T) {
	const f8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
	for _, tc := range []struct {
		name    string
		archive []byte
		want    error  // nil for errors from archive/zip
		array   string // array named in the message, or ""
	}{
		{name: "not a zip", archive: []byte("hello, world"), want: nil},
		{name: "empty file", archive: nil, want: nil},
		{name: "not a .npy member", archive: zipOf(t, false, member{"x.txt", []byte("hi")}), want: npz.ErrMember},
		{name: "duplicate member", archive: zipOf(t, false, member{"x.npy", npy(f8, le64(1, 2))}, member{"x.npy", npy(f8, le64(1, 2))}), want: npz.ErrMember, array: "x"},
		{name: "bad magic", archive: zipOf(t, false, member{"x.npy", []byte("\x93NUMPZ\x01\x00\x00\x00")}), want: npz.ErrHeader, array: "x"},
		{name: "short magic", archive: zipOf(t, false, member{"x.npy", []byte("\x93NU")}), want: npz.ErrHeader, array: "x"},
		{name: "bad version", archive: zipOf(t, false, member{"x.npy", []byte("\x93NUMPY\x04\x00\x00\x00")}), want: npz.ErrHeader, array: "x"},
		{name: "header length past end", archive: zipOf(t, false, member{"x.npy", []byte("\x93NUMPY\x01\x00\xff\xff{")}), want: npz.ErrHeader, array: "x"},
		{name: "v2 header length past end", archive: zipOf(t, false, member{"x.npy", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{")}), want: npz.ErrHeader, array: "x"},
		{name: "header not a dict", archive: zipOf(t, false, member{"x.npy", npy("[1, 2]", nil)}), want: npz.ErrHeader, array: "x"},
		{name: "missing shape", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False}", nil)}), want: npz.ErrHeader, array: "x"},
		{name: "unknown key", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", le64(1))}), want: npz.ErrHeader, array: "x"},
		{name: "duplicate key", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': ()}", le64(1))}), want: npz.ErrHeader, array: "x"},
		{name: "negative dimension", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", nil)}), want: npz.ErrHeader, array: "x"},
		{name: "overflowing dimension", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", nil)}), want: npz.ErrHeader, array: "x"},
		{name: "overflowing shape", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296)}", nil)}), want: npz.ErrHeader, array: "x"},
		{name: "huge shape", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000000)}", le64(1))}), want: npz.ErrTruncated, array: "x"},
		{name: "huge compressed shape", archive: zipOf(t, true, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000000)}", le64(1))}), want: npz.ErrTruncated, array: "x"},
		{name: "unsupported dtype", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,)}", make([]byte, 16))}), want: npz.ErrDtype, array: "x"},
		{name: "native byte order", archive: zipOf(t, false, member{"x.npy", npy("{'descr': '=f8', 'fortran_order': False, 'shape': (1,)}", le64(1))}), want: npz.ErrDtype, array: "x"},
		{name: "structured dtype", archive: zipOf(t, false, member{"x.npy", npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}", le64(1))}), want: npz.ErrDtype, array: "x"},
		{name: "short data", archive: zipOf(t, false, member{"x.npy", npy(f8, le64(1))}), want: npz.ErrTruncated, array: "x"},
		{name: "short compressed data", archive: zipOf(t, true, member{"x.npy", npy(f8, le64(1))}), want: npz.ErrTruncated, array: "x"},
		{name: "long data", archive: zipOf(t, false, member{"x.npy", npy(f8, le64(1, 2, 3))}), want: npz.ErrShape, array: "x"},
		{name: "second array bad", archive: zipOf(t, false, member{"ok.npy", npy(f8, le64(1, 2))}, member{"x.npy", npy(f8, le64(1))}), want: npz.ErrTruncated, array: "x"},
	} {
		_, err := npz.Read(bytes.NewReader(tc.archive), int64(len(tc.archive)))
		if err == nil {
			t.Errorf("%s: Read: got nil error, want one", tc.name)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: Read: got error %q, want %q", tc.name, err, tc.want)
		}
		var e *npz.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: Read: got error %q of type %T, want *npz.Error", tc.name, err, err)
			continue
		}
		if e.Array != tc.array {
			t.Errorf("%s: Read: error %q names array %q, want %q", tc.name, err, e.Array, tc.array)
		}
		if tc.array != "" && !strings.Contains(err.Error(), `array "`+tc.array+`"`) {
			t.Errorf("%s: Read: error %q does not name array %q", tc.name, err, tc.array)
		}
	}
}

// TestReadChecksum checks that a corrupted data byte in a stored member
// is caught by the zip checksum.
func TestReadChecksum(t *testing.T) {
	const f8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
	b := zipOf(t, false, member{"x.npy", npy(f8, le64(1, 2))})
	i := bytes.Index(b, le64(2))
	b[i] ^= 1
	_, err := npz.Read(bytes.NewReader(b), int64(len(b)))
	if err == nil || !strings.Contains(err.Error(), `array "x"`) {
		t.Errorf("Read with a corrupted data byte: got error %v, want a checksum error naming array \"x\"", err)
	}
}
