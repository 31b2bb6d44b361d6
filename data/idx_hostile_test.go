package data_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gograd/gograd/data"
)

// allocated returns the bytes fn allocates, from runtime.MemStats.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// allowance is what a reader may allocate for an input of size bytes
// beyond what the caller expects: max(64 KiB, 8 × size).
func allowance(size int) uint64 { return uint64(max(64<<10, 8*size)) }

// gzipped returns b compressed at the best compression.
func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// writeRaw writes b to name in dir and returns the path.
func writeRaw(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadMNISTHostile checks crafted MNIST files: each is an error
// matching its sentinel, and none allocates beyond the allowance for its
// size (nothing is expected of a file that fails).
func TestLoadMNISTHostile(t *testing.T) {
	dir := t.TempDir()
	labels10 := writeRaw(t, dir, "labels10", idx(0x08, []uint32{10}, make([]byte, 10)))
	labelsBig := writeRaw(t, dir, "labelsBig.gz", gzipped(t, idx(0x08, []uint32{20000}, make([]byte, 20000))))
	// 20,000 images of 1000 zero pixels: 20 MB inflated, 20 KB deflated.
	zeros := make([]byte, 20000*1000)
	full := idx(0x08, []uint32{20000, 1000}, zeros)
	bomb := writeRaw(t, dir, "bomb.gz", gzipped(t, full))
	// 100 KB of random pixels, whose gzip stream is cut in the middle.
	noise := make([]byte, 100*1000)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	noisy := gzipped(t, idx(0x08, []uint32{100, 1000}, noise))
	cut := writeRaw(t, dir, "cut.gz", noisy[:len(noisy)/2])
	labels100 := writeRaw(t, dir, "labels100", idx(0x08, []uint32{100}, make([]byte, 100)))
	// A gzip member can expand at most 1032 times: 20,000 images of
	// 60,000 pixels cannot be in a 20 KB file.
	liar := writeRaw(t, dir, "liar.gz", gzipped(t, idx(0x08, []uint32{20000, 60000}, zeros)))
	trailing := writeRaw(t, dir, "trailing.gz", gzipped(t, append(idx(0x08, []uint32{10, 2}, make([]byte, 20)), make([]byte, 1<<20)...)))
	badCRC := gzipped(t, idx(0x08, []uint32{10, 2}, make([]byte, 20)))
	badCRC[len(badCRC)-5] ^= 1
	crc := writeRaw(t, dir, "crc.gz", badCRC)
	plainHuge := writeRaw(t, dir, "plainhuge", idx(0x08, []uint32{10, 0xffffffff}, make([]byte, 100)))
	overflow := writeRaw(t, dir, "overflow", idx(0x08, []uint32{0, 0xffffffff, 0xffffffff, 0xffffffff, 3}, nil))
	labels0 := writeRaw(t, dir, "labels0", idx(0x08, []uint32{0}, nil))
	for _, tc := range []struct {
		name           string
		images, labels string
		kind           error
		mention        string
	}{
		{"bomb with too few labels", bomb, labels10, data.ErrLength, "holds 20000 images but"},
		{"truncated gzip stream", cut, labels100, data.ErrTruncated, "cut.gz"},
		{"size beyond any gzip ratio", liar, labelsBig, data.ErrFormat, "liar.gz"},
		{"trailing data in gzip", trailing, labels10, data.ErrFormat, "data continues after the 20 values"},
		{"bad gzip checksum", crc, labels10, gzip.ErrChecksum, "crc.gz"},
		{"plain file shorter than declared", plainHuge, labels10, data.ErrTruncated, "plainhuge"},
		{"no images of overflowing size", overflow, labels0, data.ErrFormat, "too large"},
	} {
		var err error
		fi, _ := os.Stat(tc.images)
		li, _ := os.Stat(tc.labels)
		size := int(fi.Size() + li.Size())
		// The labels file is valid: what its labels take as float64 is
		// expected; nothing of the images is.
		expected := uint64(0)
		if tc.labels == labelsBig {
			expected = 8 * 20000
		}
		got := allocated(func() { _, err = data.LoadMNIST(tc.images, tc.labels) })
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: LoadMNIST: got error %v, want one matching %v that mentions %q", tc.name, err, tc.kind, tc.mention)
		}
		if got > allowance(size)+expected {
			t.Errorf("%s: LoadMNIST of %d bytes of files allocated %d bytes, want at most %d", tc.name, size, got, allowance(size)+expected)
		}
	}
}

// TestReadIDXKnownLength checks that ReadIDX of a reader that knows its
// length rejects a declared size beyond it before allocating.
func TestReadIDXKnownLength(t *testing.T) {
	in := idx(0x0E, []uint32{1 << 20, 1 << 10}, make([]byte, 1000))
	var err error
	got := allocated(func() { _, _, err = data.ReadIDX(bytes.NewReader(in)) })
	if !errors.Is(err, data.ErrTruncated) {
		t.Errorf("ReadIDX of %d bytes declaring 8 GiB: got %v, want ErrTruncated", len(in), err)
	}
	if got > allowance(len(in)) {
		t.Errorf("ReadIDX of %d bytes declaring 8 GiB allocated %d bytes, want at most %d", len(in), got, allowance(len(in)))
	}
	// The same through a reader that hides its length: what is read is
	// bounded by what is there.
	got = allocated(func() { _, _, err = data.ReadIDX(struct{ *bytes.Reader }{bytes.NewReader(in)}) })
	if !errors.Is(err, data.ErrTruncated) {
		t.Errorf("ReadIDX of an opaque reader of %d bytes declaring 8 GiB: got %v, want ErrTruncated", len(in), err)
	}
	if got > allowance(len(in)) {
		t.Errorf("ReadIDX of an opaque reader of %d bytes declaring 8 GiB allocated %d bytes, want at most %d", len(in), got, allowance(len(in)))
	}
}

// TestIDXNaN checks the decision on non-finite values: ReadIDX returns
// the IEEE values of float and double arrays as they are, as NumPy's
// frombuffer and torchvision's IDX reader do, since the format may hold
// them legitimately; LoadMNIST, whose pixels are to be scaled into
// [0, 1] for training, rejects them naming the pixel.
func TestIDXNaN(t *testing.T) {
	in := idx(0x0D, []uint32{1, 3}, be(binary32, float32(0.5), float32(math.NaN()), float32(math.Inf(1))))
	_, v, err := data.ReadIDX(bytes.NewReader(in))
	if err != nil || len(v) != 3 || v[0] != 0.5 || !math.IsNaN(v[1]) || !math.IsInf(v[2], 1) {
		t.Errorf("ReadIDX of floats 0.5 NaN +Inf: got %v, %v; want them unchanged", v, err)
	}
	dir := t.TempDir()
	images := writeRaw(t, dir, "images", in)
	labels := writeRaw(t, dir, "labels", idx(0x08, []uint32{1}, []byte{3}))
	_, err = data.LoadMNIST(images, labels)
	if want := "pixel 1 of image 0 is NaN"; !errors.Is(err, data.ErrValue) || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadMNIST of a NaN pixel: got %v, want ErrValue mentioning %q", err, want)
	}
}

func binary32(b []byte, v float32) []byte {
	return append(b, byte(math.Float32bits(v)>>24), byte(math.Float32bits(v)>>16), byte(math.Float32bits(v)>>8), byte(math.Float32bits(v)))
}
