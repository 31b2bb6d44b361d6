package ptfile

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/gograd/gograd/internal/half"
)

// ErrArchive reports a zip archive that is not a torch.save file, or whose storages do not hold
// what the pickle says.
var ErrArchive = errors.New("ptfile: not a torch.save archive")

// Tensor is a named tensor of a state_dict in row-major order. Exactly one of F64, F32 and I64
// holds its elements.
type Tensor struct {
	Name  string
	Dtype string // the storage's: "F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8" or "BOOL"
	Shape []int
	F64   []float64
	F32   []float32 // F32, and F16 and BF16 widened
	I64   []int64   // integers and BOOL, widened
}

// ReadFile reads the state_dict that torch.save wrote to path. Errors name the path.
func ReadFile(path string) ([]Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ptfile: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("ptfile: %w", err)
	}
	ts, err := Read(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("ptfile: %s: %w", path, err)
	}
	return ts, nil
}

// Read reads the state_dict (a dict of names to tensors) that torch.save wrote to the archive
// of size bytes held in r, in the dict's order.
//
// Read treats the file as hostile: members must be stored uncompressed (as torch.save writes
// them), a storage member must hold exactly its declared number of elements, every element of
// a tensor's strided view must lie inside its storage, and the tensors together may hold no
// more elements than the file has bytes, so that reading allocates at most a small multiple of
// the file's size. A pickle that calls anything but OrderedDict and _rebuild_tensor_v2, or
// holds anything but tensors, is an error wrapping ErrPickle.
func Read(r io.ReaderAt, size int64) ([]Tensor, error) {
	z, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: %v", ErrArchive, err)
	}
	members := map[string]*zip.File{}
	var prefix string
	for _, f := range z.File {
		members[f.Name] = f
		if dir, ok := strings.CutSuffix(f.Name, "/data.pkl"); ok && !strings.Contains(dir, "/") {
			if prefix != "" {
				return nil, fmt.Errorf("%w: two data.pkl members", ErrArchive)
			}
			prefix = dir
		}
	}
	if prefix == "" {
		return nil, fmt.Errorf("%w: no NAME/data.pkl member (a file of torch.save before 1.6 is not read)", ErrArchive)
	}
	if b, err := readMember(members[prefix+"/byteorder"], size); err == nil && string(b) != "little" {
		return nil, fmt.Errorf("%w: byte order %.20q", ErrArchive, b)
	}
	pkl, err := readMember(members[prefix+"/data.pkl"], size)
	if err != nil {
		return nil, fmt.Errorf("%w: data.pkl: %v", ErrArchive, err)
	}
	v, err := unpickle(pkl)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*dict)
	if !ok {
		return nil, fmt.Errorf("%w: the pickle holds a %T, not a state_dict", ErrPickle, v)
	}
	storages := map[string][]byte{}
	budget := size // elements the tensors may hold in all
	out := make([]Tensor, 0, len(d.keys))
	for i, k := range d.keys {
		name, ok := k.(string)
		t, ok2 := d.vals[i].(*tensorRef)
		if !ok || !ok2 {
			return nil, fmt.Errorf("%w: entry %v is a %T, not a tensor", ErrPickle, k, d.vals[i])
		}
		raw, ok := storages[t.storage.key]
		if !ok {
			f := members[prefix+"/data/"+t.storage.key]
			if raw, err = readMember(f, size); err != nil {
				return nil, fmt.Errorf("%w: tensor %q: storage %.40q: %v", ErrArchive, name, t.storage.key, err)
			}
			if want := t.storage.numel * int64(storageSize(t.storage.dtype)); int64(len(raw)) != want {
				return nil, fmt.Errorf("%w: tensor %q: storage %.40q holds %d bytes; %d elements of %s need %d", ErrArchive, name, t.storage.key, len(raw), t.storage.numel, t.storage.dtype, want)
			}
			storages[t.storage.key] = raw
		}
		tensor, err := materialize(name, t, raw, &budget)
		if err != nil {
			return nil, err
		}
		out = append(out, tensor)
	}
	return out, nil
}

func storageSize(dtype string) int {
	for _, st := range storageTypes {
		if st.dtype == dtype {
			return st.size
		}
	}
	return 0
}

