package npz

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"

	"github.com/gograd/gograd/internal/atomicfile"

	ag "github.com/gograd/gograd/autograd"
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
		dt, _, err := a.dtype()
		if err != nil {
			return &Error{Array: a.Name, Err: err}
		}
		if err := checkRange(a, dt); err != nil {
			return &Error{Array: a.Name, Err: err}
		}
		if seen[a.Name] {
			return &Error{Array: a.Name, Err: ag.Errorf("", ErrMember, "name occurs twice")}
		}
		seen[a.Name] = true
	}
	return nil
}

// WriteFile writes arrays to the .npz file at path, as Write does. The
// archive is first written to a temporary file in the same directory and
// then renamed to path, so a failed save leaves any previous file at path
// untouched and no partial file behind. A file that exists keeps its
// permission bits (a 0600 checkpoint stays private); a new file has mode
// 0644. If path is a symbolic link, the file it points to is replaced and
// the link kept. Temporary files of an earlier WriteFile of path that was
// killed before it could remove its own (named ".NAME.tmp" and digits, and
// not modified for an hour) are removed after a successful write.
func WriteFile(path string, arrays []Array) error {
	if err := check(arrays); err != nil {
		err.(*Error).Path = path
		return err
	}
	err := atomicfile.WriteFile(path, func(w io.Writer) error {
		if err := Write(w, arrays); err != nil {
			err.(*Error).Path = path
			return err
		}
		return nil
	})
	var e *Error
	if err != nil && !errors.As(err, &e) {
		return fmt.Errorf("npz: %w", err)
	}
	return err
}
