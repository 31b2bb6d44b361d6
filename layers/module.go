package layers

import (
	"fmt"
	"reflect"
	"slices"
	"unicode"
	"unicode/utf8"

	ag "github.com/gograd/gograd/autograd"
)

// Param is a named parameter of a module.
type Param struct {
	Name string
	Var  ag.Var
}

// Module is a layer or a network of layers.
type Module interface {
	// Forward returns the module's output for the batch x, recorded on x's tape.
	Forward(x ag.Var) ag.Var
	// NamedParams returns the module's parameters in a stable order, with stable names such
	// as "weight" or, in containers, "0.weight".
	NamedParams() []Param
}

// Trainer is implemented by modules that behave differently in training and in evaluation,
// such as Dropout, and by containers, which pass the mode on to their children.
type Trainer interface {
	// SetTraining selects training mode (true) or evaluation mode (false).
	SetTraining(training bool)
}

// Params returns the distinct parameters of m in the order of m.NamedParams, to give to an
// optimizer. A parameter that appears twice (a layer used in two places, tied weights) is listed
// once, as in PyTorch's Module.parameters: an optimizer would otherwise update it twice per step.
func Params(m Module) []ag.Var {
	ps := m.NamedParams()
	out := make([]ag.Var, 0, len(ps))
	for _, p := range ps {
		if !slices.Contains(out, p.Var) {
			out = append(out, p.Var)
		}
	}
	return out
}

// SetTraining sets the mode of m and, through containers, of every module in it: training
// (true, the initial mode) or evaluation (false), which turns dropout off.
func SetTraining(m Module, training bool) {
	if t, ok := m.(Trainer); ok {
		t.SetTraining(training)
	}
}

// Train puts m in training mode; see SetTraining.
func Train(m Module) { SetTraining(m, true) }

// Eval puts m in evaluation mode; see SetTraining.
func Eval(m Module) { SetTraining(m, false) }

// Collect returns the parameters of the struct that s points to, found by reflection, in field
// order: an exported ag.Var field holding a parameter is named after the field with its first
// letter lowered ("Weight" gives "weight"); an exported field holding a Module contributes that
// module's NamedParams under the prefix "field."; an exported slice or array of Modules
// contributes each element's under "field.i.". A user-defined model implements NamedParams with
// Collect and never lists its parameters by hand. Collect panics if s is not a pointer to a
// struct.
func Collect(s any) []Param {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		ag.Panicf("layers.Collect", ag.ErrValue, "%T is not a pointer to a struct", s)
	}
	v = v.Elem()
	var out []Param
	varType := reflect.TypeFor[ag.Var]()
	modType := reflect.TypeFor[Module]()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		name := lowerFirst(f.Name)
		switch {
		case f.Type == varType:
			p := fv.Interface().(ag.Var)
			if !p.IsNil() && p.IsParam() {
				out = append(out, Param{Name: name, Var: p})
			}
		case f.Type.Implements(modType):
			out = appendModule(out, name, fv)
		case f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Array:
			if f.Type.Elem().Implements(modType) {
				for j := range fv.Len() {
					out = appendModule(out, fmt.Sprintf("%s.%d", name, j), fv.Index(j))
				}
			}
		}
	}
	return out
}

func appendModule(out []Param, prefix string, v reflect.Value) []Param {
	if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
		return out
	}
	for _, p := range v.Interface().(Module).NamedParams() {
		out = append(out, Param{Name: prefix + "." + p.Name, Var: p.Var})
	}
	return out
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
