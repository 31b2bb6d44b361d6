package layers

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// Buffered is implemented by modules that hold buffers: state that is saved and restored with
// the parameters but is not trained, such as BatchNorm's running statistics ("running_mean",
// "running_var"), as PyTorch's registered buffers. A buffer is a frozen parameter (see
// autograd.SetRequiresGrad): it can be an operand of ops, no gradient flows to it, Params does
// not list it, so no optimizer updates it, and the layer owning it updates it in place.
type Buffered interface {
	// NamedBuffers returns the module's buffers in a stable order, with stable names such as
	// "running_mean" or, in containers, "1.running_mean".
	NamedBuffers() []Param
}

// bufferTag is the struct tag that marks an ag.Var field as a buffer: `layers:"buffer"`.
const bufferTag = "buffer"

func isBufferField(f reflect.StructField) bool { return f.Tag.Get("layers") == bufferTag }

// Buffers returns the buffers of m and of the modules in it: m's NamedBuffers if m is Buffered;
// otherwise, for a pointer to a struct (a user's model), CollectBuffers; otherwise none. Save and
// Load store them with the parameters.
func Buffers(m Model) []Param {
	if b, ok := m.(Buffered); ok {
		return b.NamedBuffers()
	}
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	return CollectBuffers(m)
}

// CollectBuffers returns the buffers of the struct that s points to, found by reflection as
// Collect finds parameters: an exported ag.Var field tagged `layers:"buffer"` is a buffer named
// after the field with its first letter lowered; an exported field holding a Model contributes
// its Buffers under the prefix "field.", and a slice or array of Models each element's under
// "field.i.". A model whose NamedParams is Collect needs no NamedBuffers: Buffers falls back to
// CollectBuffers. CollectBuffers panics if s is not a pointer to a struct.
func CollectBuffers(s any) []Param {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		ag.Panicf("layers.CollectBuffers", ag.ErrValue, "%T is not a pointer to a struct", s)
	}
	v = v.Elem()
	var out []Param
	varType := reflect.TypeFor[ag.Var]()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		name := lowerFirst(f.Name)
		if f.Type == varType {
			if b := v.Field(i).Interface().(ag.Var); isBufferField(f) && !b.IsNil() {
				out = append(out, Param{Name: name, Var: b})
			}
			continue
		}
		eachModule(name, v.Field(i), func(prefix string, m Model) {
			for _, b := range Buffers(m) {
				out = append(out, Param{Name: prefix + "." + b.Name, Var: b.Var})
			}
		})
	}
	return out
}

// NamedBuffers returns the buffers of every layer, named after the layer's index and the
// layer's own name: "1.running_mean", "1.running_var", ...
func (s *Sequential) NamedBuffers() []Param {
	var out []Param
	for i, l := range s.Layers {
		prefix := strconv.Itoa(i) + "."
		for _, b := range Buffers(l) {
			out = append(out, Param{Name: prefix + b.Name, Var: b.Var})
		}
	}
	return out
}

// NamedBuffers returns the buffers of Net, named as its parameters are.
func (m *MLP) NamedBuffers() []Param { return m.Net.NamedBuffers() }

// newBuffer returns a frozen parameter of the given shape holding c, in the option's dtype.
func (o *options) newBuffer(c float64, shape ...int) ag.Var {
	b := o.newFilled(c, shape)
	ag.SetRequiresGrad(b, false)
	return b
}

// namedState returns the parameters and buffers of m: what Save writes and Load reads.
func namedState(m Model) []Param { return slices.Concat(m.NamedParams(), Buffers(m)) }

// isCounter reports whether the buffer v named name is an integer counter, BatchNorm's
// num_batches_tracked: a float64 scalar in gograd, an int64 scalar in torch's state_dict and so
// in checkpoints (Save writes it as one, Load reads it from one).
func isCounter(name string, v ag.Var) bool {
	return (name == batchesTracked || strings.HasSuffix(name, "."+batchesTracked)) && v.Rank() == 0 && v.DType() == ag.Float64 && !v.RequiresGrad()
}

// matchCounter returns an error unless an array of the given shape and dtype can hold a counter:
// an int64 scalar.
func matchCounter(shape []int, dtype string) error {
	if len(shape) != 0 || dtype != "int64" {
		return fmt.Errorf("%s %s in the file; want an int64 scalar, as torch's", dtype, ag.FormatShape(shape))
	}
	return nil
}
