package ops

import (
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
)

// bcastRows is runBinary's general broadcast: each row (along the last axis) of the output o of
// shape from the rows of a and b at strides st[1] and st[2] (st[0] is o's), with whole rows,
// one element repeated, or one element. A large one goes to the worker pool, from a free list so
// that a steady step allocates nothing: a per-channel scale or shift of a batch of images,
// (N, C, H, W) ⊙ (1, C, 1, 1), or a column vector added to every column.
type bcastRows[T float] struct {
	k       *binFns[T]
	o, a, b []T
	shape   dims
	rank    int
	st      [4]dims
}

// Run computes rows [lo, hi).
func (t *bcastRows[T]) Run(lo, hi int) {
	shape := t.shape[:t.rank]
	r := t.rank
	n := shape[r-1]
	la, lb := t.st[1][r-1], t.st[2][r-1]
	var idx dims
	var off [4]int
	seekRow(shape, &t.st, lo, &idx, &off)
	for row := lo; row < hi; row++ {
		oo := t.o[off[0] : off[0]+n]
		switch {
		case la == 1 && lb == 1:
			t.k.vv(oo, t.a[off[1]:off[1]+n], t.b[off[2]:off[2]+n])
		case la == 1:
			t.k.vs(oo, t.a[off[1]:off[1]+n], t.b[off[2]])
		case lb == 1:
			t.k.sv(oo, t.a[off[1]], t.b[off[2]:off[2]+n])
		default:
			t.k.vs(oo[:1], t.a[off[1]:off[1]+1], t.b[off[2]])
			for i := 1; i < n; i++ {
				oo[i] = oo[0]
			}
		}
		nextRow(shape, &t.st, &idx, &off)
	}
}

var (
	bcastTasks32 freelist.List[bcastRows[float32]]
	bcastTasks64 freelist.List[bcastRows[float64]]
)

// runBcast computes o = a ⊙ b for a and b of shapes sa and sb broadcast to shape (rank ≥ 1, no
// dimension 0), on several cores when o is large.
func runBcast[T float](k *binFns[T], o, a, b []T, sa, sb, shape []int) {
	t := bcastRows[T]{k: k, o: o, a: a, b: b}
	copy(t.shape[:], shape)
	t.st = [4]dims{contiguousStrides(shape), broadcastStrides(sa, shape), broadcastStrides(sb, shape)}
	t.rank = coalesce(&t.shape, len(shape), &t.st, 3)
	n := t.shape[t.rank-1]
	rows := len(o) / n
	if !parallel.Worth(len(o), grain) || rows < 2 {
		t.Run(0, rows)
		return
	}
	var pool any = &bcastTasks64
	if isF32[T]() {
		pool = &bcastTasks32
	}
	list := pool.(*freelist.List[bcastRows[T]])
	pt := list.Get()
	*pt = t
	parallel.ForTask(rows, max(1, grain/n), pt)
	*pt = bcastRows[T]{}
	list.Put(pt)
}

// coalesce merges, in place, adjacent axes of shape (of rank rank) that each of the first nops
// operands' strides in st walks as one axis (the outer stride is the inner one times the inner
// size), and returns the new rank. A per-channel scale of images, (N, C, H, W) ⊙ (1, C, 1, 1),
// becomes (N, C, H·W) ⊙ (1, C, 1): rows of H·W elements instead of W.
func coalesce(shape *dims, rank int, st *[4]dims, nops int) int {
	out := 0
	for i := 1; i < rank; i++ {
		merge := true
		for k := range nops {
			if st[k][out] != st[k][i]*shape[i] {
				merge = false
				break
			}
		}
		if merge {
			shape[out] *= shape[i]
		} else {
			out++
			shape[out] = shape[i]
		}
		for k := range nops {
			st[k][out] = st[k][i]
		}
	}
	return out + 1
}
