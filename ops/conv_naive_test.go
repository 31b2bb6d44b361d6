package ops_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// randomWindow draws a window and an input shape it fits, covering strides larger than the
// kernel, paddings up to the dilated kernel's span and rectangular everything.
func randomWindow(r *rand.Rand) (ops.Window2d, []int) {
	var w ops.Window2d
	shape := []int{1 + r.IntN(2), 1 + r.IntN(3), 0, 0}
	for i := range 2 {
		w.Kernel[i] = 1 + r.IntN(4)
		w.Stride[i] = 1 + r.IntN(3)
		w.Dilation[i] = 1 + r.IntN(3)
		span := w.Dilation[i]*(w.Kernel[i]-1) + 1
		w.Padding[i] = r.IntN(span + 1)
		shape[2+i] = max(1, span-2*w.Padding[i]) + r.IntN(6)
	}
	return w, shape
}

// naiveIm2col unfolds x by the definition: row (c·kh + i)·kw + j, column oy·OW + ox holds
// x[n, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw], or pad outside the input.
func naiveIm2col(x []float64, s []int, w ops.Window2d, pad float64) ([]float64, []int) {
	n, c, h, wd := s[0], s[1], s[2], s[3]
	oh := (h+2*w.Padding[0]-w.Dilation[0]*(w.Kernel[0]-1)-1)/w.Stride[0] + 1
	ow := (wd+2*w.Padding[1]-w.Dilation[1]*(w.Kernel[1]-1)-1)/w.Stride[1] + 1
	kh, kw := w.Kernel[0], w.Kernel[1]
	out := make([]float64, n*c*kh*kw*oh*ow)
	for b := range n {
		for ch := range c {
			for i := range kh {
				for j := range kw {
					row := ch*kh*kw + i*kw + j
					for oy := range oh {
						for ox := range ow {
							iy := oy*w.Stride[0] - w.Padding[0] + i*w.Dilation[0]
							ix := ox*w.Stride[1] - w.Padding[1] + j*w.Dilation[1]
							v := pad
							if iy >= 0 && iy < h && ix >= 0 && ix < wd {
								v = x[((b*c+ch)*h+iy)*wd+ix]
							}
							out[((b*c*kh*kw+row)*oh+oy)*ow+ox] = v
						}
					}
				}
			}
		}
	}
	return out, []int{n, c * kh * kw, oh * ow}
}

// TestIm2colAgainstNaive compares Im2col with its definition on random windows, in float64 and
// float32, and checks that Col2im is its adjoint: ⟨Im2col(x), c⟩ = ⟨x, Col2im(c)⟩.
func TestIm2colAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for k := range 300 {
		w, s := randomWindow(r)
		name := fmt.Sprintf("case %d: %v on %v", k, w, s)
		x := make([]float64, s[0]*s[1]*s[2]*s[3])
		for i := range x {
			x[i] = r.Float64()*2 - 1
		}
		pad := []float64{0, math.Inf(-1), 0.5}[k%3]
		want, ws := naiveIm2col(x, s, w, pad)
		for _, dt := range dtypes {
			tp := ag.NewTape()
			got := ops.Im2col(constant(tp, dt, a(s, x...)), w, pad)
			if diff := cmp.Diff(ws, got.Shape()); diff != "" {
				t.Fatalf("%s %v: shape (-want +got):\n%s", name, dt, diff)
			}
			// Im2col copies: float32 values are the inputs rounded once.
			if diff := cmp.Diff(want, got.Float64s(), cmpopts.EquateApprox(1e-7, 0)); diff != "" {
				t.Fatalf("%s %v: values (-want +got):\n%s", name, dt, diff)
			}
		}
		cols := make([]float64, len(want))
		for i := range cols {
			cols[i] = r.Float64()*2 - 1
		}
		tp := ag.NewTape()
		zero, _ := naiveIm2col(x, s, w, 0)
		folded := ops.Col2im(tp.Const(cols, ws...), w, s[2], s[3]).Float64s()
		lhs, rhs := 0.0, 0.0
		for i := range cols {
			lhs += zero[i] * cols[i]
		}
		for i := range x {
			rhs += x[i] * folded[i]
		}
		// Two sums of at most ~2000 products of values in [−1, 1], in different orders.
		if math.Abs(lhs-rhs) > 1e-12*float64(len(cols)) {
			t.Fatalf("%s: ⟨Im2col(x), c⟩ = %.17g, ⟨x, Col2im(c)⟩ = %.17g, want equal", name, lhs, rhs)
		}
	}
}

