package npz

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Read reads the arrays of the .npz archive of size bytes held in r, in
// archive order. Each member must be a .npy file; the array name is the
// member name without its ".npy" suffix. Problems with the data are
// reported as an *Error naming the array at fault.
func Read(r io.ReaderAt, size int64) ([]Array, error) {
	arrays, err := read(r, size)
	if err != nil {
		return nil, err
	}
	return arrays, nil
}

// ReadFile reads the arrays of the .npz file at path, in archive order.
// Errors name the path and, where there is one, the array at fault.
func ReadFile(path string) ([]Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	arrays, rerr := read(f, fi.Size())
	if rerr != nil {
		rerr.Path = path
		return nil, rerr
	}
	return arrays, nil
}

func read(r io.ReaderAt, size int64) ([]Array, *Error) {
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
			return nil, &Error{Err: errorf(ErrMember, fmt.Sprintf("member %q is not a .npy file", f.Name))}
		}
		if seen[name] {
			return nil, &Error{Array: name, Err: errorf(ErrMember, fmt.Sprintf("member %q occurs twice", f.Name))}
		}
		seen[name] = true
		a, err := readMember(f)
		if err != nil {
			return nil, &Error{Array: name, Err: err}
		}
		a.Name = name
		arrays = append(arrays, a)
	}
	return arrays, nil
}

func readMember(f *zip.File) (Array, error) {
	if f.UncompressedSize64 > 1<<62 {
		return Array{}, errorf(ErrTruncated, fmt.Sprintf("declared size %d is too large", f.UncompressedSize64))
	}
	rc, err := f.Open()
	if err != nil {
		return Array{}, err
	}
	defer rc.Close()
	return readNpy(rc, int64(f.UncompressedSize64))
}
