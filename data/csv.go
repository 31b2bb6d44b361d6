package data

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSVOption configures ReadCSV and LoadCSV.
type CSVOption func(*csvConfig)

type csvConfig struct {
	label   int  // label column; negative counts from the end
	noLabel bool // all columns are features
	target  bool // label column holds float targets
	skip    int  // header lines to skip
	comma   rune
}

// LabelColumn sets the 0-based column that holds the label; a negative
// col counts from the end, so -1, the default, is the last column.
func LabelColumn(col int) CSVOption { return func(c *csvConfig) { c.label = col } }

// NoLabel makes every column a feature, leaving Dataset.Y nil.
func NoLabel() CSVOption { return func(c *csvConfig) { c.noLabel = true } }

// Target reads the label column as a float regression target into
// Dataset.T instead of an integer class label into Dataset.Y.
func Target() CSVOption { return func(c *csvConfig) { c.target = true } }

// SkipLines skips the first n records of the input, such as header lines.
// Blank lines are not counted.
func SkipLines(n int) CSVOption { return func(c *csvConfig) { c.skip = n } }

// Comma sets the field delimiter, ',' by default.
func Comma(r rune) CSVOption { return func(c *csvConfig) { c.comma = r } }

// ReadCSV reads a data set from numeric CSV data. Every row must have
// the same number of fields, with at least one feature besides the label.
// Features must be finite numbers; class labels must be non-negative
// integers (written as 2 or 2.0) and regression targets finite numbers.
// Blank lines (also lines of spaces) and a leading UTF-8 byte-order mark are
// ignored, fields may be quoted and spaces around a value are ignored.
//
// Errors are of type *Error, naming the line and column at fault, and
// match ErrValue, ErrRagged or ErrEmpty under errors.Is; an error from r
// is returned wrapped in an *Error.
func ReadCSV(r io.Reader, opts ...CSVOption) (Dataset, error) {
	c := csvConfig{label: -1, comma: ','}
	for _, o := range opts {
		o(&c)
	}
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // a UTF-8 byte-order mark, as spreadsheets write
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = c.comma
	cr.FieldsPerRecord = -1 // checked below, after the skipped lines
	cr.ReuseRecord = true

	var d Dataset
	fields, label := 0, -1
	for line := 0; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// pe.Column counts bytes, not fields, so leave it out.
				return Dataset{}, &Error{Line: pe.Line, Err: errorf(ErrValue, pe.Err.Error())}
			}
			return Dataset{}, &Error{Err: err}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" { // a line of spaces: blank
			line--
			continue
		}
		if line < c.skip {
			continue
		}
		at, _ := cr.FieldPos(0)
		if fields == 0 {
			fields = len(rec)
			if !c.noLabel {
				label = c.label
				if label < 0 {
					label += fields
				}
				if label < 0 || label >= fields {
					return Dataset{}, &Error{Line: at, Err: errorf(ErrRagged, fmt.Sprintf("label column %d out of range for %d fields", c.label, fields))}
				}
			}
			d.Cols = fields
			if label >= 0 {
				d.Cols--
			}
			if d.Cols == 0 {
				return Dataset{}, &Error{Line: at, Err: errorf(ErrRagged, fmt.Sprintf("%d fields leave no feature columns", fields))}
			}
		}
		if len(rec) != fields {
			return Dataset{}, &Error{Line: at, Err: errorf(ErrRagged, fmt.Sprintf("%d fields, want %d as on the first data line", len(rec), fields))}
		}
		for j, s := range rec {
			s = strings.TrimSpace(s)
			switch {
			case j != label:
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return Dataset{}, fieldError(cr, j, fmt.Sprintf("%q is not a finite number", s))
				}
				d.X = append(d.X, v)
			case c.target:
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return Dataset{}, fieldError(cr, j, fmt.Sprintf("target %q is not a finite number", s))
				}
				d.T = append(d.T, v)
			default:
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || v != math.Trunc(v) || v < 0 || v > math.MaxInt32 {
					return Dataset{}, fieldError(cr, j, fmt.Sprintf("label %q is not a non-negative integer", s))
				}
				d.Y = append(d.Y, int(v))
			}
		}
		d.Rows++
	}
	if d.Rows == 0 {
		return Dataset{}, &Error{Err: errorf(ErrEmpty, "no data rows")}
	}
	return d, nil
}

func fieldError(cr *csv.Reader, j int, msg string) error {
	line, _ := cr.FieldPos(j)
	return &Error{Line: line, Column: j + 1, Err: errorf(ErrValue, msg)}
}

// LoadCSV reads a data set from the CSV file at path as ReadCSV does,
// decompressing it first if it is gzipped. Errors name the path.
func LoadCSV(path string, opts ...CSVOption) (Dataset, error) {
	r, closeFile, err := open(path)
	if err != nil {
		return Dataset{}, fmt.Errorf("data: %w", err)
	}
	defer closeFile()
	d, err := ReadCSV(r, opts...)
	if err != nil {
		return Dataset{}, withPath(err, path)
	}
	return d, nil
}
