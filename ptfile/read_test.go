package ptfile

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestReadTorchSave reads testdata/dtypes.pt (torch.save of PyTorch 1.13, see make_pt.py) and
// compares every tensor with the shape and values torch reported in dtypes.json.
func TestReadTorchSave(t *testing.T) {
	got, err := ReadFile("testdata/dtypes.pt")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/dtypes.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]struct {
		Shape  []int
		Values []json.RawMessage
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(truth) {
		t.Errorf("read %d tensors, torch saved %d", len(got), len(truth))
	}
	for _, tn := range got {
		want, ok := truth[tn.Name]
		if !ok {
			t.Errorf("tensor %q was not saved", tn.Name)
			continue
		}
		if len(tn.Shape) != len(want.Shape) {
			t.Errorf("%s: shape %v, torch says %v", tn.Name, tn.Shape, want.Shape)
		}
		for i := range want.Shape {
			if i < len(tn.Shape) && tn.Shape[i] != want.Shape[i] {
				t.Errorf("%s: shape %v, torch says %v", tn.Name, tn.Shape, want.Shape)
			}
		}
		var vals []float64
		for _, v := range tn.F64 {
			vals = append(vals, v)
		}
		for _, v := range tn.F32 {
			vals = append(vals, float64(v))
		}
		for _, v := range tn.I64 {
			vals = append(vals, float64(v))
		}
		if len(vals) != len(want.Values) {
			t.Errorf("%s: %d elements, torch says %d", tn.Name, len(vals), len(want.Values))
			continue
		}
		for i, raw := range want.Values {
			var s string
			var w float64
			if json.Unmarshal(raw, &s) == nil {
				w, _ = strconv.ParseFloat(s, 64)
			} else {
				w, _ = strconv.ParseFloat(string(raw), 64)
			}
			if math.Float64bits(vals[i]) != math.Float64bits(w) {
				t.Errorf("%s: element %d is %v, torch says %v", tn.Name, i, vals[i], w)
			}
		}
	}
}

// archive returns a torch.save-like zip holding the pickle p and the given members.
func archive(t testing.TB, p []byte, members map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, b []byte) {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	add("a/data.pkl", p)
	for k, v := range members {
		add(k, v)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pickle of {'w': _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}.
func tensorPickle(storage string, numel, offset byte, size, stride []byte) []byte {
	p := []byte("\x80\x02ccollections\nOrderedDict\nq\x00)R(X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\n" +
		storage + "\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK" + string([]byte{numel}) + "tQK" + string([]byte{offset}) + "(")
	for _, s := range size {
		p = append(p, 'K', s)
	}
	p = append(p, "t("...)
	for _, s := range stride {
		p = append(p, 'K', s)
	}
	return append(p, "t\x89h\x00)RtRu."...)
}

func TestReadHostile(t *testing.T) {
	four := make([]byte, 16)
	for _, c := range []struct {
		name string
		b    []byte
		kind error
	}{
		{"not a zip", []byte("hello"), ErrArchive},
		{"a global that runs code", archive(t, []byte("\x80\x02cos\nsystem\nX\x02\x00\x00\x00lsR."), nil), ErrPickle},
		{"builtins.eval", archive(t, []byte("cbuiltins\neval\n."), nil), ErrPickle},
		{"unknown opcode", archive(t, []byte("\x80\x02\x93."), nil), ErrPickle},
		{"truncated pickle", archive(t, []byte("\x80\x02X\xff\x00\x00\x00ab"), nil), ErrPickle},
		{"get of an unset memo", archive(t, []byte("h\x05."), nil), ErrPickle},
		{"not a dict", archive(t, []byte("K\x01."), nil), ErrPickle},
		{"good", archive(t, tensorPickle("FloatStorage", 4, 0, []byte{2, 2}, []byte{2, 1}), map[string][]byte{"a/data/0": four}), nil},
		{"storage shorter than declared", archive(t, tensorPickle("FloatStorage", 5, 0, []byte{2, 2}, []byte{2, 1}), map[string][]byte{"a/data/0": four}), ErrArchive},
		{"view past the storage", archive(t, tensorPickle("FloatStorage", 4, 1, []byte{2, 2}, []byte{2, 1}), map[string][]byte{"a/data/0": four}), ErrArchive},
		{"huge broadcast view", archive(t, tensorPickle("FloatStorage", 4, 0, []byte{255, 255, 255}, []byte{0, 0, 0}), map[string][]byte{"a/data/0": four}), ErrArchive},
		{"missing storage", archive(t, tensorPickle("FloatStorage", 4, 0, []byte{2, 2}, []byte{2, 1}), nil), ErrArchive},
		{"unknown storage type", archive(t, tensorPickle("ComplexFloatStorage", 4, 0, []byte{2, 2}, []byte{2, 1}), map[string][]byte{"a/data/0": four}), ErrPickle},
	} {
		_, err := Read(bytes.NewReader(c.b), int64(len(c.b)))
		switch {
		case c.kind == nil && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.kind != nil && !errors.Is(err, c.kind):
			t.Errorf("%s: got %v, want an error matching %v", c.name, err, c.kind)
		}
	}
}
