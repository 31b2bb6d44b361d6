package npz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestFormatHeader(t *testing.T) {
	long := make([]int, 25000) // a header too long for format version 1.0
	for i := range long {
		long[i] = 1
	}
	for _, tc := range []struct {
		dt      dtype
		shape   []int
		version byte
	}{
		{float64Type, nil, 1},
		{float32Type, []int{3}, 1},
		{int64Type, []int{2, 3}, 1},
		{float64Type, []int{0, 1, 2, 3, 4, 5, 6, 7}, 1},
		{float32Type, long, 2},
	} {
		b := formatHeader(tc.dt, tc.shape)
		if len(b)%align != 0 {
			t.Errorf("formatHeader(%s, %d dims): length %d is not a multiple of %d", tc.dt.name, len(tc.shape), len(b), align)
		}
		if b[len(magic)] != tc.version {
			t.Errorf("formatHeader(%s, %d dims): version %d, want %d", tc.dt.name, len(tc.shape), b[len(magic)], tc.version)
		}
		if b[len(b)-1] != '\n' {
			t.Errorf("formatHeader(%s, %d dims): last byte %q, want '\\n'", tc.dt.name, len(tc.shape), b[len(b)-1])
		}
		h, n, err := readHeader(bytes.NewReader(b), int64(len(b)))
		if len(b) > MaxHeader {
			if !errors.Is(err, ErrHeader) {
				t.Errorf("readHeader(formatHeader(%s, %d dims)) of %d bytes: error %v, want ErrHeader (longer than MaxHeader)", tc.dt.name, len(tc.shape), len(b), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("readHeader(formatHeader(%s, %d dims)): %v", tc.dt.name, len(tc.shape), err)
			continue
		}
		want := header{dtype: tc.dt, shape: tc.shape}
		if n != int64(len(b)) || !cmp.Equal(h, want, cmp.AllowUnexported(header{}, dtype{}), cmpopts.EquateEmpty()) {
			t.Errorf("readHeader(formatHeader(%s, %d dims)): got %+v after %d bytes, want %+v after %d", tc.dt.name, len(tc.shape), h, n, want, len(b))
		}
	}
}

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		text string
		want header
	}{
		{`{'descr': '<f8', 'fortran_order': False, 'shape': (), }`, header{dtype: float64Type, shape: []int{}}},
		{`{"shape": (3L, 4L), "fortran_order": True, "descr": ">f4"}` + "   \n", header{dtype: float32Type, bigEndian: true, fortran: true, shape: []int{3, 4}}},
		{` { 'descr' : '<i8' , 'fortran_order' : False , 'shape' : ( 5 , ) } `, header{dtype: int64Type, shape: []int{5}}},
	} {
		got, err := parseHeader([]byte(tc.text))
		if err != nil {
			t.Errorf("parseHeader(%q): %v", tc.text, err)
			continue
		}
		if !cmp.Equal(got, tc.want, cmp.AllowUnexported(header{}, dtype{})) {
			t.Errorf("parseHeader(%q): got %+v, want %+v", tc.text, got, tc.want)
		}
	}
	for _, text := range []string{
		``, `{`, `}`, `{'descr': '<f8'`, `{'descr' '<f8'}`, `{'descr': '<f8', 'fortran_order': Maybe, 'shape': ()}`,
		`{'descr': '<f8', 'fortran_order': False, 'shape': (1 2)}`, `{'descr': '<f8', 'fortran_order': False, 'shape': ()} x`,
		`{'descr': 'a\'b', 'fortran_order': False, 'shape': ()}`, `{'descr': '<f8', 'fortran_order': False, 'shape': (,)}`,
	} {
		if h, err := parseHeader([]byte(text)); err == nil {
			t.Errorf("parseHeader(%q): got %+v and nil error, want an error", text, h)
		}
	}
}

func TestToRowMajor(t *testing.T) {
	for _, tc := range []struct {
		col   []int
		shape []int
		want  []int
	}{
		{[]int{1, 2, 3}, []int{3}, []int{1, 2, 3}},
		// [[1 2 3] [4 5 6]] in column-major order.
		{[]int{1, 4, 2, 5, 3, 6}, []int{2, 3}, []int{1, 2, 3, 4, 5, 6}},
		// 2x2x2 array with element ijk = 100i+10j+k.
		{[]int{0, 100, 10, 110, 1, 101, 11, 111}, []int{2, 2, 2}, []int{0, 1, 10, 11, 100, 101, 110, 111}},
		{[]int{}, []int{0, 3}, []int{}},
	} {
		if got := toRowMajor(tc.col, tc.shape); !cmp.Equal(got, tc.want) {
			t.Errorf("toRowMajor(%v, %v): got %v, want %v", tc.col, tc.shape, got, tc.want)
		}
	}
}
