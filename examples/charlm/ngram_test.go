package main

import (
	"math"
	"testing"
)

// TestNgramSumsToOne checks that the smoothed conditional distributions of the bigram and
// trigram models sum to 1 over the vocabulary, for seen, unseen and short contexts.
func TestNgramSumsToOne(t *testing.T) {
	text := []int{0, 1, 2, 0, 1, 1, 2, 0, 0, 1}
	const v = 4 // symbol 3 never occurs
	for _, n := range []int{2, 3} {
		m := newNgram(n, v, text)
		for _, h := range [][]int{{}, {0}, {3}, {0, 1}, {3, 3}, {2, 0}} {
			s := 0.0
			for c := range v {
				s += m.prob(h, c)
			}
			if math.Abs(s-1) > 1e-12 { // a sum of v rounded fractions
				t.Errorf("n=%d, context %v: probabilities sum to %.15f, want 1", n, h, s)
			}
		}
	}
}

// TestNgramWittenBell checks one trigram probability against the formula worked by hand: after
// the context (0, 1), seen twice followed by 2 and 1, P(2 | 0 1) = (1 + 2·P(2 | 1)) / (2 + 2),
// P(2 | 1) = (2 + 2·P(2)) / (3 + 2) (1 is followed by 2, 1, 2), P(2) = (2 + 1) / (10 + 4).
func TestNgramWittenBell(t *testing.T) {
	text := []int{0, 1, 2, 0, 1, 1, 2, 0, 0, 1}
	m := newNgram(3, 4, text)
	p1 := (2.0 + 1) / (10 + 4)
	p2 := (2 + 2*p1) / (3 + 2)
	want := (1 + 2*p2) / (2 + 2)
	if got := m.prob([]int{0, 1}, 2); math.Abs(got-want) > 1e-15 {
		t.Errorf("P(2 | 0 1): got %.17g, want %.17g", got, want)
	}
}
