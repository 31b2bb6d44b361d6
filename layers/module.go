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

// Model is anything with named parameters: a Module, a MultiModule, or a user's struct of them.
// Params, Buffers, SetTraining, Modules, and the checkpoint package's Save and Load take a
// Model.
type Model interface {
	// NamedParams returns the parameters in a stable order, with stable names.
	NamedParams() []Param
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
// Buffers, such as BatchNorm's running statistics, are not parameters and are not listed.
func Params(m Model) []ag.Var {
	ps := m.NamedParams()
	out := make([]ag.Var, 0, len(ps))
	for _, p := range ps {
		if !slices.Contains(out, p.Var) {
			out = append(out, p.Var)
		}
	}
	return out
}

// SetTraining sets the mode of m and of every module in it: training (true, the initial mode) or
// evaluation (false), which turns dropout off. A Trainer (a layer, or a container, which passes
// the mode on) is told directly; any other module that points to a struct, such as a model whose
// NamedParams is Collect, has the modules of its fields set, found as Collect finds them.
func SetTraining(m Model, training bool) {
	if t, ok := m.(Trainer); ok {
		t.SetTraining(training)
		return
	}
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return
	}
	s := v.Elem()
	for i := range s.NumField() {
		if s.Type().Field(i).IsExported() {
			eachModule(lowerFirst(s.Type().Field(i).Name), s.Field(i), func(_ string, c Model) { SetTraining(c, training) })
		}
	}
}

// Modules returns m and the modules in it, each once, m first and then depth first: the
// modules found as Collect finds them, in the exported fields of the struct a module points to
// that hold a Model or a slice or array of Models (Sequential's Layers, MLP's Net, Residual's
// Body, a user's fields), recursively. Nil modules are left out.
func Modules(m Model) []Model {
	var out []Model
	seen := make(map[Model]bool)
	var walk func(Model)
	walk = func(m Model) {
		v := reflect.ValueOf(m)
		if m == nil || v.Kind() == reflect.Pointer && v.IsNil() {
			return
		}
		if v.Type().Comparable() {
			if seen[m] {
				return
			}
			seen[m] = true
		}
		out = append(out, m)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return
		}
		s := v.Elem()
		for i := range s.NumField() {
			if f := s.Type().Field(i); f.IsExported() {
				eachModule(f.Name, s.Field(i), func(_ string, c Model) { walk(c) })
			}
		}
	}
	walk(m)
	return out
}

// Train puts m in training mode; see SetTraining.
func Train(m Model) { SetTraining(m, true) }

// Eval puts m in evaluation mode; see SetTraining.
func Eval(m Model) { SetTraining(m, false) }

// Collect returns the parameters of the struct that s points to, found by reflection, in field
// order: an exported ag.Var field holding a parameter is named after the field with its first
// letter lowered ("Weight" gives "weight"), unless the field is tagged `layers:"buffer"` (a
// buffer, see Buffers); an exported field holding a Model (a Module or a MultiModule) contributes
// its NamedParams under the prefix "field." (a layer stored by value, such as a Linear field,
// counts through its address); an exported slice or array of Models contributes each element's
// under "field.i.". A user-defined model implements NamedParams with Collect and never lists its
// parameters by hand. Collect panics if s is not a pointer to a struct.
func Collect(s any) []Param {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		ag.Panicf("layers.Collect", ag.ErrValue, "%T is not a pointer to a struct", s)
	}
	v = v.Elem()
	var out []Param
	varType := reflect.TypeFor[ag.Var]()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		name := lowerFirst(f.Name)
		if isBufferField(f) {
			continue
		}
		if f.Type == varType {
			p := fv.Interface().(ag.Var)
			if !p.IsNil() && p.IsParam() {
				out = append(out, Param{Name: name, Var: p})
			}
			continue
		}
		eachModule(name, fv, func(prefix string, m Model) {
			for _, p := range m.NamedParams() {
				out = append(out, Param{Name: prefix + "." + p.Name, Var: p.Var})
			}
		})
	}
	return out
}

// eachModule calls fn with the modules the field fv (named name) holds: a Model (a Module or a
// MultiModule), a struct stored by value whose pointer is a Model (a layers.Linear field), or the
// elements of a slice or array of either, named "name.i". Nil modules are skipped.
func eachModule(name string, fv reflect.Value, fn func(name string, m Model)) {
	if m, ok := asModule(fv); ok {
		fn(name, m)
		return
	}
	if k := fv.Kind(); k == reflect.Slice || k == reflect.Array {
		for j := range fv.Len() {
			if m, ok := asModule(fv.Index(j)); ok {
				fn(fmt.Sprintf("%s.%d", name, j), m)
			}
		}
	}
}

// asModule returns the Model v holds or, for an addressable struct whose pointer is a Model,
// its address.
func asModule(v reflect.Value) (Model, bool) {
	modType := reflect.TypeFor[Model]()
	switch {
	case v.Type().Implements(modType):
		if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
			return nil, false
		}
		return v.Interface().(Model), true
	case v.Kind() == reflect.Struct && v.CanAddr() && reflect.PointerTo(v.Type()).Implements(modType):
		return v.Addr().Interface().(Model), true
	}
	return nil, false
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
