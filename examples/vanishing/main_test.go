package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestGradientRatios(t *testing.T) {
	cases := []struct {
		setup  setup
		lo, hi float64 // bounds on |∂E/∂W₁| / |∂E/∂W_out|
	}{
		{setups[0], 0, 1e-2},   // sigmoid: vanishes by at least 100×
		{setups[2], 0.1, 10.0}, // ReLU with He: within 10× either way
	}
	for _, c := range cases {
		for _, seed := range []uint64{1, 2, 3} {
			norms, err := gradNorms(c.setup, seed)
			if err != nil {
				t.Fatal(err)
			}
			if len(norms) != depth+1 {
				t.Fatalf("%s: got %d layers, want %d", c.setup.name, len(norms), depth+1)
			}
			if got := ratio(norms); !(got >= c.lo && got <= c.hi) {
				t.Errorf("%s seed %d: got first/last gradient ratio %g, want in [%g, %g]", c.setup.name, seed, got, c.lo, c.hi)
			}
		}
	}
}

func TestRunWritesPNG(t *testing.T) {
	dir := t.TempDir()
	if err := run(io.Discard, 1, dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "vanishing.png")); err != nil || fi.Size() == 0 {
		t.Errorf("vanishing.png: got %v, want a non-empty file", err)
	}
}
