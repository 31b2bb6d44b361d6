package data

import "math/rand/v2"

// Batches splits the example indices 0, ..., n-1 into minibatches,
// reshuffling them every epoch.
type Batches struct {
	perm    []int
	batches [][]int
	rng     *rand.Rand
}

// NewBatches returns minibatches of size indices out of 0, ..., n-1; the
// last batch of an epoch holds the n%size remaining indices when size
// does not divide n. If rng is nil the indices stay in order; otherwise
// each epoch shuffles them with rng, so that a generator seeded the same
// way, such as rand.New(rand.NewPCG(seed, 0)), gives the same batches.
// NewBatches panics with an *Error matching ErrRange if n is negative or
// size is less than 1.
func NewBatches(n, size int, rng *rand.Rand) *Batches {
	const op = "data.NewBatches"
	if n < 0 {
		panicf(op, ErrRange, "n %d; want at least 0", n)
	}
	if size < 1 {
		panicf(op, ErrRange, "batch size %d; want at least 1", size)
	}
	b := &Batches{perm: make([]int, n), rng: rng}
	for i := range b.perm {
		b.perm[i] = i
	}
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		b.batches = append(b.batches, b.perm[lo:hi:hi])
	}
	return b
}

// Len returns the number of batches per epoch.
func (b *Batches) Len() int { return len(b.batches) }

// Epoch shuffles the indices, unless b has no generator, and returns the
// batches of the next epoch. The returned slices are reused: the next call
// to Epoch overwrites them. Epoch does not allocate.
func (b *Batches) Epoch() [][]int {
	if b.rng != nil {
		b.rng.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
	}
	return b.batches
}
