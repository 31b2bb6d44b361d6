package ops

import (
	"math"
	"slices"

	ag "github.com/gograd/gograd/autograd"
)

// Index is an immutable tensor of integer positions, the operand that the indexing operations
// (Gather, ScatterAdd, IndexSelect, IndexAdd, Take) read positions from. The engine's values are
// floats; a separate integer type means a float tensor cannot be passed as an index by mistake.
// The zero Index is an empty vector.
type Index struct {
	data   []int
	shape  []int
	lo, hi int // the smallest and largest position, checked against an axis in O(1)
	// attrs holds the attribute an indexing primitive stores on its output for each axis, made
	// once with the Index (by NewIndex and IndexOf), so that a step that reuses an Index records
	// its operations without allocating.
	attrs *[maxRank]indexAttr
}

// NewIndex returns an Index holding a copy of data with the given shape; no shape means a vector
// of len(data). NewIndex panics with an *autograd.Error if the shape has a negative dimension or
// does not hold len(data) elements.
func NewIndex(data []int, shape ...int) Index {
	const op = "ops.NewIndex"
	if shape == nil {
		shape = []int{len(data)}
	}
	for _, d := range shape {
		if d < 0 {
			ag.Panicf(op, ag.ErrShape, "negative dimension in shape %s", shapeStr(shape))
		}
	}
	if len(shape) > maxRank {
		ag.Panicf(op, ag.ErrShape, "rank %d exceeds the supported %d", len(shape), maxRank)
	}
	if numel(shape) != len(data) {
		ag.Panicf(op, ag.ErrShape, "%d positions do not fill shape %s (%d elements)", len(data), shapeStr(shape), numel(shape))
	}
	x := Index{data: slices.Clone(data), shape: slices.Clone(shape)}
	x.bounds()
	x.makeAttrs()
	return x
}

// bounds sets lo and hi from the data.
func (x *Index) bounds() {
	x.lo, x.hi = 0, -1
	if len(x.data) > 0 {
		x.lo, x.hi = x.data[0], x.data[0]
	}
	for _, v := range x.data {
		x.lo = min(x.lo, v)
		x.hi = max(x.hi, v)
	}
}

// IndexOf returns the values of v as an Index of v's shape. It returns an *autograd.Error
// wrapping ErrValue naming the first element that is not an integer (a fraction, NaN or an
// infinity) or lies beyond ±2⁵³, where floats stop counting exactly.
func IndexOf(v ag.Var) (idx Index, err error) {
	const op = "ops.IndexOf"
	err = ag.Maybe(func() {
		x := v.Operand(op)
		data := make([]int, v.Len())
		for i := range data {
			f := v.At(i)
			if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				ag.Panicf(op, ag.ErrValue, "element %d of the %v index %s is %g, not an integer", i, x.DType, shapeStr(x.Shape), f)
			}
			data[i] = int(f)
		}
		idx = Index{data: data, shape: slices.Clone(x.Shape)}
		idx.bounds()
		idx.makeAttrs()
	})
	return idx, err
}

// Shape returns the shape of x. The slice must not be modified.
func (x Index) Shape() []int {
	if x.shape == nil {
		return []int{0}
	}
	return x.shape
}

// Len returns the number of positions in x.
func (x Index) Len() int { return len(x.data) }

// Bounds returns the smallest and largest position in x (0 and −1 for an empty x).
func (x Index) Bounds() (lo, hi int) {
	if len(x.data) == 0 {
		return 0, -1
	}
	return x.lo, x.hi
}

// Ints returns a copy of the positions of x in row-major order.
func (x Index) Ints() []int { return slices.Clone(x.data) }

// At returns position i of x in row-major order. At panics if i is out of range.
func (x Index) At(i int) int {
	if i < 0 || i >= len(x.data) {
		ag.Panicf("ops.Index.At", ag.ErrValue, "position %d out of range for an index of %d", i, len(x.data))
	}
	return x.data[i]
}

// checkRange panics naming op and axis unless every position of x lies in [0, size).
func (x Index) checkRange(op string, ax, size int) {
	if len(x.data) == 0 || (x.lo >= 0 && x.hi < size) {
		return
	}
	bad := x.lo
	if x.lo >= 0 {
		bad = x.hi
	}
	i := slices.Index(x.data, bad)
	ag.Panicf(op, ag.ErrValue, "index %d (element %d of the index) is out of range for axis %d of size %d", bad, i, ax, size)
}

// indexAttr is what the indexing primitives store on their output (Aux): the index and the axis
// it runs along.
type indexAttr struct {
	idx Index
	ax  int
}

func attrOf(y ag.Var) *indexAttr { return y.Aux().(*indexAttr) }

// makeAttrs fills x.attrs; x must be complete otherwise. The attributes are never written again,
// so concurrent steps may share them.
func (x *Index) makeAttrs() {
	x.attrs = new([maxRank]indexAttr)
	for ax := range x.attrs {
		x.attrs[ax] = indexAttr{*x, ax}
	}
}

// attr returns the attribute {x, ax}: x's own when it has them, else a new one.
func (x Index) attr(ax int) *indexAttr {
	if x.attrs != nil && ax >= 0 && ax < len(x.attrs) {
		return &x.attrs[ax]
	}
	return &indexAttr{x, ax}
}
