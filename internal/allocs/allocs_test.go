package allocs

import "testing"

var sink []byte

func TestBytesCountsAnAllocation(t *testing.T) {
	const n = 1 << 20
	got := Bytes(func() { sink = make([]byte, n) })
	if got < n || got > n+Base {
		t.Errorf("Bytes(make([]byte, %d)) = %d; want %d to %d", n, got, n, n+Base)
	}
}

func TestBudget(t *testing.T) {
	if !Exact {
		t.Skip("allocation counts are not exact under the race detector")
	}
	for _, tc := range []struct {
		n        int
		expected uint64
		want     uint64
	}{
		{0, 0, Base},
		{100, 5, Base + 5},
		{1 << 20, 0, 8 << 20},
		{1 << 20, 3, 8<<20 + 3},
	} {
		if got := Budget(tc.n, tc.expected); got != tc.want {
			t.Errorf("Budget(%d, %d) = %d, want %d", tc.n, tc.expected, got, tc.want)
		}
	}
}
