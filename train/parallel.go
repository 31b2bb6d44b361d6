package train

import (
	"cmp"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// ParallelGrad computes the gradient of the mean loss over the rows batch of ds with up to
// workers goroutines, and adds it to the gradients of m's parameters, as ag.Backward would for the
// whole batch; it returns the mean loss. The batch is split into contiguous shares, one per
// worker; each worker runs the forward pass on a tape of its own and computes its gradients with
// ag.Grad, which leaves the parameters' gradients alone, so the parameters are only read while the
// workers run. The shares' gradients are then summed in worker order (0, 1, ...) on the calling
// goroutine, so the result is the same from run to run for a given worker count. With one worker
// it differs from a plain Backward over the batch only by rounding. With several, the workers
// reserve the cores for themselves (unless another goroutine's kernel holds them at the start):
// the kernels they run do not split loops over the cores as they otherwise do. Tapes and buffers
// are reused from call to call; the parameters own the gradients added to them.
//
// loss must return the mean over the rows of the batch it is given (as CrossEntropy and MSE do;
// nil means CrossEntropy): each worker's loss is weighted by its share of the rows. m.Forward must
// be safe to call from several goroutines at once, as the layers of package layers are. Dropout
// in training mode draws its masks from one shared random source, so which worker gets which
// mask depends on scheduling and the result is no longer reproducible (layers.Eval switches it
// off).
//
// ParallelGrad returns an error wrapping ErrConfig if m is nil, workers < 1, the batch is empty or holds
// an index outside ds, or ds is inconsistent; the loss's error if it fails on a share; and the
// typed misuse (*autograd.Error, *data.Error, see autograd.Misuse) a worker panicked with. Any
// other panic in a worker is re-raised on the calling goroutine as a *WorkerPanic holding the
// value and the worker's stack. On error the parameters' gradients are unchanged.
func ParallelGrad(m layers.Module, loss LossFunc, ds data.Dataset, batch []int, workers int) (float64, error) {
	const op = "train.ParallelGrad"
	if isNil(m) {
		return 0, configError(op, "nil model (%T)", m)
	}
	if workers < 1 {
		return 0, configError(op, "%d workers; want at least 1", workers)
	}
	if len(batch) == 0 {
		return 0, configError(op, "empty batch")
	}
	if err := checkData(op, &ds); err != nil {
		return 0, err
	}
	for i, r := range batch {
		if r < 0 || r >= ds.Rows {
			return 0, configError(op, "batch index %d is row %d, outside [0, %d)", i, r, ds.Rows)
		}
	}
	if loss == nil {
		if ds.Y == nil {
			return 0, configError(op, "the default loss, CrossEntropy, needs labels (Dataset.Y)")
		}
		loss = CrossEntropy
	}
	params := layers.Params(m)
	dt := ag.Float64
	if len(params) > 0 {
		dt = params[0].DType()
	}
	return parallelGrad(op, m, loss, &ds, batch, workers, params, dt, nil)
}

// parallelGrad is ParallelGrad after the checks. When outs is not nil, it receives the model's
// outputs for the batch, row-major in the batch's order.
func parallelGrad(op string, m layers.Module, loss LossFunc, ds *data.Dataset, batch []int, workers int, params []ag.Var, dt ag.DType, outs *[]float64) (float64, error) {
	workers = min(workers, len(batch))
	n := len(batch)
	// While the workers below use the cores, the kernels inside them run on their own goroutine
	// instead of handing chunks to the pool's workers, which would compete for the cores.
	reserved := workers > 1 && parallel.Reserve()
	release := func() {
		if reserved {
			reserved = false
			parallel.Release()
		}
	}
	defer release() // on a panic before the workers are done

	type share struct {
		loss float64
		st   *shareState
		err  error
		pnc  *WorkerPanic // a panic that is not a typed misuse, re-raised on the caller's goroutine
		done bool         // the goroutine ran to its end (runtime.Goexit skips it)
	}
	shares := make([]share, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		s := &shares[w]
		s.st = shareStates.Get().(*shareState)
		s.st.grads = s.st.grads[:0] // no gradients from an earlier batch
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					s.pnc = &WorkerPanic{Value: r, Worker: w, Stack: debug.Stack()}
				}
			}()
			var lossErr error
			err := ag.Maybe(func() {
				st := s.st
				st.tp.Reset()
				b := &st.rows
				ds.Gather(b, batch[lo:hi])
				st.shape = b.BatchShape(st.shape)
				x := ops.Cast(st.tp.Wrap(b.X, st.shape...), dt)
				out := m.Forward(x)
				l, err := loss(out, b)
				if err != nil {
					lossErr = err
					return
				}
				if l.Len() != 1 {
					ag.Panicf(op, ag.ErrShape, "the loss has shape %s; want one value, the mean over the batch", ag.FormatShape(l.Shape()))
				}
				weighted := ops.MulScalar(l, float64(hi-lo)/float64(n))
				gs, err := ag.Grad([]ag.Var{weighted}, params, ag.AllowUnused())
				if err != nil {
					lossErr = err
					return
				}
				s.loss = weighted.Item()
				if outs != nil {
					st.out = appendFloat64s(st.out[:0], out)
				}
				st.grads = slices.Grow(st.grads[:0], len(gs))[:len(gs)]
				for i, g := range gs {
					st.grads[i] = appendFloat64s(st.grads[i][:0], g)
				}
			})
			s.err = cmp.Or(lossErr, err)
			s.done = true
		}()
	}
	wg.Wait()
	release() // summing the gradients may use the cores again
	defer func() {
		for w := range shares {
			shareStates.Put(shares[w].st)
		}
	}()
	for w := range shares {
		if shares[w].pnc != nil {
			panic(shares[w].pnc)
		}
	}
	for w := range shares {
		if !shares[w].done {
			return 0, fmt.Errorf("%s: worker %d of %d ended without a result (did the model call runtime.Goexit?)", op, w, workers)
		}
		if err := shares[w].err; err != nil {
			return 0, fmt.Errorf("%s: worker %d of %d (rows %d to %d of the batch): %w", op, w, workers, w*n/workers, (w+1)*n/workers, err)
		}
	}
	total := 0.0
	for w := range shares {
		total += shares[w].loss
	}
	if outs != nil {
		*outs = (*outs)[:0]
		for w := range shares {
			*outs = append(*outs, shares[w].st.out...)
		}
	}
	sums := shares[0].st.grads
	for i := range params {
		for w := 1; w < workers; w++ {
			for k, g := range shares[w].st.grads[i] {
				sums[i][k] += g
			}
		}
	}
	return total, addGrads(params, sums)
}

