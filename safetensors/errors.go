package safetensors

import (
	"errors"
	"strconv"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// Sentinel errors reported, wrapped in an *Error, by this package. Test for them with errors.Is.
var (
	// ErrHeader reports a missing, oversized or unparsable JSON header.
	ErrHeader = errors.New("safetensors: invalid header")
	// ErrDtype reports an element type this package does not handle.
	ErrDtype = errors.New("safetensors: unsupported dtype")
	// ErrOffsets reports data_offsets outside the data, overlapping or leaving gaps.
	ErrOffsets = errors.New("safetensors: invalid data offsets")
	// ErrShape reports a shape that does not match its byte length or its data.
	ErrShape = errors.New("safetensors: shape does not match data length")
)

// Error describes a failure to read or write a file. Its message names the file, when known,
// and the tensor at fault, when there is one.
type Error struct {
	Path   string // the file name, or "" for a reader or writer
	Tensor string // the tensor at fault, or ""
	Err    error  // the underlying error; errors.Is matches the sentinels through it
}

// Error returns a message of the form `safetensors: f.safetensors: tensor "w": ...`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("safetensors: ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	if e.Tensor != "" {
		b.WriteString("tensor " + strconv.Quote(e.Tensor) + ": ")
	}
	if d, ok := e.Err.(*ag.Error); ok && d.Op == "" { // made here: its kind, then what is wrong
		b.WriteString(strings.TrimPrefix(d.Kind.Error(), "safetensors: "))
		b.WriteString(": ")
	}
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "safetensors: "))
	return b.String()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }
