package mistakes

import (
	"bytes"
	"compress/flate"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gograd/gograd/checkpoint"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
)

// childEnv marks the process that TestCraftedFilesUnderUlimit runs under the memory limit.
const childEnv = "GOGRAD_ULIMIT_CHILD"

// TestCraftedFilesUnderUlimit runs the loaders on crafted files of at most 1 MB in a copy of
// this test binary limited to 1 GB of address space (ulimit -v 1000000): each must return an
// error, none may crash. Among the files are decompression bombs that inflate to 1 GB.
//
// The Go runtime itself reserves most of that 1 GB (the child's VmSize is about 980 MB before
// it reads anything), so only a few tens of MB of heap are left: a loader passes only if a
// crafted file costs it little more than its own size. A gzipped CSV bomb is real data (600 MB
// of valid rows); LoadCSV's default MaxValues (2²⁵ values, 256 MiB) is more than that heap, so
// the test reads it as a caller expecting a small file would, with MaxValues(1 << 20).
func TestCraftedFilesUnderUlimit(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		loadCraftedFiles(t)
		return
	}
	if testing.Short() {
		t.Skip("re-runs the test binary under ulimit -v")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to set ulimit -v:", err)
	}
	// The runtime's own reservations leave it so little room that it sometimes fails to map
	// one more small heap block (4 MiB, with about 12 MB in use) whatever the loaders do; such a
	// run says nothing about them and is tried again. A loader that asks for a large block, or
	// whose heap grows, fails every time. Thread stacks are kept small (ulimit -s) for the same
	// reason.
	for try := 1; ; try++ {
		cmd := exec.Command(sh, "-c", `ulimit -s 1024 && ulimit -v 1000000 && exec "$0" -test.run '^TestCraftedFilesUnderUlimit$' -test.v`, os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"=1", "GOMAXPROCS=2")
		out, err := cmd.CombinedOutput()
		if err == nil && bytes.Contains(out, []byte("--- PASS: TestCraftedFilesUnderUlimit")) {
			return
		}
		if try < 10 && runtimeStarved(out) {
			t.Logf("try %d: the runtime could not map a small block under the limit; trying again", try)
			continue
		}
		t.Fatalf("loaders under ulimit -v 1000000 (try %d): %v\n%s", try, err, out)
	}
}

// starvedRE matches the runtime's report of a heap block it could not map.
var starvedRE = regexp.MustCompile(`runtime: out of memory: cannot allocate (\d+)-byte block \((\d+) in use\)`)

// runtimeStarved reports whether out shows the runtime failing to map a block of at most 4 MiB
// with at most 64 MiB of heap in use: address space taken by the runtime's reservations, not by
// a loader.
func runtimeStarved(out []byte) bool {
	m := starvedRE.FindSubmatch(out)
	if m == nil {
		return false
	}
	block, err1 := strconv.ParseUint(string(m[1]), 10, 64)
	inUse, err2 := strconv.ParseUint(string(m[2]), 10, 64)
	return err1 == nil && err2 == nil && block <= 4<<20 && inUse <= 64<<20
}

// loadCraftedFiles is the child's part: write every crafted file and run its loaders.
func loadCraftedFiles(t *testing.T) {
	dir := t.TempDir()
	model := func() layers.Module { return layers.NewMLP([]int{4, 8, 2}, layers.ReLU{}, layers.SoftmaxHead) }
	accept1MiB := func(h npz.Header) error {
		if h.Len() > 1<<17 {
			return errors.New("array larger than 1 MiB")
		}
		return nil
	}
	npzLoaders := func(bomb bool) []func(string) error {
		ls := []func(string) error{
			func(p string) error { return checkpoint.Load(p, model()) },
			func(p string) error { return second(npz.ReadFileChecked(p, accept1MiB)) },
		}
		if !bomb { // a real 1 GB array is 1 GB to plain ReadFile, as to numpy.load
			ls = append(ls, func(p string) error { return second(npz.ReadFile(p)) })
		}
		return ls
	}
	csvLoaders := []func(string) error{func(p string) error { return second(data.LoadCSV(p)) }}
	smallCSV := []func(string) error{func(p string) error { return second(data.LoadCSV(p, data.MaxValues(1<<20))) }}
	pre := []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr': '<f8'")
	for _, f := range []struct {
		name    string
		content []byte
		loaders []func(string) error
	}{
		{"header-0xffffffff.npz", rawBytes(rawMember("0.weight.npy", deflate(pre), 20000)), npzLoaders(false)},
		{"declares-4TiB.npz", rawBytes(rawMember("0.weight.npy", deflate(pre), 1<<42)), npzLoaders(false)},
		{"inflates-to-1GB.npz", zeroBomb("0.weight.npy", 960), npzLoaders(true)},
		{"inflates-to-1GB-unknown.npz", zeroBomb("junk.npy", 960), npzLoaders(true)},
		{"commas.csv", bytes.Repeat([]byte(","), 1000000), csvLoaders},
		{"quoted-lines.csv", append([]byte(`"`), bytes.Repeat([]byte("\n"), 999999)...), csvLoaders},
		{"inflates-to-600MB.csv.gz", csvBomb(), smallCSV},
	} {
		if len(f.content) > 1000000 {
			t.Fatalf("%s: %d bytes, more than 1 MB", f.name, len(f.content))
		}
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.content, 0o644); err != nil {
			t.Fatal(err)
		}
		for i, load := range f.loaders {
			if err := load(path); err == nil {
				t.Errorf("%s: loader %d: no error", f.name, i)
			} else {
				t.Logf("%s: loader %d: %s", f.name, i, strings.ReplaceAll(err.Error(), dir, "DIR"))
			}
		}
	}
}

func rawBytes(r *bytes.Reader, n int64) []byte {
	b := make([]byte, n)
	r.ReadAt(b, 0)
	return b
}

// repeatedDeflate returns a deflate stream of head followed by n copies of a block of data,
// built from the compressed form of one copy: once the window holds only the repeated data, a
// flushed block compresses to the same bytes every time. It takes a second to inflate what
// would take minutes to compress.
func repeatedDeflate(head, block []byte, n int) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(head)
	w.Write(block)
	w.Flush()
	k := buf.Len()
	w.Write(block)
	w.Flush()
	seg := bytes.Clone(buf.Bytes()[k:])
	for range n - 2 {
		buf.Write(seg)
	}
	var end bytes.Buffer
	fw, _ := flate.NewWriter(&end, flate.BestCompression)
	fw.Close()
	return append(buf.Bytes(), end.Bytes()...)
}

// zeroBomb returns an archive of one member holding a float64 vector of mib MiB of zeros,
// really there, in about mib KB.
func zeroBomb(name string, mib int) []byte {
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + itoa(mib<<17) + ",), }"
	head := npyOf(dict, nil)
	def := repeatedDeflate(head, make([]byte, 1<<20), mib)
	return rawBytes(rawMember(name, def, uint64(len(head))+uint64(mib)<<20))
}

// csvBomb returns a gzip file of rows "1,2,0" inflating to 600 MB, in under 1 MB (its checksum
// is not computed: no reader gets to the end).
func csvBomb() []byte {
	block := bytes.Repeat([]byte("1,2,0\n"), 174762) // 1 MiB less 4 bytes, whole rows
	def := repeatedDeflate(nil, block, 600)
	gz := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	gz = append(gz, def...)
	return append(gz, 0, 0, 0, 0, 0, 0, 0, 0)
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
