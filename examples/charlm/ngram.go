package main

import "math"

// ngram is a character n-gram model (n = 2 for bigrams, 3 for trigrams) counted from the
// training text and smoothed by Witten–Bell interpolation, which needs no tuned constant:
//
//	P(c | h) = (C(h c) + T(h) · P(c | h′)) / (C(h) + T(h))
//
// with h the n−1 preceding symbols, h′ h without its oldest symbol, C a count in the training
// text and T(h) the number of distinct symbols seen after h; a context never seen
// (C(h) = 0) backs off to P(c | h′) entirely. The recursion ends at the unigram with add-one
// smoothing, (C(c) + 1) / (N + V), so every symbol, unk included, has a non-zero probability.
type ngram struct {
	n, v   int
	counts []map[string][]int // counts[k][context of k symbols] = the counts of the next symbol
}

func newNgram(n, v int, text []int) *ngram {
	m := &ngram{n: n, v: v, counts: make([]map[string][]int, n)}
	for k := range n {
		m.counts[k] = map[string][]int{}
	}
	for i, c := range text {
		for k := 0; k < n && k <= i; k++ {
			h := key(text[i-k : i])
			row := m.counts[k][h]
			if row == nil {
				row = make([]int, v)
				m.counts[k][h] = row
			}
			row[c]++
		}
	}
	return m
}

func key(h []int) string {
	b := make([]byte, len(h))
	for i, c := range h {
		b[i] = byte(c) // symbols are fewer than 257: a byte each
	}
	return string(b)
}

// prob returns P(c | h), using at most the last n−1 symbols of h.
func (m *ngram) prob(h []int, c int) float64 {
	if len(h) > m.n-1 {
		h = h[len(h)-(m.n-1):]
	}
	if len(h) == 0 {
		row := m.counts[0][""]
		total := 0
		for _, x := range row {
			total += x
		}
		return float64(row[c]+1) / float64(total+m.v)
	}
	lower := m.prob(h[1:], c)
	row := m.counts[len(h)][key(h)]
	if row == nil {
		return lower
	}
	total, types := 0, 0
	for _, x := range row {
		total += x
		if x > 0 {
			types++
		}
	}
	return (float64(row[c]) + float64(types)*lower) / float64(total+types)
}

// bitsPerChar returns the mean −log₂ P(text[i] | text[:i]) over i = 1 … n, the positions the
// neural models predict.
func (m *ngram) bitsPerChar(text []int, n int) float64 {
	s := 0.0
	for i := 1; i <= n; i++ {
		s -= math.Log2(m.prob(text[max(0, i-(m.n-1)):i], text[i]))
	}
	return s / float64(n)
}
