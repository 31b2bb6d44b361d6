package npz

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
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
// untouched and no partial file behind. A file that exists keeps its
// permission bits (a 0600 checkpoint stays private); a new file has mode
// 0644. If path is a symbolic link, the file it points to is replaced and
// the link kept. Temporary files of an earlier WriteFile of path that was
// killed before it could remove its own (named ".NAME.tmp" and digits, and
// not modified for an hour) are removed after a successful write.
func WriteFile(path string, arrays []Array) (err error) {
	if err := check(arrays); err != nil {
		err.(*Error).Path = path
		return err
	}
	target, err := resolveLinks(path)
	if err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Dir(target), filepath.Base(target)
	f, err := os.CreateTemp(dir, "."+base+tmpMark+"*")
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
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("npz: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("npz: %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	removeStale(dir, base, time.Now().Add(-staleAfter))
	return nil
}

// tmpMark follows the hidden name of a temporary file of WriteFile.
const tmpMark = ".tmp"

// staleAfter is how long a temporary file of WriteFile must have been left
// alone before another WriteFile of the same path removes it: long enough
// that it is not a concurrent WriteFile's.
const staleAfter = time.Hour

// removeStale removes the temporary files of WriteFile of dir/base, named
// "." + base + tmpMark + digits, last modified before cutoff.
func removeStale(dir, base string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tmpMark
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// resolveLinks follows path while it is a symbolic link, and returns the
// path of the file it ends at, which need not exist.
func resolveLinks(path string) (string, error) {
	for range 40 { // as many links as Linux follows
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}
