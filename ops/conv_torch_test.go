package ops_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchArray is a shaped array of testdata/torch_conv.json.
type torchArray struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// torchConvCase is one case of testdata/torch_conv.json, written by testdata/torch_conv.py:
// PyTorch 1.13's output of a torch.nn.functional op and the gradients of sum(output·upstream).
type torchConvCase struct {
	Name   string `json:"name"`
	Op     string `json:"op"`
	Params struct {
		Stride, Padding, Dilation, OutputPadding, Kernel, Out []int
		Groups, Start                                         int
	} `json:"params"`
	Inputs   map[string]torchArray `json:"inputs"`
	Upstream torchArray            `json:"upstream"`
	Output   torchArray            `json:"output"`
	Grads    map[string]torchArray `json:"grads"`
}

func (c *torchConvCase) UnmarshalJSON(b []byte) error {
	type plain torchConvCase
	var raw struct {
		plain
		Params map[string]json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = torchConvCase(raw.plain)
	p := &c.Params
	fields := map[string]any{
		"stride": &p.Stride, "padding": &p.Padding, "dilation": &p.Dilation, "output_padding": &p.OutputPadding,
		"kernel": &p.Kernel, "out": &p.Out, "groups": &p.Groups, "start": &p.Start,
	}
	for k, v := range raw.Params {
		if err := json.Unmarshal(v, fields[k]); err != nil {
			return err
		}
	}
	return nil
}

// inputOrder is the order of the inputs handed to run.
var inputOrder = []string{"x", "weight", "bias"}

// run applies the gograd op of the case to xs (x, weight and bias when the case has them).
func (c *torchConvCase) run(xs map[string]ag.Var) ag.Var {
	p := c.Params
	two := func(v []int) [2]int { return [2]int{v[0], v[1]} }
	switch c.Op {
	case "conv2d":
		return ops.Conv2d(xs["x"], xs["weight"], xs["bias"], two(p.Stride), two(p.Padding), two(p.Dilation), p.Groups)
	case "conv1d":
		return ops.Conv1d(xs["x"], xs["weight"], xs["bias"], p.Stride[0], p.Padding[0], p.Dilation[0], p.Groups)
	case "conv_transpose2d":
		return ops.ConvTranspose2d(xs["x"], xs["weight"], xs["bias"], two(p.Stride), two(p.Padding), two(p.OutputPadding), two(p.Dilation), p.Groups)
	case "max_pool2d":
		return ops.MaxPool2d(xs["x"], two(p.Kernel), two(p.Stride), two(p.Padding), two(p.Dilation))
	case "avg_pool2d":
		return ops.AvgPool2d(xs["x"], two(p.Kernel), two(p.Stride), two(p.Padding))
	case "adaptive_avg_pool2d":
		return ops.AdaptiveAvgPool2d(xs["x"], p.Out[0], p.Out[1])
	case "flatten":
		return ops.FlattenFrom(xs["x"], p.Start)
	}
	panic("unknown op " + c.Op)
}

func loadTorchConv(t *testing.T) []torchConvCase {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_conv.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []torchConvCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("testdata/torch_conv.json: %v", err)
	}
	if len(file.Cases) < 20 {
		t.Fatalf("testdata/torch_conv.json holds %d cases, want at least 20", len(file.Cases))
	}
	return file.Cases
}

// TestConvAgainstTorch checks the values and gradients of the convolutions and pools against
// PyTorch 1.13 (testdata/torch_conv.json, written by testdata/torch_conv.py), in float64 and
// float32.
func TestConvAgainstTorch(t *testing.T) {
	for _, c := range loadTorchConv(t) {
		for _, dt := range dtypes {
			tp := ag.NewTape()
			xs := make(map[string]ag.Var)
			var order []ag.Var
			var names []string
			for _, k := range inputOrder {
				in, ok := c.Inputs[k]
				if !ok {
					continue
				}
				xs[k] = variable(tp, dt, a(in.Shape, in.Data...))
				order = append(order, xs[k])
				names = append(names, k)
			}
			var y ag.Var
			if err := ag.Maybe(func() { y = c.run(xs) }); err != nil {
				t.Errorf("%s %v: %v", c.Name, dt, err)
				continue
			}
			if got := y.Shape(); !slices.Equal(got, c.Output.Shape) {
				t.Errorf("%s %v: output shape %v, want %v", c.Name, dt, got, c.Output.Shape)
				continue
			}
			tol := torchTolerance(dt)
			if diff := cmp.Diff(c.Output.Data, y.Float64s(), tol); diff != "" {
				t.Errorf("%s %v: output differs from PyTorch's (-want +got):\n%s", c.Name, dt, diff)
			}
			up := constant(tp, dt, a(c.Upstream.Shape, c.Upstream.Data...))
			gs, err := ag.Grad([]ag.Var{y}, order, ag.Seed(up))
			if err != nil {
				t.Errorf("%s %v: Grad: %v", c.Name, dt, err)
				continue
			}
			for i, k := range names {
				want := c.Grads[k]
				if got := gs[i].Shape(); !slices.Equal(got, want.Shape) {
					t.Errorf("%s %v: ∂%s shape %v, want %v", c.Name, dt, k, got, want.Shape)
					continue
				}
				if diff := cmp.Diff(want.Data, gs[i].Float64s(), tol); diff != "" {
					t.Errorf("%s %v: ∂%s differs from PyTorch's (-want +got):\n%s", c.Name, dt, k, diff)
				}
			}
		}
	}
}

// torchTolerance is the agreement expected with PyTorch's float64 results.
func torchTolerance(dt ag.DType) cmp.Option {
	if dt == ag.Float32 {
		// Inputs of order 1 rounded to float32 (ε ≈ 6e-8) and sums of up to ~100 products:
		// the rounding errors add up to a few 1e-6 relative; results near 0 (cancelling sums)
		// are compared absolutely at the scale of the terms.
		return cmpopts.EquateApprox(1e-5, 1e-5)
	}
	// float64: the same sums in another order than PyTorch's differ by a few ulps of the terms,
	// which are of order 1: 1e-12 absolute leaves a margin of ~1000 ulps for cancelling sums.
	return cmpopts.EquateApprox(1e-12, 1e-12)
}