// TestConv2dAgainstNaive compares Conv2d with the direct sum of its definition on random
// geometries and groups.
func TestConv2dAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for k := range 100 {
		w, s := randomWindow(r)
		groups := 1 + r.IntN(3)
		s[1] = groups * (1 + r.IntN(2))
		n, c, h, wd := s[0], s[1], s[2], s[3]
		o := groups * (1 + r.IntN(2))
		cg, og := c/groups, o/groups
		kh, kw := w.Kernel[0], w.Kernel[1]
		name := fmt.Sprintf("case %d: %v groups %d on %v to %d channels", k, w, groups, s, o)
		x := make([]float64, n*c*h*wd)
		weight := make([]float64, o*cg*kh*kw)
		bias := make([]float64, o)
		for _, v := range [][]float64{x, weight, bias} {
			for i := range v {
				v[i] = r.Float64()*2 - 1
			}
		}
		oh := (h+2*w.Padding[0]-w.Dilation[0]*(kh-1)-1)/w.Stride[0] + 1
		ow := (wd+2*w.Padding[1]-w.Dilation[1]*(kw-1)-1)/w.Stride[1] + 1
		want := make([]float64, n*o*oh*ow)
		for b := range n {
			for oc := range o {
				g := oc / og
				for oy := range oh {
					for ox := range ow {
						sum := bias[oc]
						for ci := range cg {
							for i := range kh {
								for j := range kw {
									iy := oy*w.Stride[0] - w.Padding[0] + i*w.Dilation[0]
									ix := ox*w.Stride[1] - w.Padding[1] + j*w.Dilation[1]
									if iy < 0 || iy >= h || ix < 0 || ix >= wd {
										continue
									}
									sum += x[((b*c+g*cg+ci)*h+iy)*wd+ix] * weight[((oc*cg+ci)*kh+i)*kw+j]
								}
							}
						}
						want[((b*o+oc)*oh+oy)*ow+ox] = sum
					}
				}
			}
		}
		tp := ag.NewTape()
		got := ops.Conv2d(tp.Const(x, s...), tp.Const(weight, o, cg, kh, kw), tp.Const(bias, o),
			w.Stride, w.Padding, w.Dilation, groups)
		if diff := cmp.Diff([]int{n, o, oh, ow}, got.Shape()); diff != "" {
			t.Fatalf("%s: shape (-want +got):\n%s", name, diff)
		}
		// Sums of at most 24 products of values in [−1, 1], in another order: a few ulps.
		if diff := cmp.Diff(want, got.Float64s(), cmpopts.EquateApprox(0, 1e-13)); diff != "" {
			t.Fatalf("%s: values (-want +got):\n%s", name, diff)
		}
	}
}

// TestConvTranspose2dIsAdjoint checks ⟨Conv2d(y, W), x⟩ = ⟨y, ConvTranspose2d(x, W)⟩ for random
// geometries, groups and output paddings below the stride: the transposed convolution is the
// adjoint of the convolution with the same weight.
func TestConvTranspose2dIsAdjoint(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	fill := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.Float64()*2 - 1
		}
		return v
	}
	for k := 0; k < 100; {
		w, _ := randomWindow(r)
		groups := 1 + r.IntN(3)
		n, c, o := 1+r.IntN(2), groups*(1+r.IntN(2)), groups*(1+r.IntN(2))
		var in, out, op [2]int
		ok := true
		for i := range 2 {
			out[i] = 1 + r.IntN(4)
			op[i] = r.IntN(w.Stride[i])
			in[i] = (out[i]-1)*w.Stride[i] - 2*w.Padding[i] + w.Dilation[i]*(w.Kernel[i]-1) + op[i] + 1
			ok = ok && in[i] >= 1
		}
		if !ok {
			continue
		}
		k++
		name := fmt.Sprintf("%v groups %d output padding %v: (%d,%d,%d,%d) to (%d,%d,%d,%d)", w, groups, op, n, c, in[0], in[1], n, o, out[0], out[1])
		tp := ag.NewTape()
		weight := tp.Const(fill(o*(c/groups)*w.Kernel[0]*w.Kernel[1]), o, c/groups, w.Kernel[0], w.Kernel[1])
		y := tp.Const(fill(n*c*in[0]*in[1]), n, c, in[0], in[1])
		x := tp.Const(fill(n*o*out[0]*out[1]), n, o, out[0], out[1])
		conv := ops.Conv2d(y, weight, ag.Var{}, w.Stride, w.Padding, w.Dilation, groups)
		if got := conv.Shape(); !slices.Equal(got, x.Shape()) {
			t.Fatalf("%s: Conv2d shape %v, want %v", name, got, x.Shape())
		}
		tr := ops.ConvTranspose2d(x, weight, ag.Var{}, w.Stride, w.Padding, op, w.Dilation, groups)
		if got := tr.Shape(); !slices.Equal(got, y.Shape()) {
			t.Fatalf("%s: ConvTranspose2d shape %v, want %v", name, got, y.Shape())
		}
		lhs := ops.Sum(ops.Mul(conv, x)).Item()
		rhs := ops.Sum(ops.Mul(y, tr)).Item()
		// Sums of a few thousand products of values in [−1, 1], in different orders.
		if math.Abs(lhs-rhs) > 1e-11 {
			t.Fatalf("%s: ⟨Conv2d(y), x⟩ = %.17g, ⟨y, ConvTranspose2d(x)⟩ = %.17g, want equal", name, lhs, rhs)
		}
	}
}
