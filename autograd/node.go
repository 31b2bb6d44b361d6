package autograd

// maxInline is the number of inputs, shape dimensions and integer attributes a node stores
// without allocating.
const maxInline = 4

// node is one entry of a tape (or a parameter). Nodes are recycled by Tape.Reset; Vars detect
// recycling through gen.
type node struct {
	tape *Tape // nil for parameters and heap nodes
	gen  uint32
	idx  int32  // position on the tape
	seq  uint64 // creation order of heap nodes

	dtype        DType
	requiresGrad bool // a gradient can flow to this node
	param        bool // a long-lived leaf
	leaf         bool // a leaf that collects its gradient (parameter or Tape.Variable)

	shape    []int
	shapeBuf [maxInline]int
	f64      []float64
	f32      []float32
	scalar64 [1]float64
	scalar32 [1]float32

	op      *Op
	inputs  []Var
	inBuf   [maxInline]Var
	ints    []int
	intsBuf [maxInline]int
	float   float64
	aux     any

	grad Var    // the gradient collected by Backward, for leaves
	site string // where the node was created, under anomaly detection
}

// setShape copies shape into the node, using the inline buffer when it fits.
func (n *node) setShape(shape []int) {
	if len(shape) <= maxInline {
		n.shape = n.shapeBuf[:len(shape)]
	} else {
		n.shape = make([]int, len(shape))
	}
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
		n.f32 = n.scalar32[:]
	} else {
		n.f64 = n.scalar64[:]
	}
}