// readMember returns the bytes of the stored member f of an archive of size bytes.
func readMember(f *zip.File, size int64) ([]byte, error) {
	if f == nil {
		return nil, errors.New("missing member")
	}
	if f.Method != zip.Store || f.UncompressedSize64 != f.CompressedSize64 || f.CompressedSize64 > uint64(size) {
		return nil, fmt.Errorf("member %q is compressed or larger than the file", f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b := make([]byte, f.UncompressedSize64)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, err
	}
	return b, nil
}

// materialize copies the strided view t of the storage bytes raw into a row-major tensor,
// taking its number of elements from budget.
func materialize(name string, t *tensorRef, raw []byte, budget *int64) (Tensor, error) {
	fail := func(format string, args ...any) (Tensor, error) {
		return Tensor{}, fmt.Errorf("%w: tensor %q: %s", ErrArchive, name, fmt.Sprintf(format, args...))
	}
	if len(t.size) > 64 {
		return fail("%d dimensions", len(t.size))
	}
	n := int64(1)
	last := t.offset // the largest storage index the view reaches
	for i, d := range t.size {
		if d < 0 || t.stride[i] < 0 {
			return fail("size %v, stride %v", t.size, t.stride)
		}
		if d != 0 && n > *budget/d {
			return fail("size %v holds more elements than the file has bytes", t.size)
		}
		n *= d
	}
	if n > 0 {
		for i, d := range t.size {
			if t.stride[i] > 0 && d-1 > (t.storage.numel-last)/t.stride[i] {
				return fail("the view (offset %d, size %v, stride %v) reaches past the %d elements of its storage", t.offset, t.size, t.stride, t.storage.numel)
			}
			last += (d - 1) * t.stride[i]
		}
		if last >= t.storage.numel {
			return fail("the view (offset %d, size %v, stride %v) reaches past the %d elements of its storage", t.offset, t.size, t.stride, t.storage.numel)
		}
	}
	*budget -= n
	out := Tensor{Name: name, Dtype: t.storage.dtype, Shape: make([]int, len(t.size))}
	for i, d := range t.size {
		out.Shape[i] = int(d)
	}
	idx := make([]int64, len(t.size))
	at := t.offset
	elem := func(k int64) (f64 float64, f32 float32, i64 int64) {
		le := binary.LittleEndian
		switch t.storage.dtype {
		case "F64":
			return math.Float64frombits(le.Uint64(raw[8*k:])), 0, 0
		case "F32":
			return 0, math.Float32frombits(le.Uint32(raw[4*k:])), 0
		case "F16":
			return 0, half.ToFloat32(le.Uint16(raw[2*k:])), 0
		case "BF16":
			return 0, math.Float32frombits(uint32(le.Uint16(raw[2*k:])) << 16), 0
		case "I64":
			return 0, 0, int64(le.Uint64(raw[8*k:]))
		case "I32":
			return 0, 0, int64(int32(le.Uint32(raw[4*k:])))
		case "I16":
			return 0, 0, int64(int16(le.Uint16(raw[2*k:])))
		case "I8":
			return 0, 0, int64(int8(raw[k]))
		case "BOOL":
			if raw[k] != 0 {
				return 0, 0, 1
			}
			return 0, 0, 0
		}
		return 0, 0, int64(raw[k]) // U8
	}
	switch t.storage.dtype {
	case "F64":
		out.F64 = make([]float64, 0, n)
	case "F32", "F16", "BF16":
		out.F32 = make([]float32, 0, n)
	default:
		out.I64 = make([]int64, 0, n)
	}
	for range n {
		f64, f32, i64 := elem(at)
		switch {
		case out.F64 != nil:
			out.F64 = append(out.F64, f64)
		case out.F32 != nil:
			out.F32 = append(out.F32, f32)
		default:
			out.I64 = append(out.I64, i64)
		}
		for k := len(idx) - 1; k >= 0; k-- { // next row-major index
			idx[k]++
			at += t.stride[k]
			if idx[k] < t.size[k] {
				break
			}
			at -= idx[k] * t.stride[k]
			idx[k] = 0
		}
	}
	return out, nil
}
