//go:build race

package allocs

// Exact reports whether allocation counts mean what they say. Under the race detector they do
// not: sync.Pool drops items on purpose, so pooled buffers are allocated again.
const Exact = false
