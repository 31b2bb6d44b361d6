package layers

import (
	"math/rand/v2"
	"sync"
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
	"github.com/gograd/gograd/ops"
)

// EmbeddingConfig holds the options of an Embedding beyond its size.
type EmbeddingConfig struct {
	// Padded marks row Padding of the table as padding, as torch's padding_idx: it starts at
	// zero and no gradient reaches it, so it stays zero. Padding may be negative, counting from
	// the end of the table.
	Padded  bool
	Padding int
	// Sparse makes the layer update only the rows a step looked up, so that a step's cost does
	// not grow with the table (torch's sparse=True with SGD): the table then gets no gradient
	// through the tape, and StepSGD applies plain gradient descent to the looked-up rows.
	Sparse bool
}

// Embedding is a table of V vectors of dimension D (the parameter "weight", of shape (V, D)),
// looked up by position, as torch.nn.Embedding. Its weights are drawn from N(0, 1), as torch's,
// unless WithInit says otherwise.
//
// Dense mode (the default) looks rows up with ops.IndexSelect: the table's gradient is a dense
// (V, D) array, zero outside the looked-up rows (repeated positions accumulate), and any
// optimizer updates the whole table, as torch's default. Its cost grows with V: the gradient is
// cleared and every optimizer visits all V·D weights each step.
//
// Sparse mode (EmbeddingConfig.Sparse) copies each Lookup's rows into a parameter of the
// layer's own instead (unexported, reused from step to step) and returns a view of it on the
// tape: Backward collects the gradient of the looked-up rows only, and StepSGD subtracts lr times
// it from those rows of the table (adding up repeated positions), so a step costs the same for
// any V. The values a sparse Lookup returned are overwritten by the next training-mode Lookup
// after StepSGD, when their tape has been reset in a training loop. Optimizers given the table do not touch it (it has no gradient); StepSGD is plain gradient
// descent, without momentum or weight decay, as torch's sparse gradients with optim.SGD.
//
// A padding row is skipped by the update in sparse mode; in dense mode the looked-up vectors
// are multiplied by 0 at padding positions, which stops the gradient and returns the padding
// row's values as long as they are zero (they stay so: no gradient reaches them).
type Embedding struct {
	Weight ag.Var // (V, D)
	V, D   int
	cfg    EmbeddingConfig

	mu      sync.Mutex
	pending []lookup // sparse mode: the lookups since the last StepSGD
	rows    []ag.Var // sparse mode: the row parameters of the pending lookups, reused
	pos     [][]int  // sparse mode: the positions of the pending lookups, reused
	buf64   []float64
	buf32   []float32
}

// lookup is one sparse-mode lookup: the positions (a copy of idx's, in a buffer of the
// layer's), the parameter holding their rows, and the view of it that Lookup returned on its
// tape (stale once the tape is reset).
type lookup struct {
	idx       ops.Index
	pos       []int
	rows, out ag.Var
}

// StandardNormal draws from N(0, 1), torch's initialisation of embeddings.
func StandardNormal(rng *rand.Rand, fanIn, fanOut int, dst []float64) { normal(rng, 1, dst) }

// NewEmbedding returns a table of v vectors of dimension d with the options of cfg, its weights
// drawn by WithInit's initialiser (StandardNormal by default) from the generator of WithSeed or
// WithRand, in the dtype of WithDType. NewEmbedding panics with an *autograd.Error wrapping
// ErrSize if v or d is below 1 or the padding row lies outside the table.
func NewEmbedding(v, d int, cfg EmbeddingConfig, opts ...Option) *Embedding {
	const op = "layers.NewEmbedding"
	checkSize(op, "table size", v)
	checkSize(op, "dimension", d)
	if cfg.Padded {
		p := cfg.Padding
		if p < 0 {
			p += v
		}
		if p < 0 || p >= v {
			ag.Panicf(op, ErrSize, "padding index %d outside a table of %d rows", cfg.Padding, v)
		}
		cfg.Padding = p
	}
	o := newOptions(StandardNormal, opts)
	e := &Embedding{Weight: o.newParam(o.weight, v, d, v, d), V: v, D: d, cfg: cfg}
	if cfg.Padded {
		if o.dtype == ag.Float32 {
			clear(e.Weight.Data32()[cfg.Padding*d : (cfg.Padding+1)*d])
		} else {
			clear(e.Weight.Data64()[cfg.Padding*d : (cfg.Padding+1)*d])
		}
	}
	return e
}

