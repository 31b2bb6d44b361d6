package figure

import (
	"bytes"
	"os"
	"testing"
)

func TestSave(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		f    Figure
	}{
		{"linear.png", Figure{Title: "line", YMin: -1, YMax: 2, Lines: []Line{{"y = x", []float64{0, 1}, []float64{0, 1}}}}},
		{"log.png", Figure{Title: "log", LogY: true, Lines: []Line{{"10^x", []float64{0, 1, 2}, []float64{1, 10, 100}}}}},
	}
	for _, c := range cases {
		path, err := Save(dir, c.name, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: got a file starting %q, want a PNG", c.name, b[:min(8, len(b))])
		}
	}
	if _, err := Save(dir, "bad.png", Figure{Lines: []Line{{"bad", []float64{0}, nil}}}); err == nil {
		t.Error("mismatched line: got no error")
	}
}
