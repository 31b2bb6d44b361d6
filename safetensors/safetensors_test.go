package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sample() File {
	return File{
		Tensors: []Tensor{
			{Name: "w", Dtype: "F64", Shape: []int{2, 3}, F64: []float64{1, -2, 3.5, math.Inf(1), 0, 1e-300}},
			{Name: "b", Dtype: "F32", Shape: []int{3}, F32: []float32{0.25, -1, 7}},
			{Name: "empty", Dtype: "F32", Shape: []int{0, 4}, F32: []float32{}},
			{Name: "n", Dtype: "I64", Shape: []int{}, I64: []int64{-5}},
		},
		Metadata: map[string]string{"format": "pt"},
	}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if n := binary.LittleEndian.Uint64(buf.Bytes()); n%8 != 0 {
		t.Errorf("header of %d bytes; want it padded to a multiple of 8, so that the data is aligned", n)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sample(), got); diff != "" {
		t.Errorf("read back differs (-wrote +read):\n%s", diff)
	}
	path := filepath.Join(t.TempDir(), "x.safetensors")
	if err := WriteFile(path, sample()); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(path); err != nil || !cmp.Equal(got, sample()) {
		t.Errorf("ReadFile after WriteFile: got %v, %v; want %v", got, err, sample())
	}
}

// TestHalf checks the widening of F16 and BF16 against values whose bits are known by the
// definition of the formats: sign, 5 (F16) or 8 (BF16) exponent bits, then the fraction.
func TestHalf(t *testing.T) {
	for _, c := range []struct {
		dtype string
		bits  uint16
		want  float32
	}{
		{"F16", 0x3c00, 1},
		{"F16", 0xc000, -2},
		{"F16", 0x7bff, 65504},                     // largest finite
		{"F16", 0x0001, float32(math.Pow(2, -24))}, // smallest subnormal
		{"F16", 0x0200, float32(math.Pow(2, -15))}, // a subnormal
		{"F16", 0x7c00, float32(math.Inf(1))},
		{"F16", 0x8000, float32(math.Copysign(0, -1))},
		{"BF16", 0x3f80, 1},
		{"BF16", 0xc0a0, -5},
		{"BF16", 0x7f80, float32(math.Inf(1))},
	} {
		tn := Tensor{Dtype: c.dtype}
		decode(&tn, binary.LittleEndian.AppendUint16(nil, c.bits))
		if got := tn.F32[0]; math.Float32bits(got) != math.Float32bits(c.want) {
			t.Errorf("%s %#04x: got %v, want %v", c.dtype, c.bits, got, c.want)
		}
	}
	nan := Tensor{Dtype: "F16"}
	decode(&nan, binary.LittleEndian.AppendUint16(nil, 0x7e00))
	if !math.IsNaN(float64(nan.F32[0])) {
		t.Errorf("F16 0x7e00: got %v, want NaN", nan.F32[0])
	}
}

// file returns a safetensors file with the given header text and data.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestIntegers(t *testing.T) {
	hdr := `{"a":{"dtype":"I8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U16","shape":[1],"data_offsets":[2,4]},` +
		`"c":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"d":{"dtype":"BOOL","shape":[2],"data_offsets":[8,10]},"e":{"dtype":"U8","shape":[1],"data_offsets":[10,11]}}`
	hdr = strings.Replace(hdr, `"e"`, `"\u00e9\ud83d\ude00\n"`, 1) // escapes: é, 😀 (a surrogate pair), newline
	data := []byte{0xff, 0x7f, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 1, 0, 200}
	b := file(hdr, data)
	got, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int64{{-1, 127}, {65535}, {-2}, {1, 0}, {200}}
	if name := got.Tensors[4].Name; name != "é😀\n" {
		t.Errorf("escaped name: got %q, want %q", name, "é😀\n")
	}
	for i, tn := range got.Tensors {
		if !cmp.Equal(tn.I64, want[i]) {
			t.Errorf("%s (%s): got %v, want %v", tn.Name, tn.Dtype, tn.I64, want[i])
		}
	}
}