// Lookup returns the rows of the table at the positions of idx, recorded on t, of shape
// idx.Shape() + (D). Lookup panics with an *autograd.Error wrapping ErrValue if a position lies
// outside [0, V).
func (e *Embedding) Lookup(t *ag.Tape, idx ops.Index) ag.Var {
	const op = "layers.Embedding"
	if e == nil {
		ag.Panicf(op, ag.ErrValue, "nil *Embedding; create it with layers.NewEmbedding")
	}
	if lo, hi := idx.Bounds(); idx.Len() > 0 && (lo < 0 || hi >= e.V) {
		bad := lo
		if lo >= 0 {
			bad = hi
		}
		ag.Panicf(op, ag.ErrValue, "index %d out of range for a table of %d rows", bad, e.V)
	}
	var buf [8]int
	shape := append(append(buf[:0], idx.Shape()...), e.D)
	if e.cfg.Sparse {
		return e.sparseRows(t, idx, shape)
	}
	out := ops.IndexSelectOn(t, e.Weight, 0, idx)
	if e.cfg.Padded {
		out = ops.Mul(out, e.padMask(t, idx))
	}
	return out
}

// padMask returns a (len(idx), 1) constant on t: 0 at padding positions, else 1.
func (e *Embedding) padMask(t *ag.Tape, idx ops.Index) ag.Var {
	m := make([]float64, idx.Len())
	for i := range m {
		if idx.At(i) != e.cfg.Padding {
			m[i] = 1
		}
	}
	shape := append(append([]int(nil), idx.Shape()...), 1)
	return ops.Cast(t.Const(m, shape...), e.Weight.DType())
}

// sparseRows copies the rows idx names into a parameter of the layer's own, remembers it for
// StepSGD and returns a view of it on t of the given shape; under t.NoGrad it returns the rows
// as a constant on t and remembers nothing.
//
// The row parameters are reused from step to step (the k-th lookup since the last StepSGD
// takes the k-th one), and a parameter takes over the storage of the gradient Backward computed
// (autograd's storage.go), so that a steady step copies no gradient and allocates nothing.
// Every lookup since the last StepSGD keeps its rows until StepSGD applies them: a training loop
// with sparse lookups must call StepSGD once per step.
func (e *Embedding) sparseRows(t *ag.Tape, idx ops.Index, shape []int) ag.Var {
	n, d := idx.Len(), e.D
	e.mu.Lock()
	defer e.mu.Unlock()
	if t != nil && !t.Recording() { // evaluation: the rows are a constant
		if e.Weight.DType() == ag.Float32 {
			e.buf32 = grow(e.buf32, n*d)
			gatherRows(e.buf32, e.Weight.Data32(), idx, d)
			return ops.Reshape(t.Const32(e.buf32, n, d), shape...)
		}
		e.buf64 = grow(e.buf64, n*d)
		gatherRows(e.buf64, e.Weight.Data64(), idx, d)
		return ops.Reshape(t.Const(e.buf64, n, d), shape...)
	}
	k := len(e.pending)
	if k == len(e.rows) {
		e.rows = append(e.rows, ag.Var{})
		e.pos = append(e.pos, nil)
	}
	pos := grow(e.pos[k], n)
	for j := range pos {
		pos[j] = idx.At(j)
	}
	e.pos[k] = pos
	rows := e.rows[k]
	if rows.IsNil() || rows.Len() != n*d {
		if e.Weight.DType() == ag.Float32 {
			rows = ag.NewParam32(nil, n, d)
		} else {
			rows = ag.NewParam(nil, n, d)
		}
		e.rows[k] = rows
	}
	if e.Weight.DType() == ag.Float32 {
		gatherRows(rows.Data32(), e.Weight.Data32(), idx, d)
	} else {
		gatherRows(rows.Data64(), e.Weight.Data64(), idx, d)
	}
	out := ops.ReshapeOn(t, rows, shape...)
	e.pending = append(e.pending, lookup{idx, pos, rows, out})
	return out
}

