package main

import (
	"io"
	"testing"
)

func TestHandSetGates(t *testing.T) {
	for _, g := range gates {
		got := outputs(handSet(g), inputs)
		want := targets(g)
		for i, x := range inputs {
			if got[i] != want[i] {
				t.Errorf("%s%v: got %g, want %g", g.name, x, got[i], want[i])
			}
		}
	}
}

func TestLearnedGates(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		for _, g := range gates {
			p, epochs, ok, err := learn(targets(g), seed, 1000)
			if err != nil {
				t.Fatalf("%s seed %d: %v", g.name, seed, err)
			}
			if !ok {
				t.Errorf("%s seed %d: not learned in %d epochs", g.name, seed, epochs)
			}
			got, want := outputs(p, inputs), targets(g)
			for i, x := range inputs {
				if got[i] != want[i] {
					t.Errorf("%s seed %d %v: got %g, want %g", g.name, seed, x, got[i], want[i])
				}
			}
		}
	}
}

func TestXORNotLearned(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		p, epochs, ok, err := learn(targets(xor), seed, 1000)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if ok {
			t.Errorf("seed %d: XOR learned in %d epochs; no line separates it", seed, epochs)
		}
		// A line classifies at most 3 of the 4 XOR cases.
		if got := correct(outputs(p, inputs), targets(xor)); got > 3 {
			t.Errorf("seed %d: got %d of 4 right, want at most 3", seed, got)
		}
	}
}

func TestBoundary(t *testing.T) {
	cases := []struct {
		w0, w1, w2 float64
		want       string
	}{
		{-1.5, 1, 1, "x2 = -x1 + 1.5 (y = 1 above it)"},
		{0.5, -1, -1, "x2 = -x1 + 0.5 (y = 1 below it)"},
		{-1, 2, 4, "x2 = -0.5 x1 + 0.25 (y = 1 above it)"},
		{1, 0, 2, "x2 = -0.5 (y = 1 above it)"},
		{-1, 2, 0, "x1 = 0.5 (y = 1 right of it)"},
		{1, 0, 0, "no boundary (constant output)"},
	}
	for _, c := range cases {
		if got := boundary(c.w0, c.w1, c.w2); got != c.want {
			t.Errorf("boundary(%g, %g, %g): got %q, want %q", c.w0, c.w1, c.w2, got, c.want)
		}
	}
}

func TestRun(t *testing.T) {
	if err := run(io.Discard, 1, 1000); err != nil {
		t.Fatal(err)
	}
}
