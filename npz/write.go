package npz

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes arrays to w as an uncompressed .npz archive, in order.
// Each array must hold exactly one data slice whose length matches its
// shape, and names must be distinct; otherwise Write returns an *Error
// naming the array, having possibly written part of the archive.
func Write(w io.Writer, arrays []Array) error {
	if err := check(arrays); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, a := range arrays {
		dt, _, _ := a.dtype()
		m, err := z.CreateHeader(&zip.FileHeader{Name: a.Name + ".npy", Method: zip.Store})
		if err != nil {
			return &Error{Array: a.Name, Err: err}
		}
		if err := writeNpy(m, a, dt); err != nil {
			return &Error{Array: a.Name, Err: err}
		}
	}
	if err := z.Close(); err != nil {
		return &Error{Err: err}
	}
	return nil
}

// check reports the first badly formed array or repeated name.
func check(arrays []Array) error {
	seen := make(map[string]bool, len(arrays))
	for _, a := range arrays {
		if _, _, err := a.dtype(); err != nil {
			return &Error{Array: a.Name, Err: err}
		}
		if seen[a.Name] {
			return &Error{Array: a.Name, Err: errorf(ErrMember, "name occurs twice")}
		}
		seen[a.Name] = true
	}
	return nil
}

// WriteFile writes arrays to the .npz file at path, as Write does. The
// archive is first written to a temporary file in the same directory and
// then renamed to path, so a failed save leaves any previous file at path
// untouched and no partial file behind. The new file has mode 0644.
func WriteFile(path string, arrays []Array) (err error) {
	if err := check(arrays); err != nil {
		err.(*Error).Path = path
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := Write(f, arrays); err != nil {
		err.(*Error).Path = path
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("npz: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("npz: %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	return nil
}
