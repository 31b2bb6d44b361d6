package data_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gograd/gograd/data"
)

func TestReadCSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		opts []data.CSVOption
		want data.Dataset
	}{
		{
			name: "label last",
			in:   "1,2,0\n3.5,-4e2,2\n",
			want: data.Dataset{X: []float64{1, 2, 3.5, -400}, Y: []int{0, 2}, Rows: 2, Cols: 2},
		},
		{
			name: "header, blank lines, spaces, quotes, CRLF",
			in:   "a,b,label\r\n\r\n 1 , 2,1.0\r\n\"3\",4 ,  0 \r\n",
			opts: []data.CSVOption{data.SkipLines(1)},
			want: data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{1, 0}, Rows: 2, Cols: 2},
		},
		{
			name: "byte-order mark, lines of spaces",
			in:   "\ufeffa,b,label\n   \n1,2,1\n\t\n3,4,0\n",
			opts: []data.CSVOption{data.SkipLines(1)},
			want: data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{1, 0}, Rows: 2, Cols: 2},
		},
		{
			name: "byte-order mark before data",
			in:   "\ufeff1,2,1\n3,4,0\n",
			want: data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{1, 0}, Rows: 2, Cols: 2},
		},
		{
			name: "ragged header skipped",
			in:   "150,4,setosa,versicolor,virginica,extra\n5.1,3.5,0\n",
			opts: []data.CSVOption{data.SkipLines(1)},
			want: data.Dataset{X: []float64{5.1, 3.5}, Y: []int{0}, Rows: 1, Cols: 2},
		},
		{
			name: "label first",
			in:   "7,1,2\n3,4,5\n",
			opts: []data.CSVOption{data.LabelColumn(0)},
			want: data.Dataset{X: []float64{1, 2, 4, 5}, Y: []int{7, 3}, Rows: 2, Cols: 2},
		},
		{
			name: "label second to last",
			in:   "1,9,2\n",
			opts: []data.CSVOption{data.LabelColumn(-2)},
			want: data.Dataset{X: []float64{1, 2}, Y: []int{9}, Rows: 1, Cols: 2},
		},
		{
			name: "no label",
			in:   "1,2\n3,4\n5,6\n",
			opts: []data.CSVOption{data.NoLabel()},
			want: data.Dataset{X: []float64{1, 2, 3, 4, 5, 6}, Rows: 3, Cols: 2},
		},
		{
			name: "regression target",
			in:   "1,0.5\n2,-1.25\n",
			opts: []data.CSVOption{data.Target()},
			want: data.Dataset{X: []float64{1, 2}, T: []float64{0.5, -1.25}, Rows: 2, Cols: 1},
		},
		{
			name: "semicolons",
			in:   "1;2;3\n",
			opts: []data.CSVOption{data.Comma(';')},
			want: data.Dataset{X: []float64{1, 2}, Y: []int{3}, Rows: 1, Cols: 2},
		},
	} {
		got, err := data.ReadCSV(strings.NewReader(tc.in), tc.opts...)
		if err != nil {
			t.Errorf("%s: ReadCSV(%q): %v", tc.name, tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: ReadCSV(%q) mismatch (-want +got):\n%s", tc.name, tc.in, diff)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		opts []data.CSVOption
		want string
		kind error
	}{
		{"empty", "", nil, "data: no data rows", data.ErrEmpty},
		{"only blank lines", "\n\n\n", nil, "data: no data rows", data.ErrEmpty},
		{"only header", "a,b,c\n", []data.CSVOption{data.SkipLines(1)}, "data: no data rows", data.ErrEmpty},
		{"bad feature", "1,2,0\n1,2,0\n1,abc,0\n", nil, `data: line 3, column 2: "abc" is not a finite number`, data.ErrValue},
		{"blank lines count", "1,2,0\n\n\n4,5,6\n\n1,2,3,\n", nil, `data: line 6: 4 fields, want 3 as on the first data line`, data.ErrRagged},
		{"NaN feature", "1,NaN,0\n", nil, `data: line 1, column 2: "NaN" is not a finite number`, data.ErrValue},
		{"Inf feature", "Inf,1,0\n", nil, `data: line 1, column 1: "Inf" is not a finite number`, data.ErrValue},
		{"empty feature", "1,,0\n", nil, `data: line 1, column 2: "" is not a finite number`, data.ErrValue},
		{"fractional label", "1,2,0.5\n", nil, `data: line 1, column 3: label "0.5" is not a non-negative integer`, data.ErrValue},
		{"negative label", "1,2,-1\n", nil, `data: line 1, column 3: label "-1" is not a non-negative integer`, data.ErrValue},
		{"text label", "1,2,setosa\n", nil, `data: line 1, column 3: label "setosa" is not a non-negative integer`, data.ErrValue},
		{"huge label", "1,2,1e300\n", nil, `data: line 1, column 3: label "1e300" is not a non-negative integer`, data.ErrValue},
		{"bad target", "1,x\n", []data.CSVOption{data.Target()}, `data: line 1, column 2: target "x" is not a finite number`, data.ErrValue},
		{"short row", "1,2,0\n1,0\n", nil, `data: line 2: 2 fields, want 3 as on the first data line`, data.ErrRagged},
		{"only a label", "1\n", nil, `data: line 1: 1 fields leave no feature columns`, data.ErrRagged},
		{"label column out of range", "1,2\n", []data.CSVOption{data.LabelColumn(2)}, `data: line 1: label column 2 out of range for 2 fields`, data.ErrRagged},
		{"bad quote", "1,2\n1,\"2\n", nil, `data: line 2: extraneous or missing " in quoted-field`, data.ErrValue},
	} {
		_, err := data.ReadCSV(strings.NewReader(tc.in), tc.opts...)
		if err == nil {
			t.Errorf("%s: ReadCSV(%q): got nil error, want %q", tc.name, tc.in, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: ReadCSV(%q): got error %q, want %q", tc.name, tc.in, err, tc.want)
		}
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s: ReadCSV(%q): error %q does not match %v", tc.name, tc.in, err, tc.kind)
		}
	}
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.csv")
	if err := os.WriteFile(plain, []byte("x,y\n1,2,1\n3,4,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("x,y\n1,2,1\n3,4,0\n"))
	zw.Close()
	zipped := filepath.Join(dir, "zipped.csv.gz")
	if err := os.WriteFile(zipped, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want := data.Dataset{X: []float64{1, 2, 3, 4}, Y: []int{1, 0}, Rows: 2, Cols: 2}
	for _, path := range []string{plain, zipped} {
		got, err := data.LoadCSV(path, data.SkipLines(1))
		if err != nil {
			t.Errorf("LoadCSV(%q): %v", path, err)
			continue
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("LoadCSV(%q) mismatch (-want +got):\n%s", path, diff)
		}
	}

	// Errors name the path.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("1,2,0\n1,x,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantMsg := "data: " + bad + `: line 2, column 2: "x" is not a finite number`
	if _, err := data.LoadCSV(bad); err == nil || err.Error() != wantMsg {
		t.Errorf("LoadCSV(%q): got error %v, want %q", bad, err, wantMsg)
	}
	missing := filepath.Join(dir, "missing.csv")
	if _, err := data.LoadCSV(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadCSV(%q): got error %v, want fs.ErrNotExist naming the path", missing, err)
	}
	corrupt := filepath.Join(dir, "corrupt.csv.gz")
	if err := os.WriteFile(corrupt, gz.Bytes()[:gz.Len()-6], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := data.LoadCSV(corrupt); err == nil || !strings.HasPrefix(err.Error(), "data: "+corrupt+": ") {
		t.Errorf("LoadCSV(%q) of a truncated gzip file: got error %v, want one naming the path", corrupt, err)
	}
}

func TestReadCSVHeader(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		opts     []data.CSVOption
		wantRows int
		wantX    []float64
		wantErr  error
	}{
		{"header", "a,b,label\n1,2,0\n3,4,1\n", []data.CSVOption{data.Header()}, 2, []float64{1, 2, 3, 4}, nil},
		{"detected header", "a,b,label\n1,2,0\n3,4,1\n", []data.CSVOption{data.DetectHeader()}, 2, []float64{1, 2, 3, 4}, nil},
		{"detected, no header", "1,2,0\n3,4,1\n", []data.CSVOption{data.DetectHeader()}, 2, []float64{1, 2, 3, 4}, nil},
		{"numeric header needs Header", "2019,2020,2021\n1,2,0\n", []data.CSVOption{data.Header()}, 1, []float64{1, 2}, nil},
		{"header after skipped lines", "# comment\nx,y\n1,0\n", []data.CSVOption{data.SkipLines(1), data.DetectHeader()}, 1, []float64{1}, nil},
		{"header after a blank line", "\n\"a\",\"b\"\n1,0\n", []data.CSVOption{data.Header()}, 1, []float64{1}, nil},
		{"header without the option", "a,b,label\n1,2,0\n", nil, 0, nil, data.ErrValue},
		{"rows ragged against the header", "a,b,label\n1,0\n", []data.CSVOption{data.Header()}, 0, nil, data.ErrRagged},
		{"only a header", "a,b,label\n", []data.CSVOption{data.Header()}, 0, nil, data.ErrEmpty},
	}
	for _, c := range cases {
		d, err := data.ReadCSV(strings.NewReader(c.in), c.opts...)
		if c.wantErr != nil {
			if !errors.Is(err, c.wantErr) {
				t.Errorf("%s: got error %v, want one matching %v", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.Rows != c.wantRows || !slices.Equal(d.X, c.wantX) {
			t.Errorf("%s: got %d rows %v, want %d rows %v", c.name, d.Rows, d.X, c.wantRows, c.wantX)
		}
	}
}

func TestReadCSVTargetColumns(t *testing.T) {
	in := "1,10,2,20\n3,30,4,40\n"
	cases := []struct {
		name    string
		cols    []int
		wantX   []float64
		wantT   []float64
		wantTC  int
		wantErr error
	}{
		{"two, in order", []int{1, 3}, []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 2, nil},
		{"two, reversed", []int{-1, 1}, []float64{1, 2, 3, 4}, []float64{20, 10, 40, 30}, 2, nil},
		{"one", []int{3}, []float64{1, 10, 2, 3, 30, 4}, []float64{20, 40}, 0, nil},
		{"none", []int{}, nil, nil, 0, data.ErrValue},
		{"twice", []int{1, -3}, nil, nil, 0, data.ErrValue},
		{"out of range", []int{4}, nil, nil, 0, data.ErrRagged},
		{"every column", []int{0, 1, 2, 3}, nil, nil, 0, data.ErrRagged},
	}
	for _, c := range cases {
		d, err := data.ReadCSV(strings.NewReader(in), data.TargetColumns(c.cols...))
		if c.wantErr != nil {
			if !errors.Is(err, c.wantErr) {
				t.Errorf("%s: got error %v, want one matching %v", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(d.X, c.wantX) || !slices.Equal(d.T, c.wantT) || d.TargetCols != c.wantTC || d.Y != nil {
			t.Errorf("%s: got X %v, T %v, TargetCols %d, Y %v; want X %v, T %v, TargetCols %d, no labels", c.name, d.X, d.T, d.TargetCols, d.Y, c.wantX, c.wantT, c.wantTC)
		}
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