func grow[T float32 | float64 | int](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// gatherRows copies the rows idx names into consecutive rows of dst, on several cores when
// large (splitsRows).
func gatherRows[T float32 | float64](dst, w []T, idx ops.Index, d int) {
	k := rowsTask[T]{w: w, g: dst, idx: idx, d: d}
	if splitsRows(len(dst)) {
		runRowsTask(&k, idx.Len(), max(1, parallel.Grain/d))
		return
	}
	k.gather(0, idx.Len())
}

// StepSGD applies w ← w − lr·g to the rows of the table looked up since the last StepSGD, g
// being the gradient Backward collected for them (summed over repeated positions), and forgets
// those lookups. Call it after Backward and before the tape is reset. It does nothing in dense
// mode, where an optimizer updates the table. StepSGD returns an *autograd.Error wrapping
// autograd.ErrReleased, and updates nothing, if a lookup's tape was reset before the step.
func (e *Embedding) StepSGD(lr float64) error {
	const op = "layers.Embedding.StepSGD"
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() { e.pending = e.pending[:0] }()
	for _, l := range e.pending {
		if err := ag.Maybe(func() { l.out.Check(op) }); err != nil {
			return err
		}
	}
	for _, l := range e.pending {
		g := l.rows.Grad()
		if !g.IsNil() {
			if e.Weight.DType() == ag.Float32 {
				sgdRows(e.Weight.Data32(), g.Data32(), l.idx, l.pos, e.D, float32(lr), e.cfg)
			} else {
				sgdRows(e.Weight.Data64(), g.Data64(), l.idx, l.pos, e.D, lr, e.cfg)
			}
		}
		ag.ZeroGrad(l.rows) // the next pass accumulates afresh; the buffer is kept
	}
	return nil
}

// sgdRows subtracts lr·g[j] from row pos[j] of w for every j but padding, in the order of j;
// pos holds the positions of idx.
// Repeated positions make rows collide, so large updates (splitsRows) are split over the cores
// by the rows they write: each core walks all of pos and updates the rows in its own range of
// positions, whole rows at a time.
func sgdRows[T float32 | float64](w, g []T, idx ops.Index, pos []int, d int, lr T, cfg EmbeddingConfig) {
	lo, hi := idx.Bounds()
	k := rowsTask[T]{w: w, g: g, pos: pos, d: d, lr: lr, step: true, padded: cfg.Padded, padding: cfg.Padding, base: lo}
	if n := hi - lo + 1; splitsRows(len(g)) && n >= 2 {
		runRowsTask(&k, n, max(1, n/64))
		return
	}
	k.sgd(0, hi-lo+1)
}

// rowsSplitMin is the number of elements from which a sparse lookup's gather of rows, and
// StepSGD's update of them, are split over the cores: 2²¹, 8 MB of float32 rows, 16,384
// positions of dimension 128. Smaller ones run on the caller.
//
// Such a loop reads or writes rows at random in the table, a TLB miss per row, for 90-170 µs
// (BenchmarkEmbeddingStep's 4,096 positions of dimension 128), which is of the order of what it
// costs to bring a parked worker back on the virtual machines measured: their kernel entries
// flush the TLB (a system call before the gather made it 28 µs slower at V = 50,000), and the
// worker woken for a split try joined none of the loop before the caller had run every chunk
// itself, 1.2-2 times slower than the loop alone. A step of such loops leaves the worker idle
// past its spin time whenever one of them runs alone, so the pool's per-site decisions measured
// split tries with a parked worker and the step's cost swung from process to process, between
// about half and twice that of the serial step (153-745 µs against 285-355 µs at V = 50,000).
// On the caller, the loops do not depend on a worker's state, and the step's other loops (the
// sum and its gradient) find the worker parked and run alone by the pool's own decision.
var rowsSplitMin = 1 << 21

// splitsRows reports whether a gather or update of n elements of rows is split over the cores.
func splitsRows(n int) bool { return n >= max(rowsSplitMin, 2*parallel.Grain) }

// rowsTask is gatherRows's copy of the rows idx names from the table w into g, or sgdRows's
// update of them by −lr·g, for the worker pool: the pool is lent a task from a free list rather
// than a closure, which would allocate at every call.
type rowsTask[T float32 | float64] struct {
	w, g         []T
	idx          ops.Index // gather: the positions
	pos          []int     // sgd: the positions
	d            int
	lr           T
	step, padded bool
	padding      int
	base         int // sgd: the position that Run's range counts from
}

// Run gathers rows [lo, hi), or updates the rows at positions base+[lo, hi).
func (k *rowsTask[T]) Run(lo, hi int) {
	if k.step {
		k.sgd(lo, hi)
		return
	}
	k.gather(lo, hi)
}

func (k *rowsTask[T]) gather(lo, hi int) {
	d := k.d
	for j := lo; j < hi; j++ {
		p := k.idx.At(j)
		copy(k.g[j*d:(j+1)*d], k.w[p*d:(p+1)*d])
	}
}

func (k *rowsTask[T]) sgd(lo, hi int) {
	lo, hi = lo+k.base, hi+k.base
	if k.padded && k.padding >= lo && k.padding < hi { // the rows on either side of padding
		addScaledRows(k.w, k.g, k.d, k.pos, lo, k.padding, -k.lr)
		lo = k.padding + 1
	}
	addScaledRows(k.w, k.g, k.d, k.pos, lo, hi, -k.lr) // row + (−lr)·g has the bits of row − lr·g
}

// addScaledRows sets w[pos[j]·d+i] += c·g[j·d+i] for the positions in [lo, hi), with vmath's
// vector kernels (the product rounded before the sum, as the Go loop without fusing) called
// once for all the rows.
func addScaledRows[T float32 | float64](w, g []T, d int, pos []int, lo, hi int, c T) {
	if unsafe.Sizeof(c) == 4 {
		vmath.AddScaledRows32(unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(w))), len(w)),
			unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(g))), len(g)), d, pos, lo, hi, *(*float32)(unsafe.Pointer(&c)))
		return
	}
	vmath.AddScaledRows64(unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(w))), len(w)),
		unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(g))), len(g)), d, pos, lo, hi, *(*float64)(unsafe.Pointer(&c)))
}

