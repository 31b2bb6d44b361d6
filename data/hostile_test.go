package data_test

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/internal/allocs"
)

// repeatReader yields s n times without holding it all.
type repeatReader struct {
	s    string
	n, i int
	tail string
}

func (r *repeatReader) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		if r.i < r.n*len(r.s) {
			c := copy(p[k:], r.s[r.i%len(r.s):])
			r.i += c
			k += c
			continue
		}
		j := r.i - r.n*len(r.s)
		if j >= len(r.tail) {
			break
		}
		c := copy(p[k:], r.tail[j:])
		r.i += c
		k += c
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

// TestReadCSVBounds reads hostile CSV input: each must fail with the message given, allocating
// at most the given bytes (the longest record is held, nothing more).
func TestReadCSVBounds(t *testing.T) {
	long := strings.Repeat("9", 2<<20)
	for _, tc := range []struct {
		name  string
		in    func() *repeatReader
		opts  []data.CSVOption
		msg   string
		alloc uint64
	}{
		{"a 20 MB line of commas", func() *repeatReader { return &repeatReader{s: ",", n: 20 << 20, tail: "\n"} }, nil,
			"data: line 1: record longer than 1048576 bytes (see data.MaxLineBytes)", 4 << 20},
		{"a 2 MB field quoted in an error", func() *repeatReader { return &repeatReader{s: long, n: 1, tail: ",1\n"} }, []data.CSVOption{data.MaxLineBytes(4 << 20), data.MaxFieldBytes(4 << 20)},
			`data: line 1, column 1: "9999999999999999999999999999999999999999"... (2097152 bytes) is not a finite number`, 24 << 20},
		{"a field longer than MaxFieldBytes", func() *repeatReader { return &repeatReader{s: "1", n: 5000, tail: ",1\n"} }, nil,
			"data: line 1, column 1: field longer than 4096 bytes (see data.MaxFieldBytes)", allocs.Base},
		{"more values than MaxValues", func() *repeatReader { return &repeatReader{s: "1,2,0\n", n: 1000} }, []data.CSVOption{data.MaxValues(2000)},
			"data: line 667: more than 2000 values (see data.MaxValues)", allocs.Base},
		{"a quoted field spanning 20 MB of lines", func() *repeatReader { return &repeatReader{s: "\"", n: 1, tail: strings.Repeat("\n", 20<<20)} }, nil,
			"data: line 1: record longer than 1048576 bytes (see data.MaxLineBytes)", 4 << 20},
	} {
		var err error
		in := tc.in()
		got := allocs.Bytes(func() { _, err = data.ReadCSV(in, tc.opts...) })
		if err == nil || err.Error() != tc.msg || !errors.Is(err, data.ErrValue) {
			t.Errorf("%s: ReadCSV: error %v, want %q matching ErrValue", tc.name, err, tc.msg)
		}
		if got > tc.alloc {
			t.Errorf("%s: ReadCSV allocated %d bytes, want at most %d", tc.name, got, tc.alloc)
		}
	}
}

// TestReadCSVAllocatesAboutTwiceTheData: 100,000 rows of "1,2,0" (600 KB) give 2.4 MB of values;
// collecting them in blocks and copying once allocates about twice that, where growing slices
// by append allocated up to 5 times (1.25x growth).
func TestReadCSVAllocatesAboutTwiceTheData(t *testing.T) {
	in := strings.Repeat("1,2,0\n", 100000)
	var d data.Dataset
	var err error
	got := allocs.Bytes(func() { d, err = data.ReadCSV(strings.NewReader(in)) })
	if err != nil || d.Rows != 100000 {
		t.Fatalf("ReadCSV: %d rows, %v", d.Rows, err)
	}
	result := uint64(8 * (len(d.X) + len(d.Y)))
	if budget := 2*result + allocs.Base; got > budget {
		t.Errorf("ReadCSV of %d bytes returning %d bytes allocated %d, more than %d", len(in), result, got, budget)
	}
}

