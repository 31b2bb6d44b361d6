package autograd

import "unsafe"

// maxInline is the number of inputs, shape dimensions and integer attributes a node stores
// without allocating.
const maxInline = 4

// node is one entry of a tape (or a parameter). Nodes are recycled by Tape.Reset; Vars detect
// recycling through gen.
type node struct {
	tape *Tape  // nil for parameters and heap nodes
	gen  uint64 // generation: the tape's when the node was made, 0 once released (see Var.live)
	seq  uint64 // creation order of heap nodes

	dtype        DType
	requiresGrad bool  // a gradient can flow to this node
	param        bool  // a long-lived leaf
	leaf         bool  // a leaf that collects its gradient (parameter or Tape.Variable)
	marks        marks // who owns the value, and what the backward pass may do with it
	idx          int32 // position on the tape (beside the flags: the node keeps its size)

	shape    []int
	shapeBuf [maxInline]int
	f64      []float64
	f32      []float32
	scalar   [1]float64 // inline storage of a scalar (a float32 scalar uses its first half)

	op     *Op
	inputs []Var
	inBuf  [maxInputs]Var
	attr   *attrs // nil until an attribute is set

	// wide is the list of inputs of an operation with more than maxInputs of them (a Concat of
	// a sequence's steps); a tape node keeps it across Reset, so that a steady step reuses it
	// instead of allocating one (issue 12).
	wide []Var
}

// marks are flags about a node's storage and its use as a gradient, in the byte that held
// ownsBuf alone, so that the node's layout does not change and Tape.next still clears its
// flags in one store (with two more bools it no longer inlined: ScalarChain 8% slower).
type marks uint8

const (
	ownsBuf marks = 1 << iota // the value is its slot's buffer, which a parameter may take (storage.go)
	held                      // a gradient slot holds it: a slot buffer a slot took, or a sum the pass made (backward.go)
	shared                    // in more than one slot: no slot may add into it in place
)

// maxInputs is the number of inputs a node stores without allocating.
const maxInputs = 3

// NewResultOn stores one to three operands case by case: a change of maxInputs must change
// its cases too, which these two declarations enforce (neither compiles unless it is 3).
var (
	_ [maxInputs - 3]struct{}
	_ [3 - maxInputs]struct{}
)

// attrs holds what few nodes need, so that the node stays small: tape nodes take theirs from
// the tape's pool.
type attrs struct {
	ints    []int
	intsBuf [maxInline]int
	float   float64
	aux     any
	lg      leafGrad  // a leaf's gradient (leafgrad.go)
	site    []uintptr // the call stack that created the node, under anomaly detection only
}

var noAttrs attrs

// attrs returns n's attributes for reading.
func (n *node) attrs() *attrs {
	if n.attr == nil {
		return &noAttrs
	}
	return n.attr
}

// mutAttrs returns n's attributes for writing, taking them from the tape's pool if needed.
func (n *node) mutAttrs() *attrs {
	if n.attr != nil {
		return n.attr
	}
	if n.tape == nil {
		n.attr = new(attrs)
		return n.attr
	}
	t := n.tape
	if t.attrsUsed == len(t.attrPool) {
		slab := make([]attrs, 64)
		for i := range slab {
			t.attrPool = append(t.attrPool, &slab[i])
		}
	}
	a := t.attrPool[t.attrsUsed]
	t.attrsUsed++
	a.ints, a.float, a.aux, a.lg, a.site = nil, 0, nil, leafGrad{}, a.site[:0]
	n.attr = a
	return a
}

// setShape copies shape into the node, using the inline buffer when it fits.
func (n *node) setShape(shape []int) {
	if len(shape) <= maxInline {
		for i, d := range shape { // a loop, not copy's call to memmove: shapes are short
			n.shapeBuf[i] = d
		}
		n.shape = n.shapeBuf[:len(shape)]
		return
	}
	n.shape = make([]int, len(shape))
	copy(n.shape, shape)
}

// numel returns the number of elements of the node's value.
func (n *node) numel() int {
	return numel(n.shape)
}

func numel(shape []int) int {
	s := 1
	for _, d := range shape {
		s *= d
	}
	return s
}

// setScalarStorage points the value at the node's inline scalar storage.
func (n *node) setScalarStorage() {
	if n.dtype == Float32 {
		n.f32 = unsafe.Slice((*float32)(unsafe.Pointer(&n.scalar[0])), 1)
	} else {
		n.f64 = n.scalar[:]
	}
}
