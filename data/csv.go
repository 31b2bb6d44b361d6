package data

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	ag "github.com/gograd/gograd/autograd"
)

// CSVOption configures ReadCSV and LoadCSV.
type CSVOption func(*csvConfig)

type csvConfig struct {
	label   int   // label column; negative counts from the end
	noLabel bool  // all columns are features
	target  bool  // label column holds float targets
	skip    int   // header lines to skip
	header  bool  // the first record after the skipped ones is a header
	detect  bool  // ... when one of its fields is not a number
	targets []int // columns read as regression targets, when set (TargetColumns)
	multi   bool  // TargetColumns was given
	comma   rune

	maxLine, maxField int // bounds on a record's and a field's length; < 1 for the defaults
	maxValues         int // bound on the values collected; < 1 for the default
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

// TargetColumns reads the 0-based columns cols (negative ones counting
// from the end) as regression targets, in that order, into Dataset.T,
// with Dataset.TargetCols = len(cols): the several outputs of a
// multi-output regression, as scikit-learn's y of shape (n, k). The other
// columns are features and there is no label column: it overrides
// LabelColumn, NoLabel and Target. ReadCSV returns an error matching
// ErrValue if cols is empty or names a column twice, and one matching
// ErrRagged if a column is out of range.
func TargetColumns(cols ...int) CSVOption {
	return func(c *csvConfig) { c.targets, c.multi = append([]int(nil), cols...), true }
}

// Header makes the first record after those SkipLines skips a header of
// column names, which ReadCSV checks for its number of fields and
// otherwise ignores, as pandas' read_csv(header=0). Without Header or
// DetectHeader a header is an error matching ErrValue, as in NumPy's
// loadtxt.
func Header() CSVOption { return func(c *csvConfig) { c.header = true } }

// DetectHeader makes that first record a header, as Header does, when
// one of its fields is not a number, and data otherwise; a header of
// numbers, such as years, needs Header. Python's csv.Sniffer.has_header
// guesses likewise from the fields' types.
func DetectHeader() CSVOption { return func(c *csvConfig) { c.detect = true } }

// Comma sets the field delimiter, ',' by default.
func Comma(r rune) CSVOption { return func(c *csvConfig) { c.comma = r } }

// DefaultMaxLine is the longest record (a line, or the lines of a quoted
// field spanning several) ReadCSV accepts unless MaxLineBytes changes it.
const DefaultMaxLine = 1 << 20

// DefaultMaxField is the longest field ReadCSV accepts unless
// MaxFieldBytes changes it: far longer than any number.
const DefaultMaxField = 4096

// MaxLineBytes sets the longest record ReadCSV accepts, in bytes without
// the line end; n < 1 restores DefaultMaxLine. A longer record is an
// error matching ErrValue, found before more than n bytes of it are held
// in memory.
func MaxLineBytes(n int) CSVOption { return func(c *csvConfig) { c.maxLine = n } }

// MaxFieldBytes sets the longest field ReadCSV accepts, in bytes inside
// any quotes; n < 1 restores DefaultMaxField. A longer field is an error
// matching ErrValue. Fields of skipped lines are not checked.
func MaxFieldBytes(n int) CSVOption { return func(c *csvConfig) { c.maxField = n } }

// DefaultMaxValues is the largest number of values (features, labels and
// targets) ReadCSV collects unless MaxValues changes it: 2²⁵, 256 MiB of
// float64, so that a gzipped file of 1 MB, which can inflate to 1 GB of
// text, cannot make LoadCSV hold gigabytes.
const DefaultMaxValues = 1 << 25

// MaxValues sets the largest number of values (features, labels and
// targets) ReadCSV collects; n < 1 restores DefaultMaxValues. More values
// are an error matching ErrValue, found as soon as they are read.
func MaxValues(n int) CSVOption { return func(c *csvConfig) { c.maxValues = n } }

// quoteLen is the number of bytes of a field an error message quotes.
const quoteLen = 40

// ReadCSV reads a data set from numeric CSV data. Every row must have
// the same number of fields, with at least one feature besides the label.
// Features must be finite numbers; class labels must be non-negative
// integers (written as 2 or 2.0) and regression targets finite numbers.
// Blank lines (also lines of spaces) and a leading UTF-8 byte-order mark are
// ignored, fields may be quoted (RFC 4180, "" for a quote inside quotes,
// line breaks allowed) and spaces around a value are ignored.
//
// ReadCSV treats its input as hostile: a record may be at most
// DefaultMaxLine bytes long, a field DefaultMaxField and the data set
// DefaultMaxValues values (see MaxLineBytes, MaxFieldBytes and
// MaxValues); one record is held in memory at a time, and the
// values are collected in blocks and copied once into the data set, so
// that reading allocates at most about twice the data set plus the
// longest record. Error messages quote at most the first 40 bytes of a
// field.
//
// Errors are of type *Error, naming the line and column at fault, and
// match ErrValue, ErrRagged or ErrEmpty under errors.Is; an error from r
// is returned wrapped in an *Error.
func ReadCSV(r io.Reader, opts ...CSVOption) (Dataset, error) {
	c := csvConfig{label: -1, comma: ','}
	for _, o := range opts {
		o(&c)
	}
	if c.maxLine < 1 {
		c.maxLine = DefaultMaxLine
	}
	if c.maxField < 1 {
		c.maxField = DefaultMaxField
	}
	if c.maxValues < 1 {
		c.maxValues = DefaultMaxValues
	}
	if c.comma == '"' || c.comma == '\r' || c.comma == '\n' || !utf8.ValidRune(c.comma) || c.comma == utf8.RuneError {
		return Dataset{}, &Error{Err: ag.Errorf("", ErrValue, "invalid delimiter %q", c.comma)}
	}
	if c.multi && len(c.targets) == 0 {
		return Dataset{}, &Error{Err: ag.Errorf("", ErrValue, "TargetColumns names no column")}
	}
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // a UTF-8 byte-order mark, as spreadsheets write
		br.Discard(3)
	}
	cr := &csvReader{br: br, comma: utf8.AppendRune(nil, c.comma), maxLine: c.maxLine, maxField: c.maxField}

	var x, t blocks[float64]
	var y blocks[int]
	var d Dataset
	fields, label := 0, -1
	var targetPos []int        // per field, its place among the targets or -1, with TargetColumns
	var rowT []float64         // one row's targets, in the order of TargetColumns
	first := "first data line" // the line that set fields, for messages
	for line := 0; ; line++ {
		err := cr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Dataset{}, err
		}
		n, err := cr.count()
		if err != nil {
			return Dataset{}, err
		}
		if n == 1 {
			if f, _ := cr.field(new(int), 0); len(bytes.TrimSpace(f)) == 0 { // a line of spaces: blank
				line--
				continue
			}
		}
		if line < c.skip {
			continue
		}
		isHeader := fields == 0 && (c.header || c.detect && !cr.numbers(n))
		if fields == 0 {
			fields = n
			if c.multi {
				targetPos = make([]int, fields)
				for k := range targetPos {
					targetPos[k] = -1
				}
				rowT = make([]float64, len(c.targets))
				for p, col := range c.targets {
					k := col
					if k < 0 {
						k += fields
					}
					if k < 0 || k >= fields {
						return Dataset{}, &Error{Line: cr.recLine, Err: ag.Errorf("", ErrRagged, "target column %d out of range for %d fields", col, fields)}
					}
					if targetPos[k] >= 0 {
						return Dataset{}, &Error{Err: ag.Errorf("", ErrValue, "TargetColumns %v names column %d twice", c.targets, k)}
					}
					targetPos[k] = p
				}
				if len(c.targets) > 1 {
					d.TargetCols = len(c.targets)
				}
			} else if !c.noLabel {
				label = c.label
				if label < 0 {
					label += fields
				}
				if label < 0 || label >= fields {
					return Dataset{}, &Error{Line: cr.recLine, Err: ag.Errorf("", ErrRagged, "label column %d out of range for %d fields", c.label, fields)}
				}
			}
			d.Cols = fields - len(c.targets)
			if label >= 0 {
				d.Cols--
			}
			if d.Cols == 0 {
				return Dataset{}, &Error{Line: cr.recLine, Err: ag.Errorf("", ErrRagged, "%d fields leave no feature columns", fields)}
			}
		}
		if isHeader {
			first = "header"
			continue
		}
		if n != fields {
			return Dataset{}, &Error{Line: cr.recLine, Err: ag.Errorf("", ErrRagged, "%d fields, want %d as on the %s", n, fields, first)}
		}
		if fields > c.maxValues-d.Rows*fields { // d.Rows·fields ≤ maxValues: no overflow
			return Dataset{}, &Error{Line: cr.recLine, Err: ag.Errorf("", ErrValue, "more than %d values (see data.MaxValues)", c.maxValues)}
		}
		for i, j := 0, 0; j < fields; j++ {
			f, _ := cr.field(&i, j) // count checked every field
			s := bytes.TrimSpace(f)
			switch {
			case targetPos != nil && targetPos[j] >= 0:
				v, err := strconv.ParseFloat(string(s), 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return Dataset{}, cr.fieldError(j, fmt.Sprintf("target %s is not a finite number", quotePrefix(s)))
				}
				rowT[targetPos[j]] = v
			case j != label:
				v, err := strconv.ParseFloat(string(s), 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return Dataset{}, cr.fieldError(j, fmt.Sprintf("%s is not a finite number", quotePrefix(s)))
				}
				x.add(v)
			case c.target:
				v, err := strconv.ParseFloat(string(s), 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return Dataset{}, cr.fieldError(j, fmt.Sprintf("target %s is not a finite number", quotePrefix(s)))
				}
				t.add(v)
			default:
				v, err := strconv.ParseFloat(string(s), 64)
				if err != nil || v != math.Trunc(v) || v < 0 || v > math.MaxInt32 {
					return Dataset{}, cr.fieldError(j, fmt.Sprintf("label %s is not a non-negative integer", quotePrefix(s)))
				}
				y.add(int(v))
			}
		}
		for _, v := range rowT {
			t.add(v)
		}
		d.Rows++
	}
	if d.Rows == 0 {
		return Dataset{}, &Error{Err: ag.Errorf("", ErrEmpty, "no data rows")}
	}
	d.X, d.Y, d.T = x.flat(), y.flat(), t.flat()
	return d, nil
}

