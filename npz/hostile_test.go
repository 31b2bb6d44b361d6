package npz_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gograd/gograd/internal/allocs"
	"github.com/gograd/gograd/npz"
)

// deflated returns b compressed with deflate.
func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// rawZip returns an archive of one member whose bytes are raw, compressed with method, and whose
// central directory declares the given uncompressed size and CRC: a crafted archive.
func rawZip(t testing.TB, name string, method uint16, raw []byte, size uint64, crc uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: method, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// npyV2 returns a version 2.0 .npy preamble declaring a header of hlen bytes, followed by text.
func npyV2(hlen uint32, text string) []byte {
	b := []byte("\x93NUMPY\x02\x00")
	b = append(b, byte(hlen), byte(hlen>>8), byte(hlen>>16), byte(hlen>>24))
	return append(b, text...)
}

// bigZeros returns a deflated .npy member of a float64 vector of n zeros, really there.
func bigZeros(t testing.TB, name string, n int) []byte {
	t.Helper()
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + itoa(n) + ",), }"
	b := npy(dict, make([]byte, 8*n))
	return rawZip(t, name, zip.Deflate, deflated(t, b), uint64(len(b)), crc32.ChecksumIEEE(b))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// TestHostileArchives reads crafted archives: each must fail with the given error, and no read
// may allocate more than allocs.Budget of the archive (the caller expects nothing).
func TestHostileArchives(t *testing.T) {
	preamble := npyV2(0xFFFFFFFF, "{'descr': '<f8'")
	for _, tc := range []struct {
		name    string
		archive []byte
		want    error
		msg     string
	}{
		{"header length 0xFFFFFFFF in a member declaring 4 TiB", rawZip(t, "x.npy", zip.Deflate, deflated(t, preamble), 1<<42, 0), npz.ErrMember,
			`npz: array "x": invalid archive member: member declares 4398046511104 bytes from 34 compressed, more than deflate expands to`},
		{"header length 0xFFFFFFFF within deflate's ratio", rawZip(t, "x.npy", zip.Deflate, deflated(t, preamble), 20000, 0), npz.ErrHeader,
			`npz: array "x": corrupted .npy header: header length 4294967295 exceeds the limit of 10000 bytes`},
		{"stored member declaring more than it stores", rawZip(t, "x.npy", zip.Store, preamble, 1<<40, 0), npz.ErrMember,
			`npz: array "x": invalid archive member: stored member declares 1099511627776 bytes, and 27 compressed`},
		{"65 dimensions", zipOf(t, false, member{"x.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': ("+strings.Repeat("1, ", 65)+"), }", le64(0))}), npz.ErrHeader,
			`npz: array "x": corrupted .npy header: at byte 244 of "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"... (250 bytes): more than 64 dimensions`},
	} {
		var err error
		got := allocs.Bytes(func() { _, err = npz.Read(bytes.NewReader(tc.archive), int64(len(tc.archive))) })
		if !errors.Is(err, tc.want) || err.Error() != tc.msg {
			t.Errorf("%s: Read: error %q, want %q matching %v", tc.name, err, tc.msg, tc.want)
		}
		if budget := allocs.Budget(len(tc.archive), 0); got > budget {
			t.Errorf("%s: Read of %d bytes allocated %d bytes, more than %d", tc.name, len(tc.archive), got, budget)
		}
	}
}

// TestReadCheckedBeforeDecoding shows that a check sees an array's header before its data is
// decoded: rejecting a 32 MB vector (a 32 KB deflated member) costs no more than the archive's
// budget, and SkipArray returns the array's name and shape without data.
func TestReadCheckedBeforeDecoding(t *testing.T) {
	const n = 4 << 20
	archive := bigZeros(t, "big.npy", n)
	tooBig := errors.New("too big")
	var seen []npz.Header
	var err error
	got := allocs.Bytes(func() {
		_, err = npz.ReadChecked(bytes.NewReader(archive), int64(len(archive)), func(h npz.Header) error {
			seen = append(seen, h)
			if h.Len() > 1000 {
				return tooBig
			}
			return nil
		})
	})
	if !errors.Is(err, tooBig) || len(seen) != 1 || seen[0].Name != "big" || seen[0].Dtype != "float64" || seen[0].Len() != n {
		t.Errorf("ReadChecked rejecting: error %v after headers %+v; want the check's error after big float64 (%d)", err, seen, n)
	}
	if budget := allocs.Budget(len(archive), 0); got > budget {
		t.Errorf("ReadChecked rejecting a %d-element array from its header allocated %d bytes, more than %d", n, got, budget)
	}
	var arrays []npz.Array
	got = allocs.Bytes(func() {
		arrays, err = npz.ReadChecked(bytes.NewReader(archive), int64(len(archive)), func(npz.Header) error { return npz.SkipArray })
	})
	if err != nil || len(arrays) != 1 || arrays[0].Name != "big" || len(arrays[0].Shape) != 1 || arrays[0].Shape[0] != n || arrays[0].Len() != 0 {
		t.Errorf("ReadChecked skipping: got %v, %v; want big of shape (%d) without data", arrays, err, n)
	}
	if budget := allocs.Budget(len(archive), 0); got > budget {
		t.Errorf("ReadChecked skipping allocated %d bytes, more than %d", got, budget)
	}
	// Accepted, the array is allocated once: about its own size, not the doublings of appends.
	got = allocs.Bytes(func() {
		arrays, err = npz.ReadChecked(bytes.NewReader(archive), int64(len(archive)), func(npz.Header) error { return nil })
	})
	if err != nil || arrays[0].Len() != n {
		t.Fatalf("ReadChecked accepting: %v", err)
	}
	if budget := allocs.Budget(len(archive), 8*n); got > budget {
		t.Errorf("ReadChecked accepting a %d-byte array allocated %d bytes, more than %d", 8*n, got, budget)
	}
}

// TestWriteRejectsTooManyDimensions: NumPy reads at most 64 (npz.MaxRank).
func TestWriteRejectsTooManyDimensions(t *testing.T) {
	shape := make([]int, npz.MaxRank+1)
	for i := range shape {
		shape[i] = 1
	}
	err := npz.Write(new(bytes.Buffer), []npz.Array{npz.Float64("x", []float64{1}, shape...)})
	const want = `npz: array "x": shape does not match data length: 65 dimensions; at most 64`
	if !errors.Is(err, npz.ErrShape) || err.Error() != want {
		t.Errorf("Write of a 65-dimension array: %v, want %q", err, want)
	}
}

// TestWriteFileSideEffects: WriteFile keeps a file's mode, writes through a symbolic link and
// removes its own stale temporaries, and only those.
func TestWriteFileSideEffects(t *testing.T) {
	dir := t.TempDir()
	arrays := []npz.Array{npz.Float64("w", []float64{1, 2}, 2)}
	private := filepath.Join(dir, "private.npz")
	if err := os.WriteFile(private, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := npz.WriteFile(private, arrays); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(private); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("WriteFile over a 0600 file: mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	fresh := filepath.Join(dir, "fresh.npz")
	if err := npz.WriteFile(fresh, arrays); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("WriteFile of a new file: mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}

	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	target := filepath.Join(sub, "target.npz")
	link := filepath.Join(dir, "link.npz")
	if err := os.Symlink("sub/target.npz", link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := npz.WriteFile(link, arrays); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("WriteFile through a link replaced the link: %v, %v", fi.Mode(), err)
	}
	if got, err := npz.ReadFile(target); err != nil || len(got) != 1 {
		t.Errorf("WriteFile through a link: the target holds %v, %v", got, err)
	}

	stale := filepath.Join(dir, ".fresh.npz.tmp123456")
	recent := filepath.Join(dir, ".fresh.npz.tmp654321")
	other := filepath.Join(dir, ".fresh.npz.tmpnotours")
	for _, p := range []string{stale, recent, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	if err := npz.WriteFile(fresh, arrays); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		kept bool
	}{{stale, false}, {recent, true}, {other, true}} {
		if _, err := os.Stat(tc.path); (err == nil) != tc.kept {
			t.Errorf("after WriteFile: %s exists: %v, want %v", filepath.Base(tc.path), err == nil, tc.kept)
		}
	}
}
