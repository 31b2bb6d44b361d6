package optim

import (
	"fmt"
	"math"
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// StateEntry is one named piece of an optimizer's state: a buffer of one parameter (a moment,
// a momentum buffer), that parameter's step count, or an optimizer-wide value.
type StateEntry struct {
	// Param is the index of the parameter in the optimizer's Params, or -1 for an
	// optimizer-wide value such as the learning rate.
	Param int
	// Key names the value: "step", "lr", or a buffer name such as "exp_avg" (PyTorch's names).
	Key string
	// Shape is the shape of the value: the parameter's shape for a buffer, nil for a scalar.
	Shape []int
	// Exactly one of F64 and F32 holds the values. Buffers have their parameter's dtype;
	// scalars are float64.
	F64 []float64
	F32 []float32
}

// Stateful is implemented by optimizers whose state can be saved and restored, without this
// package knowing how or where: a checkpoint names each entry after its parameter.
type Stateful interface {
	// Params returns the parameters the optimizer updates, in order.
	Params() []ag.Var
	// State returns copies of the optimizer's state. Parameters that have not been updated yet
	// have no entries.
	State() []StateEntry
	// SetState replaces the optimizer's state with entries, as returned by State. It checks
	// every entry first and returns an error wrapping ErrState, leaving the optimizer unchanged,
	// if one has an unknown key or parameter, the wrong dtype or size, or if a parameter's
	// entries are incomplete.
	SetState(entries []StateEntry) error
}

// slots is the state of one parameter: a step count and named buffers.
type slots struct {
	step int
	bufs []vec // nil until the parameter's first update
}

// store keeps the per-parameter state of an optimizer and implements State and SetState.
type store struct {
	keys    []string // buffer names, one per element of slots.bufs
	hasStep bool     // whether the step count is part of the state
	st      []slots
}

func newStore(n int, hasStep bool, keys ...string) store {
	return store{keys: keys, hasStep: hasStep, st: make([]slots, n)}
}

// init allocates the buffers of parameter i if it has none yet and returns its slots.
func (s *store) init(i int, p ag.Var) *slots {
	sl := &s.st[i]
	if sl.bufs == nil {
		sl.bufs = make([]vec, len(s.keys))
		for k := range sl.bufs {
			sl.bufs[k] = newVec(p)
		}
	}
	return sl
}

func (b *base) state(s *store) []StateEntry {
	out := []StateEntry{{Param: -1, Key: "lr", F64: []float64{b.lr}}}
	for i, sl := range s.st {
		if sl.bufs == nil {
			continue
		}
		if s.hasStep {
			out = append(out, StateEntry{Param: i, Key: "step", F64: []float64{float64(sl.step)}})
		}
		shape := slices.Clone(b.params[i].Shape())
		for k, v := range sl.bufs {
			e := StateEntry{Param: i, Key: s.keys[k], Shape: shape}
			if v.f32 != nil {
				e.F32 = slices.Clone(v.f32)
			} else {
				e.F64 = slices.Clone(v.f64)
			}
			out = append(out, e)
		}
	}
	return out
}

func (b *base) setState(s *store, entries []StateEntry) error {
	op := b.op + ".SetState"
	bad := func(format string, args ...any) error {
		return ag.Errorf(op, ErrState, format, args...)
	}
	lr := b.lr
	next := make([]slots, len(b.params))
	seen := make(map[[2]any]bool)
	for _, e := range entries {
		id := [2]any{e.Param, e.Key}
		if seen[id] {
			return bad("entry %q of parameter %d occurs twice", e.Key, e.Param)
		}
		seen[id] = true
		if (e.F64 == nil) == (e.F32 == nil) {
			return bad("entry %q of parameter %d: want exactly one of F64 and F32", e.Key, e.Param)
		}
		scalar := func() (float64, error) {
			if len(e.F64) != 1 || len(e.Shape) != 0 {
				return 0, bad("entry %q of parameter %d: want one float64 scalar", e.Key, e.Param)
			}
			return e.F64[0], nil
		}
		if e.Param == -1 {
			if e.Key != "lr" {
				return bad("unknown optimizer-wide entry %q", e.Key)
			}
			x, err := scalar()
			if err != nil {
				return err
			}
			if err := checkLR(op, x); err != nil {
				return bad("entry \"lr\": %v", err)
			}
			lr = x
			continue
		}
		if e.Param < 0 || e.Param >= len(b.params) {
			return bad("entry %q names parameter %d; the optimizer has %d", e.Key, e.Param, len(b.params))
		}
		p := b.params[e.Param]
		sl := &next[e.Param]
		if sl.bufs == nil {
			sl.bufs = make([]vec, len(s.keys))
		}
		if e.Key == "step" && s.hasStep {
			x, err := scalar()
			if err != nil {
				return err
			}
			if x < 0 || x != math.Trunc(x) || x > 1<<53 {
				return bad("step %g of parameter %d is not a count", x, e.Param)
			}
			sl.step = int(x)
			continue
		}
		k := slices.Index(s.keys, e.Key)
		if k < 0 {
			return bad("unknown entry %q of parameter %d; want one of %q", e.Key, e.Param, s.keys)
		}
		if !slices.Equal(e.Shape, p.Shape()) {
			return bad("entry %q of parameter %d has shape %s; the parameter has shape %s", e.Key, e.Param, ag.FormatShape(e.Shape), ag.FormatShape(p.Shape()))
		}
		if p.DType() == ag.Float32 {
			if e.F32 == nil || len(e.F32) != p.Len() {
				return bad("entry %q of parameter %d: want %d float32 values", e.Key, e.Param, p.Len())
			}
			sl.bufs[k] = vec{f32: slices.Clone(e.F32)}
		} else {
			if e.F64 == nil || len(e.F64) != p.Len() {
				return bad("entry %q of parameter %d: want %d float64 values", e.Key, e.Param, p.Len())
			}
			sl.bufs[k] = vec{f64: slices.Clone(e.F64)}
		}
	}
	for i, sl := range next {
		if sl.bufs == nil {
			continue
		}
		for k, v := range sl.bufs {
			if v.isNil() {
				return bad("parameter %d has no entry %q", i, s.keys[k])
			}
		}
		if s.hasStep && !seen[[2]any{i, "step"}] {
			return bad("parameter %d has no entry \"step\"", i)
		}
	}
	s.st = next
	b.lr = lr
	return nil
}

// String returns the entry's name and shape, for messages.
func (e StateEntry) String() string {
	return fmt.Sprintf("%d.%s%s", e.Param, e.Key, ag.FormatShape(e.Shape))
}
