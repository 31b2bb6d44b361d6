package main

import (
	"io"
	"testing"
)

func TestHeads(t *testing.T) {
	cases := []struct {
		name   string
		run    func(options) (result, error)
		seeds  []uint64
		better func(score float64) bool
		want   string
	}{
		// The noise has variance 0.01; the fit to sin itself should be well inside it.
		{"regression MSE", regression, []uint64{1, 2, 3}, func(s float64) bool { return s < 0.01 }, "< 0.01"},
		// Versicolor and virginica overlap a little: a few of 30 may be wrong.
		{"binary test accuracy", binary, []uint64{1, 2, 3}, func(s float64) bool { return s >= 0.9 }, "≥ 0.9"},
		{"digits test accuracy", digits, []uint64{1}, func(s float64) bool { return s >= 0.92 }, "≥ 0.92"},
		// 30 test flowers: each is 3.3%; allow 4 wrong, for seeds that put hard versicolor and
		// virginica flowers in the test set.
		{"iris test accuracy", iris, []uint64{1, 2, 3}, func(s float64) bool { return s >= 0.85 }, "≥ 0.85"},
	}
	for _, c := range cases {
		for _, seed := range c.seeds {
			r, err := c.run(options{seed: seed, progress: io.Discard})
			if err != nil {
				t.Fatalf("%s seed %d: %v", c.name, seed, err)
			}
			if !c.better(r.score) {
				t.Errorf("%s seed %d: got %.4f, want %s", c.name, seed, r.score, c.want)
			}
			if len(r.stats) == 0 || !(r.stats[len(r.stats)-1].Loss < r.stats[0].Loss) {
				t.Errorf("%s seed %d: loss did not decrease over the epochs", c.name, seed)
			}
			t.Logf("%s seed %d: %.4f", c.name, seed, r.score)
		}
	}
}
