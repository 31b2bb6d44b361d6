package gemm

import "testing"

// TestStockGrowsEveryBuffer checks that a buffer coming back larger than the stock's high water
// makes every free buffer grow to it, and that a smaller one grows to it as it comes back: once
// the largest product has run, no product allocates, whichever buffer it gets.
func TestStockGrowsEveryBuffer(t *testing.T) {
	var s stock[float32]
	idle, small, large := s.get(), s.get(), s.get() // in use at once, as on three cores
	idle.grow(4, 8)
	small.grow(10, 20)
	large.grow(300, 5000)
	s.put(idle)  // free when the large one comes back
	s.put(large) // raises the high water
	s.put(small) // smaller than the high water
	for _, c := range []struct {
		name string
		buf  *packBuf[float32]
	}{{"idle", idle}, {"small", small}, {"large", large}} {
		if cap(c.buf.a) < 300 || cap(c.buf.b) < 5000 {
			t.Errorf("%s buffer: cap(a), cap(b) = %d, %d; want at least 300, 5000", c.name, cap(c.buf.a), cap(c.buf.b))
		}
	}
	if raceEnabled {
		return // allocation counts are not meaningful under the race detector
	}
	allocs := testing.AllocsPerRun(10, func() {
		bufs := [3]*packBuf[float32]{s.get(), s.get(), s.get()}
		for _, b := range bufs {
			b.a, b.b = aligned(b.a, 300), aligned(b.b, 5000)
		}
		for _, b := range bufs {
			s.put(b)
		}
	})
	if allocs != 0 {
		t.Errorf("three buffers taken, filled to the high water and returned: %v allocations, want 0", allocs)
	}
}

// TestSplitProductReservesItsSerialBuffers checks that a product the pool splits makes the stock
// ready for the same product run alone (split.RunAlone, as the pool's site may choose after some
// steps): that run then finds its buffers large enough, and grows none.
func TestSplitProductReservesItsSerialBuffers(t *testing.T) {
	const m, n, k = 64, 4096, 128 // a weight gradient's shape, large enough to split
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	var g args[float32]
	g.set(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	kr := skern
	if kr.viaGonum {
		t.Skip("the gonum kernel packs in gonum's own buffers")
	}
	// An empty stock for the test: the package's other tests raise the shared one's high water.
	s := bufStock[float32]()
	s.mu.Lock()
	highA, highB, free := s.a, s.b, s.free
	s.a, s.b, s.free = 0, 0, nil
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.a, s.b, s.free = highA, highB, free
		s.mu.Unlock()
	}()
	g.parallel(kr)
	kc, mc, nc := g.blocks(kr)
	s.mu.Lock()
	ha, hb := s.a, s.b
	s.mu.Unlock()
	if ha < mc*kc || hb < nc*kc {
		t.Errorf("%d×%d×%d product split: stock's high water %d, %d; want at least the serial run's %d, %d", m, n, k, ha, hb, mc*kc, nc*kc)
	}
}