// quotePrefix quotes s, or its first quoteLen bytes followed by its length.
func quotePrefix(s []byte) string {
	if len(s) <= quoteLen {
		return strconv.Quote(string(s))
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(string(s[:quoteLen])), len(s))
}

var (
	quote   = []byte{'"'}
	newline = []byte{'\n'}
	cr      = []byte{'\r'}
)

// csvReader reads the records of CSV data one at a time.
type csvReader struct {
	br                *bufio.Reader
	comma             []byte // the delimiter, UTF-8 encoded
	maxLine, maxField int
	line              int    // lines read so far
	rec               []byte // the current record without its line end
	recLine           int    // the line the current record starts on
	scratch           []byte // an unquoted field
	fieldLine         int    // the line the last field read starts on
	nl, nlPos         int    // line breaks in rec[:nlPos]
}

// next reads the next non-empty record into r.rec, or returns io.EOF.
func (r *csvReader) next() error {
	for {
		r.rec = r.rec[:0]
		r.recLine = r.line + 1
		inQuote := false
		for done := false; !done; {
			chunk, err := r.br.ReadSlice('\n')
			if len(r.rec)+len(chunk) > r.maxLine+2 { // 2: room for a line end
				return r.longRecord()
			}
			if len(r.rec)+len(chunk) > cap(r.rec) { // grow by doubling, to at most the limit
				r.rec = slices.Grow(r.rec, min(max(2*cap(r.rec), len(r.rec)+len(chunk)), r.maxLine+2)-len(r.rec))
			}
			r.rec = append(r.rec, chunk...)
			inQuote = inQuote != (bytes.Count(chunk, quote)%2 == 1)
			switch {
			case err == bufio.ErrBufferFull: // more of the line to come
			case err == io.EOF:
				if len(r.rec) == 0 {
					return io.EOF
				}
				done = true
			case err != nil:
				return &Error{Err: err}
			default: // a line end, which ends the record outside quotes
				r.line++
				done = !inQuote
			}
		}
		r.rec = bytes.TrimSuffix(r.rec, newline)
		r.rec = bytes.TrimSuffix(r.rec, cr)
		if len(r.rec) > r.maxLine {
			return r.longRecord()
		}
		if len(r.rec) > 0 {
			return nil
		}
	}
}

