package main

import (
	"io"
	"strings"
	"testing"
)

func TestHandWired(t *testing.T) {
	n := handWired()
	h, y := n.hidden(inputs), n.classify(inputs)
	for i, x := range inputs {
		a, b := x[0] == 1, x[1] == 1
		cases := []struct {
			name      string
			got, want float64
		}{
			{"h1 = NAND", h[2*i], float64(b2i(!(a && b)))},
			{"h2 = OR", h[2*i+1], float64(b2i(a || b))},
			{"y = XOR", y[i], targets[i]},
		}
		for _, c := range cases {
			if c.got != c.want {
				t.Errorf("%v %s: got %g, want %g", x, c.name, c.got, c.want)
			}
		}
	}
}

func TestIdentity(t *testing.T) {
	for _, x := range inputs {
		a, b := x[0] == 1, x[1] == 1
		id := identities(a, b)
		want := a != b
		if id.xor != want || id.orNand != want || id.orNotOr != want {
			t.Errorf("%v: got XY'+X'Y=%v (X+Y)(XY)'=%v (X+Y)(X'+Y')=%v, want all %v", x, id.xor, id.orNand, id.orNotOr, want)
		}
	}
}

func TestMLP(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		cfg := defaultMLP
		cfg.seed = seed
		m, err := trainMLP(cfg, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if m.se >= seTarget {
			t.Errorf("seed %d: got E = %g after %d epochs, want < %g", seed, m.se, m.epochs, seTarget)
		}
		if got := m.correct(); got != len(inputs) {
			t.Errorf("seed %d: got %d of 4 right, want 4", seed, got)
		}
		t.Logf("seed %d: E = %.6f after %d epochs", seed, m.se, m.epochs)
	}
}

func TestKernelPerceptrons(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		k, err := trainFeaturePerceptron(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got := countCorrect(k.classify(inputs), targets); got != len(inputs) {
			t.Errorf("features, seed %d: got %d of 4 right, want 4", seed, got)
		}
	}
	const maxEpochs = 100
	d := trainDual(inputs, targets, maxEpochs)
	if d.epochs > maxEpochs {
		t.Errorf("dual: not converged in %d epochs", maxEpochs)
	}
	if got := countCorrect(d.classify(inputs), targets); got != len(inputs) {
		t.Errorf("dual: got %d of 4 right, want 4", got)
	}
}

func TestNextReport(t *testing.T) {
	var got []int
	for n := 0; len(got) < 10; n = nextReport(n) {
		got = append(got, n)
	}
	want := []int{0, 1, 2, 5, 10, 20, 50, 100, 200, 500}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestRegionsMarkCases(t *testing.T) {
	g := regions(handWired().classify)
	text := strings.Join(g, "\n")
	if strings.Count(text, "0") != 2 || strings.Count(text, "1") != 2 || strings.Contains(text, "X") {
		t.Errorf("got grid\n%s\nwant two 0s, two 1s and no X", text)
	}
}

func TestRun(t *testing.T) {
	if err := run(io.Discard, defaultMLP); err != nil {
		t.Fatal(err)
	}
}
