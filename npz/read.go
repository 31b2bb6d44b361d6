package npz

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// Read reads the arrays of the .npz archive of size bytes held in r, in
// archive order. Each member must be a .npy file; the array name is the
// member name without its ".npy" suffix. Problems with the data are
// reported as an *Error naming the array at fault.
//
// Read treats the archive as hostile: a member may not declare more
// uncompressed bytes than deflate can expand its compressed bytes to
// (1032 to 1), nor a .npy header longer than MaxHeader bytes or a rank
// above MaxRank; an array's memory is committed at once only up to
// max(64 KiB, 8 × its compressed size), and beyond that only as its data
// really arrives. Still, a 1 MB archive can hold 1 GB of real data: to
// read an archive you do not trust, give ReadChecked a check that rejects
// an array from its header, before any of its data is decoded, as
// checkpoint.Load does.
func Read(r io.ReaderAt, size int64) ([]Array, error) {
	return ReadChecked(r, size, nil)
}

// Header describes an array as its .npy header declares it, before its
// data is read.
type Header struct {
	Name  string
	Dtype string // NumPy's name of the dtype in the file: "float64", "float32", "float16", "int64", "uint8", "bool", ...
	Shape []int  // must not be modified
}

// Len returns the number of elements the header declares.
func (h Header) Len() int {
	n := 1
	for _, d := range h.Shape {
		n *= d // cannot overflow: readers check the product first
	}
	return n
}

// SkipArray, returned by the check of ReadChecked, leaves an array's data
// undecoded: the array is returned with its Name and Shape and nil data.
var SkipArray = errors.New("npz: skip this array")

// ReadChecked is Read calling check, when it is not nil, with the header
// of every array before decoding the array's data: SkipArray skips the
// data, any other non-nil error stops the read and is returned as the Err
// of an *Error naming the array. A caller that knows what it expects (a
// model loading a checkpoint knows every shape) rejects an array of the
// wrong size before it costs memory.
func ReadChecked(r io.ReaderAt, size int64, check func(Header) error) ([]Array, error) {
	arrays, err := read(r, size, check)
	if err != nil {
		return nil, err
	}
	return arrays, nil
}

// ReadFile reads the arrays of the .npz file at path, in archive order.
// Errors name the path and, where there is one, the array at fault.
func ReadFile(path string) ([]Array, error) {
	return ReadFileChecked(path, nil)
}

// ReadFileChecked is ReadFile calling check as ReadChecked does.
func ReadFileChecked(path string, check func(Header) error) ([]Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	arrays, rerr := read(f, fi.Size(), check)
	if rerr != nil {
		rerr.Path = path
		return nil, rerr
	}
	return arrays, nil
}

func read(r io.ReaderAt, size int64, check func(Header) error) ([]Array, *Error) {
	z, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Member names are never used as file paths, so names that
		// would be insecure to extract are harmless.
		return nil, &Error{Err: err}
	}
	arrays := make([]Array, 0, len(z.File))
	seen := make(map[string]bool, len(z.File))
	for _, f := range z.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, &Error{Err: ag.Errorf("", ErrMember, "member %q is not a .npy file", f.Name)}
		}
		if seen[name] {
			return nil, &Error{Array: name, Err: ag.Errorf("", ErrMember, "member %q occurs twice", f.Name)}
		}
		seen[name] = true
		a, err := readMember(f, size, name, check)
		if err != nil {
			return nil, &Error{Array: name, Err: err}
		}
		a.Name = name
		arrays = append(arrays, a)
	}
	return arrays, nil
}

// maxDeflateRatio is the most deflate can expand data: a 258-byte match
// costs at least 2 bits, so at most 1032 bytes come out per byte in.
const maxDeflateRatio = 1032

// readMember reads the .npy member f of an archive of archiveSize bytes.
func readMember(f *zip.File, archiveSize int64, name string, check func(Header) error) (Array, error) {
	if f.CompressedSize64 > uint64(archiveSize) {
		return Array{}, ag.Errorf("", ErrTruncated, "member declares %d compressed bytes; the archive has %d", f.CompressedSize64, archiveSize)
	}
	switch f.Method {
	case zip.Store:
		if f.UncompressedSize64 != f.CompressedSize64 {
			return Array{}, ag.Errorf("", ErrMember, "stored member declares %d bytes, and %d compressed", f.UncompressedSize64, f.CompressedSize64)
		}
	case zip.Deflate:
		if f.UncompressedSize64 > maxDeflateRatio*f.CompressedSize64+maxDeflateRatio {
			return Array{}, ag.Errorf("", ErrMember, "member declares %d bytes from %d compressed, more than deflate expands to", f.UncompressedSize64, f.CompressedSize64)
		}
	}
	rc, err := f.Open()
	if err != nil {
		return Array{}, err
	}
	defer rc.Close()
	trust := max(trustedBytes, 8*int64(f.CompressedSize64))
	return readNpy(rc, int64(f.UncompressedSize64), trust, name, check)
}

// trustedBytes is how much memory an array may commit before its data
// arrives, whatever its compressed size.
const trustedBytes = 64 << 10