func (r *csvReader) longRecord() error {
	return &Error{Line: r.recLine, Err: ag.Errorf("", ErrValue, "record longer than %d bytes (see data.MaxLineBytes)", r.maxLine)}
}

// count returns the number of fields of the current record, checking
// them.
func (r *csvReader) count() (int, error) {
	i := 0
	for j := 0; ; j++ {
		if _, err := r.field(&i, j); err != nil {
			return 0, err
		}
		if i > len(r.rec) {
			return j + 1, nil
		}
	}
}

// numbers reports whether the n fields of the current record are all
// numbers, as DetectHeader asks.
func (r *csvReader) numbers(n int) bool {
	for i, j := 0, 0; j < n; j++ {
		f, _ := r.field(&i, j) // count checked every field
		if _, err := strconv.ParseFloat(string(bytes.TrimSpace(f)), 64); err != nil {
			return false
		}
	}
	return true
}

// field returns field j of the current record, which starts at byte *i,
// and moves *i past its delimiter, or beyond len(r.rec) after the last
// field. The result is valid until the next call.
func (r *csvReader) field(i *int, j int) ([]byte, error) {
	rec, start := r.rec, *i
	if start == 0 {
		r.nlPos, r.nl = 0, 0
	}
	r.nl += bytes.Count(rec[r.nlPos:start], newline) // line breaks inside quoted fields
	r.nlPos = start
	r.fieldLine = r.recLine + r.nl
	var f []byte
	if start < len(rec) && rec[start] == '"' {
		r.scratch = r.scratch[:0]
		k := start + 1
		for {
			q := bytes.IndexByte(rec[k:], '"')
			if q < 0 { // no closing quote
				return nil, r.quoteError(len(rec))
			}
			r.scratch = append(r.scratch, rec[k:k+q]...)
			if len(r.scratch) > r.maxField {
				return nil, r.longField(j)
			}
			k += q + 1
			if k < len(rec) && rec[k] == '"' { // "" inside quotes
				r.scratch = append(r.scratch, '"')
				k++
				continue
			}
			break
		}
		f = r.scratch
		switch {
		case k == len(rec):
			*i = k + 1
		case bytes.HasPrefix(rec[k:], r.comma):
			*i = k + len(r.comma)
		default:
			return nil, r.quoteError(k)
		}
	} else {
		end := bytes.Index(rec[start:], r.comma)
		if end < 0 {
			f, *i = rec[start:], len(rec)+1
		} else {
			f, *i = rec[start:start+end], start+end+len(r.comma)
		}
		if q := bytes.IndexByte(f, '"'); q >= 0 {
			return nil, &Error{Line: r.recLine + bytes.Count(rec[:start+q], newline), Err: ag.Errorf("", ErrValue, `bare " in non-quoted-field`)}
		}
	}
	if len(f) > r.maxField {
		return nil, r.longField(j)
	}
	return f, nil
}

