package layers

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// torchLayer is one entry of testdata/torch_conv_layers.json, written by
// testdata/torch_conv_layers.py from PyTorch 1.13.
type torchLayer struct {
	Name   string `json:"name"`
	Params []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
	} `json:"params"`
	FanIn  int   `json:"fan_in"`
	Input  []int `json:"input"`
	Output []int `json:"output"`
}

// convLayers builds, for each layer of the fixture, the same layer in gograd.
var convLayers = map[string]func() Module{
	"Conv2d(1,32,3)":  func() Module { return NewConv2d(1, 32, 3) },
	"Conv2d(32,64,3)": func() Module { return NewConv2d(32, 64, 3) },
	"Conv2d(4,6,(2,3),stride=2,padding=1,dilation=(2,1),groups=2)": func() Module {
		return NewConv2d(4, 6, 0, WithKernel(2, 3), WithStride(2), WithPadding(1), WithDilation(2, 1), WithGroups(2))
	},
	"Conv2d(3,3,3,padding=1,groups=3,bias=False)": func() Module {
		return NewConv2d(3, 3, 3, WithPadding(1), WithGroups(3), WithoutBias())
	},
	"Conv1d(3,4,5,stride=2,padding=2)": func() Module { return NewConv1d(3, 4, 5, WithStride(2), WithPadding(2)) },
	"ConvTranspose2d(4,6,3,stride=2,padding=1,output_padding=1,groups=2)": func() Module {
		return NewConvTranspose2d(4, 6, 3, WithStride(2), WithPadding(1), WithOutputPadding(1), WithGroups(2))
	},
	"MaxPool2d(2)":                    func() Module { return NewMaxPool2d(2) },
	"MaxPool2d(3,stride=2,padding=1)": func() Module { return NewMaxPool2d(3, WithStride(2), WithPadding(1)) },
	"AvgPool2d(3,stride=1,padding=1)": func() Module { return NewAvgPool2d(3, WithStride(1), WithPadding(1)) },
	"AdaptiveAvgPool2d(1)":            func() Module { return NewAdaptiveAvgPool2d(1, 1) },
	"Flatten()":                       func() Module { return NewFlatten() },
	"Dropout2d(0.25)":                 func() Module { return NewDropout2d(0.25, nil) },
}