var (
	rowsTasks32 freelist.List[rowsTask[float32]]
	rowsTasks64 freelist.List[rowsTask[float64]]
)

// runRowsTask runs k over [0, n) on the cores with a copy of k from the free list.
func runRowsTask[T float32 | float64](k *rowsTask[T], n, grain int) {
	var pool any = &rowsTasks64
	var z T
	if unsafe.Sizeof(z) == 4 {
		pool = &rowsTasks32
	}
	list := pool.(*freelist.List[rowsTask[T]])
	t := list.Get()
	*t = *k
	// The pool learns per call site whether splitting pays: the gather and the update are
	// different loops, so they call it from different lines.
	if k.step {
		parallel.ForTask(n, grain, t)
	} else {
		parallel.ForTask(n, grain, t)
	}
	*t = rowsTask[T]{}
	list.Put(t)
}

// Forward looks up the positions held by x, a tensor of integer values, on x's tape: the
// Module form of Lookup, for Sequential and train.Fit. Forward panics with an *autograd.Error
// wrapping ErrValue if an element of x is not an integer or lies outside [0, V).
func (e *Embedding) Forward(x ag.Var) ag.Var {
	idx, err := ops.IndexOf(x)
	if err != nil {
		panic(err)
	}
	return e.Lookup(x.Tape(), idx)
}

// NamedParams returns "weight".
func (e *Embedding) NamedParams() []Param { return Collect(e) }
