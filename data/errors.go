package data

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors matched, through an *Error, by errors.Is.
var (
	// ErrEmpty reports input without any data rows.
	ErrEmpty = errors.New("data: no data")
	// ErrValue reports a field that is not a valid number or label.
	ErrValue = errors.New("data: invalid value")
	// ErrRagged reports a row with a different number of fields than
	// the first row.
	ErrRagged = errors.New("data: wrong number of fields")
	// ErrFormat reports IDX data with a bad header.
	ErrFormat = errors.New("data: invalid IDX format")
	// ErrTruncated reports data shorter than its header declares.
	ErrTruncated = errors.New("data: truncated data")
	// ErrLength reports slices or data sets of mismatched lengths.
	ErrLength = errors.New("data: length mismatch")
)

// Error describes a problem with input data. Its message has the form
// `data: path: line 7, column 3: "abc" is not a number`, leaving out the
// parts that are unknown.
type Error struct {
	Path   string // file name, or "" when reading from an io.Reader
	Line   int    // 1-based line number, or 0
	Column int    // 1-based column (field) number, or 0
	Err    error  // underlying error, matching one of the sentinel errors
}

// Error returns the message described on the type.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("data: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(e.Column))
		}
		b.WriteString(": ")
	}
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "data: "))
	return b.String()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// detail is an error with a specific message that matches a sentinel
// error under errors.Is.
type detail struct {
	kind error
	msg  string
}

func (d *detail) Error() string        { return d.msg }
func (d *detail) Is(target error) bool { return target == d.kind }

// errorf returns an error with message msg matching kind.
func errorf(kind error, msg string) error { return &detail{kind: kind, msg: msg} }

// withPath sets the path of err if it is an *Error, or wraps it in one.
func withPath(err error, path string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Path = path
		return e
	}
	return &Error{Path: path, Err: err}
}
