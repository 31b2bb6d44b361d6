package npz

import (
	"errors"
	"strconv"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors reported, wrapped in an *Error, by the functions of this
// package. Test for them with errors.Is.
var (
	// ErrHeader reports a corrupted or unparsable .npy header.
	ErrHeader = errors.New("npz: corrupted .npy header")
	// ErrDtype reports an element type this package does not handle.
	ErrDtype = errors.New("npz: unsupported dtype")
	// ErrTruncated reports array data shorter than its header declares.
	ErrTruncated = errors.New("npz: truncated array data")
	// ErrShape reports a shape that does not match the data length.
	ErrShape = errors.New("npz: shape does not match data length")
	// ErrMember reports an archive member that is not a .npy file or
	// whose array name occurs twice.
	ErrMember = errors.New("npz: invalid archive member")
)

// Error describes a failure to read or write an archive. Its message names
// the file, when known, and the array at fault, when there is one.
type Error struct {
	// Path is the file name, or "" for archives read from an io.ReaderAt
	// or written to an io.Writer.
	Path string
	// Array is the name of the array at fault, or "" when the problem
	// is not in one array (or the array's name is empty).
	Array string
	// Err is the underlying error; errors.Is matches it and, through it,
	// the sentinel errors of this package.
	Err error
}

// Error returns a message of the form
// `npz: file.npz: array "w": truncated array data: ...`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("npz: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Array != "" {
		b.WriteString("array ")
		b.WriteString(strconv.Quote(e.Array))
		b.WriteString(": ")
	}
	if d, ok := e.Err.(*ag.Error); ok && d.Op == "" { // made here: its kind, then what is wrong
		b.WriteString(strings.TrimPrefix(d.Kind.Error(), "npz: "))
		b.WriteString(": ")
	}
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "npz: "))
	return b.String()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }
