package data

import (
	"errors"
	"strconv"
	"strings"

	ag "github.com/gograd/gograd/autograd"
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
	// ErrShape reports a data set whose Shape, Rows and Cols do not fit
	// together.
	ErrShape = errors.New("data: shape mismatch")
	// ErrRange reports an index, count or size argument outside its
	// valid range. Only misuse panics wrap it.
	ErrRange = errors.New("data: argument out of range")
)

// Error describes a problem with input data, returned as an error, or a
// misuse of a function of the package, panicked with. The message of a
// problem with data has the form
// `data: path: line 7, column 3: "abc" is not a number`, leaving out the
// parts that are unknown; that of a misuse names the function instead,
// as in `data.Dataset.Row: index 7 out of range [0, 5)`.
type Error struct {
	Op     string // function at fault in a misuse panic, such as "data.Dataset.Row", or ""
	Path   string // file name, or "" when reading from an io.Reader
	Line   int    // 1-based line number, or 0
	Column int    // 1-based column (field) number, or 0
	Err    error  // underlying error, matching one of the sentinel errors
}

// Error returns the message described on the type.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	} else {
		b.WriteString("data: ")
	}
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

// Misuse marks *Error as a typed misuse panic (see autograd.Misuse), so that autograd.Maybe, and
// the functions of other packages that turn such panics into errors, convert it. It does
// nothing.
func (e *Error) Misuse() {}

// panicf panics with an *Error for the function op, matching kind, with
// a formatted message.
func panicf(op string, kind error, format string, args ...any) {
	panic(&Error{Op: op, Err: ag.Errorf("", kind, format, args...)})
}

// withPath sets the path of err if it is an *Error, or wraps it in one.
func withPath(err error, path string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Path = path
		return e
	}
	return &Error{Path: path, Err: err}
}
