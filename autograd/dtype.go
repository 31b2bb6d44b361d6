package autograd

// DType is the element type of a Var: Float64 or Float32, chosen per Var.
type DType uint8

const (
	// Float64 stores values as float64.
	Float64 DType = iota + 1
	// Float32 stores values as float32.
	Float32
)

// String returns "float64" or "float32".
func (d DType) String() string {
	switch d {
	case Float64:
		return "float64"
	case Float32:
		return "float32"
	}
	return "invalid dtype"
}