// TestInconsistentDataset: a Dataset whose slices do not match Rows and Cols is an error or a
// typed panic matching ErrLength, never an index out of range.
func TestInconsistentDataset(t *testing.T) {
	bad := data.Dataset{X: []float64{1, 2, 3}, Y: []int{0, 1}, Rows: 2, Cols: 2}
	const msg = "data set of 2 rows × 2 columns needs 4 values in X, has 3"
	for _, tc := range []struct {
		name string
		fn   func() error
		want string
	}{
		{"Validate", func() error { return bad.Validate() }, "data: " + msg},
		{"Row", func() error { return ag.Maybe(func() { bad.Row(1) }) }, "data.Dataset.Row: " + msg},
		{"Gather", func() error { return ag.Maybe(func() { bad.Gather(new(data.Dataset), []int{1}) }) }, "data.Dataset.Gather: " + msg},
		{"Subset", func() error { return ag.Maybe(func() { bad.Subset([]int{1}) }) }, "data.Dataset.Subset: " + msg},
		{"Split", func() error { return ag.Maybe(func() { data.Split(bad, 1) }) }, "data.Split: " + msg},
		{"FitScaler", func() error { _, err := data.FitScaler(bad); return err }, "data: " + msg},
		{"Apply", func() error { return data.Scaler{Mean: []float64{0, 0}, Std: []float64{1, 1}}.Apply(&bad) }, "data: " + msg},
		{"Standardize other", func() error {
			good := data.Dataset{X: []float64{1, 2, 3, 4}, Rows: 2, Cols: 2}
			_, err := data.Standardize(&good, &bad)
			return err
		}, "data: " + msg},
		{"Y too short", func() error {
			d := data.Dataset{X: []float64{1, 2}, Y: []int{0}, Rows: 2, Cols: 1}
			return d.Validate()
		}, "data: data set of 2 rows has 1 labels in Y; want one per row"},
	} {
		err := tc.fn()
		var e *data.Error
		if !errors.As(err, &e) || !errors.Is(err, data.ErrLength) || err.Error() != tc.want {
			t.Errorf("%s: got %v (%T), want *data.Error %q matching ErrLength", tc.name, err, err, tc.want)
		}
	}
	// Rows × Cols overflowing an int is a shape error, found before X's length is compared.
	d := data.Dataset{X: []float64{1}, Rows: 1 << 32, Cols: 1 << 32}
	const want = "data: 4294967296 rows of 4294967296 columns overflow an int"
	if err := d.Validate(); !errors.Is(err, data.ErrShape) || err == nil || err.Error() != want {
		t.Errorf("overflowing Rows × Cols: got %v, want %q matching ErrShape", err, want)
	}
}

// TestFitScalerExtremeColumn: a column of ±1e308 has sums and squares beyond float64; its Mean
// and Std are computed scaled (they were 0 and +Inf, which standardized every value to 0).
func TestFitScalerExtremeColumn(t *testing.T) {
	d := data.Dataset{X: []float64{1e308, 1, -1e308, 2, 1e308, 3, -1e308, 4}, Rows: 4, Cols: 2}
	s, err := data.FitScaler(d)
	if err != nil {
		t.Fatal(err)
	}
	// Closed forms: column 0 has mean 0 and population deviation 1e308; column 1 mean 2.5 and
	// deviation √1.25. Tolerance: a few roundings of the scaled sums.
	want := []float64{0, 1e308, 2.5, math.Sqrt(1.25)}
	got := []float64{s.Mean[0], s.Std[0], s.Mean[1], s.Std[1]}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15*math.Abs(want[i]) {
			t.Errorf("FitScaler of ±1e308: Mean/Std %v, want %v", got, want)
			break
		}
	}
	if err := s.Apply(&d); err != nil {
		t.Fatal(err)
	}
	if d.X[0] != 1 || d.X[2] != -1 {
		t.Errorf("standardized ±1e308: %v and %v, want 1 and -1", d.X[0], d.X[2])
	}
}

// TestDataErrorThroughMaybe: autograd.Maybe converts data's typed panics, as every package's.
func TestDataErrorThroughMaybe(t *testing.T) {
	d := data.Dataset{X: []float64{1}, Rows: 1, Cols: 1}
	err := ag.Maybe(func() { d.Row(3) })
	var e *data.Error
	if !errors.As(err, &e) || !errors.Is(err, data.ErrRange) || err.Error() != "data.Dataset.Row: index 3 out of range [0, 1)" {
		t.Errorf("Maybe(Row(3)): %v (%T), want the *data.Error matching ErrRange", err, err)
	}
	if _, ok := err.(ag.Misuse); !ok {
		t.Errorf("*data.Error does not implement autograd.Misuse")
	}
}