// WorkerPanic is what ParallelGrad (and Fit with Workers > 1) panics with on the calling
// goroutine when a worker panicked with a value other than a typed misuse (which becomes an
// error): the value and the worker's stack at the panic, which a re-raised panic would
// otherwise lose. An uncaught WorkerPanic prints both.
type WorkerPanic struct {
	Value  any    // the value the worker panicked with
	Worker int    // the worker's number, from 0
	Stack  []byte // the worker goroutine's stack when it panicked (runtime/debug.Stack)
}

// Error returns the value and the worker's stack.
func (p *WorkerPanic) Error() string {
	return fmt.Sprintf("%v\n\n[train: re-raised from worker %d, which panicked at:]\n%s", p.Value, p.Worker, p.Stack)
}

// Unwrap returns the value if it is an error (such as a runtime.Error), or nil.
func (p *WorkerPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// shareState is what one share of ParallelGrad reuses from batch to batch: its tape, its rows
// and its gradients, so that a training step does not allocate and clear them anew.
type shareState struct {
	tp    *ag.Tape
	rows  data.Dataset
	shape []int       // the shape of rows as a tensor
	grads [][]float64 // per parameter, as float64 whatever its dtype
	out   []float64   // the model's output for the share's rows
}

var shareStates = sync.Pool{New: func() any { return &shareState{tp: ag.NewTape()} }}

// appendFloat64s appends g's values to dst, converted to float64.
func appendFloat64s(dst []float64, g ag.Var) []float64 {
	if g.DType() == ag.Float32 {
		for _, v := range g.Data32() {
			dst = append(dst, float64(v))
		}
		return dst
	}
	return append(dst, g.Data64()...)
}

// addTapes are the tapes addGrads records on, reused from batch to batch.
var addTapes = sync.Pool{New: func() any { return ag.NewTape() }}

// addGrads adds gs[i] to the gradient of parameter i through the public API: the gradient of
// Σᵢ Σ pᵢ·gᵢ with respect to pᵢ is gᵢ, exactly (the products of gᵢ with the seed 1 are exact, and
// a float32 parameter gets gᵢ rounded to float32 once). The terms are added in float64, so
// parameters of both dtypes may be mixed. The tape is reset before it goes back to the pool: the
// parameters then own their gradients instead of borrowing them from a tape that another model's
// step may reuse.
func addGrads(params []ag.Var, gs [][]float64) error {
	if len(params) == 0 {
		return nil
	}
	tp := addTapes.Get().(*ag.Tape)
	defer func() {
		tp.Reset()
		addTapes.Put(tp)
	}()
	var total ag.Var
	for i, p := range params {
		term := ops.Sum(ops.Mul(p, ops.Cast(tp.Wrap(gs[i], p.Shape()...), p.DType())))
		term = ops.Cast(term, ag.Float64)
		if i == 0 {
			total = term
		} else {
			total = ops.Add(total, term)
		}
	}
	return ag.Backward(total)
}