func TestHostile(t *testing.T) {
	huge := binary.LittleEndian.AppendUint64(nil, 1<<40)
	for _, c := range []struct {
		name string
		b    []byte
		kind error
	}{
		{"empty", nil, ErrHeader},
		{"header claims a terabyte", append(huge, "{}"...), ErrHeader},
		{"header longer than the file", file(`{}`, nil)[:9], ErrHeader},
		{"not an object", file(`[1]`, nil), ErrHeader},
		{"bad json", file(`{"a":`, nil), ErrHeader},
		{"unknown dtype", file(`{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}`, []byte{0}), ErrDtype},
		{"offsets past the data", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, []byte{0, 0}), ErrOffsets},
		{"negative offset", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}`, []byte{0}), ErrHeader},
		{"reversed offsets", file(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}`, []byte{0}), ErrOffsets},
		{"shape and bytes differ", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), ErrShape},
		{"shape overflows", file(`{"a":{"dtype":"F64","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}}`, make([]byte, 8)), ErrShape},
		{"negative dimension", file(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`, []byte{0}), ErrHeader},
		{"fractional dimension", file(`{"a":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}`, []byte{0}), ErrHeader},
		{"unknown key", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":1}}`, []byte{0}), ErrHeader},
		{"duplicate name", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, []byte{0, 0}), ErrHeader},
		{"three offsets", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}}`, []byte{0}), ErrHeader},
		{"text after the object", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}x`, []byte{0}), ErrHeader},
		{"unpaired surrogate", file(`{"\ud800":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{0}), ErrHeader},
		{"overlap", file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`, make([]byte, 3)), ErrOffsets},
		{"gap", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}`, make([]byte, 3)), ErrOffsets},
		{"trailing bytes", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, make([]byte, 2)), ErrOffsets},
		{"missing offsets", file(`{"a":{"dtype":"U8","shape":[1]}}`, make([]byte, 1)), ErrHeader},
		{"rank too high", file(`{"a":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]}}`, make([]byte, 1)), ErrShape},
	} {
		_, err := Read(bytes.NewReader(c.b), int64(len(c.b)))
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want an error matching %v", c.name, err, c.kind)
		}
	}
}

func TestReadCheckedSkips(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var seen []string
	got, err := ReadChecked(bytes.NewReader(buf.Bytes()), int64(buf.Len()), func(h Header) error {
		seen = append(seen, h.Name)
		if h.Name == "w" {
			return Skip
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"w", "b", "empty", "n"}; !cmp.Equal(seen, want) {
		t.Errorf("check saw %q, want %q (data order)", seen, want)
	}
	if got.Tensors[0].F64 != nil || got.Tensors[1].F32 == nil {
		t.Errorf("got %+v; want w without data and b with", got.Tensors[:2])
	}
	stop := errors.New("stop")
	_, err = ReadChecked(bytes.NewReader(buf.Bytes()), int64(buf.Len()), func(h Header) error { return stop })
	var e *Error
	if !errors.Is(err, stop) || !errors.As(err, &e) || e.Tensor != "w" {
		t.Errorf("check error: got %v, want stop naming tensor w", err)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		f    File
		kind error
	}{
		{"no data", File{Tensors: []Tensor{{Name: "a"}}}, ErrDtype},
		{"two slices", File{Tensors: []Tensor{{Name: "a", F32: []float32{1}, F64: []float64{1}}}}, ErrDtype},
		{"shape", File{Tensors: []Tensor{{Name: "a", Shape: []int{2}, F32: []float32{1}}}}, ErrShape},
		{"duplicate", File{Tensors: []Tensor{{Name: "a", F32: []float32{1}}, {Name: "a", F32: []float32{1}}}}, ErrHeader},
		{"metadata name", File{Tensors: []Tensor{{Name: metadataKey, F32: []float32{1}}}, Metadata: map[string]string{}}, ErrHeader},
	} {
		if err := Write(&bytes.Buffer{}, c.f); !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want an error matching %v", c.name, err, c.kind)
		}
	}
}