// TestConvLayersMatchTorch checks each layer's parameter names and shapes, its default
// initialisation bound 1/√fanIn (with PyTorch's fan-in), and its output shape against PyTorch's
// layer of the same configuration.
func TestConvLayersMatchTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/torch_conv_layers.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Layers []torchLayer `json:"layers"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Layers) != len(convLayers) {
		t.Fatalf("fixture has %d layers, the test builds %d", len(file.Layers), len(convLayers))
	}
	for _, want := range file.Layers {
		build, ok := convLayers[want.Name]
		if !ok {
			t.Errorf("%s: no gograd layer for it", want.Name)
			continue
		}
		m := build()
		ps := m.NamedParams()
		if len(ps) != len(want.Params) {
			t.Errorf("%s: %d parameters, want %d", want.Name, len(ps), len(want.Params))
			continue
		}
		for i, p := range ps {
			if p.Name != want.Params[i].Name || !slices.Equal(p.Var.Shape(), want.Params[i].Shape) {
				t.Errorf("%s: parameter %d is %s %v, want %s %v", want.Name, i, p.Name, p.Var.Shape(), want.Params[i].Name, want.Params[i].Shape)
			}
			// U(−b, b) with b = 1/√fanIn: every value inside, the extremes near ±b.
			bound := 1 / math.Sqrt(float64(want.FanIn))
			lo, hi := slices.Min(p.Var.Float64s()), slices.Max(p.Var.Float64s())
			if lo < -bound || hi > bound {
				t.Errorf("%s: %s in [%g, %g], want within ±%g", want.Name, p.Name, lo, hi, bound)
			}
			// With n draws the largest |value| falls short of b by about b/n; 32 or more draws
			// reach 0.6·b with probability above 1 − 0.4³² ≈ 1 − 2e-13 (for 6 draws, 0.95).
			if n := p.Var.Len(); n >= 32 && max(-lo, hi) < 0.6*bound {
				t.Errorf("%s: %s spans [%g, %g] over %d values, want extremes near ±%g", want.Name, p.Name, lo, hi, n, bound)
			}
		}
		tp := ag.NewTape()
		y := m.Forward(tp.Zeros(ag.Float64, want.Input...))
		if !slices.Equal(y.Shape(), want.Output) {
			t.Errorf("%s: output shape %v for input %v, want %v", want.Name, y.Shape(), want.Input, want.Output)
		}
	}
}

// smallCNN is a LeNet-style network on 1×8×8 images.
func smallCNN(dt ag.DType, seed uint64) *Sequential {
	o := []Option{WithDType(dt), WithSeed(seed)}
	return NewSequential(
		NewConv2d(1, 4, 3, append(o, WithPadding(1))...), ReLU{},
		NewMaxPool2d(2),
		NewConv2d(4, 6, 3, o...), ReLU{},
		NewAdaptiveAvgPool2d(1, 1),
		NewFlatten(),
		NewLinear(6, 3, o...),
	)
}

// TestDropout2d checks that Dropout2d zeroes whole channels, scales the kept ones by 1/(1−p),
// drops about p of them, and passes its input through in evaluation mode.
func TestDropout2d(t *testing.T) {
	const p, n, c = 0.25, 50, 40
	d := NewDropout2d(p, nil)
	tp := ag.NewTape()
	x := make([]float64, n*c*3*2)
	for i := range x {
		x[i] = 1 + float64(i%5)
	}
	xv := tp.Variable(x, n, c, 3, 2)
	y := d.Forward(xv).Float64s()
	dropped := 0
	for ch := 0; ch < n*c; ch++ {
		got, in := y[ch*6:(ch+1)*6], x[ch*6:(ch+1)*6]
		zero := got[0] == 0
		if zero {
			dropped++
		}
		for i := range got {
			want := in[i] * (1 / (1 - p))
			if zero {
				want = 0
			}
			if got[i] != want {
				t.Fatalf("channel %d: element %d = %g, want %g (the whole channel kept or dropped)", ch, i, got[i], want)
			}
		}
	}
	// 2000 channels dropped with probability 0.25: the count has standard deviation
	// √(2000·0.25·0.75) ≈ 19, so ±100 (5σ) fails by chance with probability below 1e-6.
	if dropped < n*c/4-100 || dropped > n*c/4+100 {
		t.Errorf("%d of %d channels dropped, want about %d", dropped, n*c, n*c/4)
	}
	Eval(d)
	if got := d.Forward(xv); got != xv {
		t.Errorf("Dropout2d in evaluation mode returned a new Var, want its input")
	}
}

// TestConvLayerErrors checks the messages of bad configurations and bad inputs: each names the
// layer, the shapes or the value at fault.
func TestConvLayerErrors(t *testing.T) {
	cases := []struct {
		name string
		fn   func()
		want string
	}{
		{"Conv2d input rank", func() { NewConv2d(3, 4, 3).Forward(ag.NewTape().Zeros(ag.Float64, 2, 3, 5)) },
			"layers.Conv2d: input of shape (2,3,5); want (batch, 3, height, width)"},
		{"Conv2d channels", func() { NewConv2d(3, 4, 3).Forward(ag.NewTape().Zeros(ag.Float64, 2, 2, 5, 5)) },
			"layers.Conv2d: input of shape (2,2,5,5); want (batch, 3, height, width)"},
		{"Conv2d too small", func() { NewConv2d(3, 4, 3).Forward(ag.NewTape().Zeros(ag.Float64, 2, 3, 2, 5)) },
			"layers.Conv2d: input of shape (2,3,2,5): the kernel (3,3) with dilation (1,1) spans 3, larger than the padded input 2 (padding (0,0))"},
		{"Conv2d stride 0", func() { NewConv2d(3, 4, 3, WithStride(0)) }, "layers.NewConv2d: stride (0,0); want at least 1"},
		{"Conv2d dilation 0", func() { NewConv2d(3, 4, 3, WithDilation(1, 0)) }, "layers.NewConv2d: dilation (1,0); want at least 1"},
		{"Conv2d kernel 0", func() { NewConv2d(3, 4, 0) }, "layers.NewConv2d: kernel (0,0); want at least 1"},
		{"Conv2d groups", func() { NewConv2d(3, 4, 3, WithGroups(2)) },
			"layers.NewConv2d: groups 2 for 3 input and 4 output channels; want a positive divisor of both"},
		{"Conv2d stride values", func() { NewConv2d(3, 4, 3, WithStride(1, 2, 3)) }, "layers.NewConv2d: stride [1 2 3]: want 1 or 2 values"},
		{"Conv2d channels 0", func() { NewConv2d(0, 4, 3) }, "layers.NewConv2d: input channels 0; want at least 1"},
		{"Conv1d input", func() { NewConv1d(3, 4, 3).Forward(ag.NewTape().Zeros(ag.Float64, 2, 3, 5, 5)) },
			"layers.Conv1d: input of shape (2,3,5,5); want (batch, 3, length)"},
		{"Conv1d stride", func() { NewConv1d(3, 4, 3, WithStride(1, 2)) }, "layers.NewConv1d: stride [1 2]: want 1 value for a 1-D layer"},
		{"ConvTranspose2d output padding", func() { NewConvTranspose2d(3, 4, 3, WithOutputPadding(1)) },
			"layers.NewConvTranspose2d: output padding (1,1) with stride (1,1) and dilation (1,1); want it smaller than the stride or the dilation"},
		{"ConvTranspose2d input", func() { NewConvTranspose2d(3, 4, 3).Forward(ag.NewTape().Zeros(ag.Float64, 2, 4, 5, 5)) },
			"layers.ConvTranspose2d: input of shape (2,4,5,5); want (batch, 3, height, width)"},
		{"MaxPool2d input", func() { NewMaxPool2d(2).Forward(ag.NewTape().Zeros(ag.Float64, 3, 5, 5)) },
			"layers.MaxPool2d: input of shape (3,5,5); want (batch, channels, height, width)"},
		{"MaxPool2d too small", func() { NewMaxPool2d(3).Forward(ag.NewTape().Zeros(ag.Float64, 1, 3, 2, 5)) },
			"layers.MaxPool2d: input of shape (1,3,2,5): the kernel (3,3) with dilation (1,1) spans 3, larger than the padded input 2 (padding (0,0))"},
		{"MaxPool2d padding", func() { NewMaxPool2d(2, WithPadding(2)) }, "layers.NewMaxPool2d: padding (2,2) with kernel (2,2); want at most half the kernel"},
		{"AvgPool2d dilation", func() { NewAvgPool2d(2, WithDilation(2)) }, "layers.NewAvgPool2d: average pooling has no dilation"},
		{"AdaptiveAvgPool2d size", func() { NewAdaptiveAvgPool2d(0, 1) }, "layers.NewAdaptiveAvgPool2d: output height 0; want at least 1"},
		{"Flatten axis", func() { NewFlatten().Forward(ag.NewTape().Zeros(ag.Float64, 3)) }, "layers.Flatten: input of shape (3) has no axis 1"},
		{"Dropout2d input", func() { NewDropout2d(0.5, nil).Forward(ag.NewTape().Zeros(ag.Float64, 3, 4)) },
			"layers.Dropout2d: input of shape (3,4); want (batch, channels, height, width)"},
		{"Dropout2d p", func() { NewDropout2d(1, nil) }, "layers.NewDropout2d: probability 1; want a value in [0, 1)"},
	}
	for _, c := range cases {
		if got := panicMsg(t, c.fn); got != c.want {
			t.Errorf("%s: panic message\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	if !strings.HasPrefix(panicMsg(t, func() { var l *Conv2d; l.Forward(ag.NewTape().Zeros(ag.Float64, 1)) }), "layers.Conv2d: nil *Conv2d") {
		t.Errorf("nil *Conv2d: want a typed error naming the layer")
	}
}

// TestCNNStepAllocatesNothing checks that a steady training step of a small CNN (convolutions
// with bias, max pool, adaptive pool, flatten, linear) allocates nothing, as the MLP's does: the
// reshaped weights and biases are recorded on the tape, not on the heap. The sizes stay below
// the parallel split, whose hand-off may allocate elsewhere.
func TestCNNStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		m := smallCNN(dt, 3)
		ps := Params(m)
		tp := ag.NewTape()
		x64, x32 := make([]float64, 4*64), make([]float32, 4*64)
		step := func() {
			tp.Reset()
			x := tp.Const(x64, 4, 1, 8, 8)
			if dt == ag.Float32 {
				x = tp.Const32(x32, 4, 1, 8, 8)
			}
			if err := ag.Backward(sumSquares(m.Forward(x))); err != nil {
				t.Fatal(err)
			}
			ag.ZeroGrad(ps...)
		}
		step()
		step()
		if allocs := testing.AllocsPerRun(20, step); allocs > 0 {
			t.Errorf("%v: a steady CNN step allocates %v times, want 0", dt, allocs)
		}
	}
}