func (r *csvReader) quoteError(at int) error {
	line := r.recLine + bytes.Count(r.rec[:at], newline)
	return &Error{Line: line, Err: ag.Errorf("", ErrValue, `extraneous or missing " in quoted-field`)}
}

func (r *csvReader) longField(j int) error {
	return &Error{Line: r.fieldLine, Column: j + 1, Err: ag.Errorf("", ErrValue, "field longer than %d bytes (see data.MaxFieldBytes)", r.maxField)}
}

func (r *csvReader) fieldError(j int, msg string) error {
	return &Error{Line: r.fieldLine, Column: j + 1, Err: ag.Errorf("", ErrValue, "%s", msg)}
}

// blocks collects values in blocks that double from 32 to blockLen values
// and stay at blockLen, so that collecting n values allocates about n
// values however n grows, and flat copies them once.
type blocks[T any] struct {
	full [][]T
	cur  []T
	n    int
}

const blockLen = 1024

func (b *blocks[T]) add(v T) {
	if len(b.cur) == cap(b.cur) {
		if b.cur != nil {
			b.full = append(b.full, b.cur)
		}
		b.cur = make([]T, 0, min(blockLen, max(32, 2*cap(b.cur))))
	}
	b.cur = append(b.cur, v)
	b.n++
}

// flat returns the values in one slice, or nil if there are none.
func (b *blocks[T]) flat() []T {
	if b.n == 0 {
		return nil
	}
	out := make([]T, 0, b.n)
	for _, c := range b.full {
		out = append(out, c...)
	}
	return append(out, b.cur...)
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
