package ops

import ag "github.com/gograd/gograd/autograd"

// Forward-mode rules of the LSTM and softmax primitives (vjp.go), written with ops. With s = σ,
// t = tanh, the gate blocks a_i, a_f, a_g, a_o of pre and the blocks ṗ_i, ṗ_f, ṗ_g, ṗ_o of its
// tangent: σ' = s·(1 − s), σ” = σ'·(1 − 2s), t' = 1 − t². A zero tangent is passed as zeros, so
// each rule is one formula; all zero tangents give the zero Var.

// allZero reports whether every tangent is the zero Var.
func allZero(t []ag.Var) bool {
	for _, ti := range t {
		if !ti.IsNil() {
			return false
		}
	}
	return true
}

// lstmTangents returns the tangents of y's inputs, zeros for the zero ones.
func lstmTangents(y ag.Var, t []ag.Var) []ag.Var {
	out := make([]ag.Var, len(t))
	for i := range t {
		out[i] = zerosFor(t[i], in(y, i))
	}
	return out
}

// lstmCJVP is the tangent of c' = s(a_f)·c + s(a_i)·t(a_g):
// ċ' = σ'_f·ṗ_f·c + s_f·ċ + σ'_i·ṗ_i·t_g + s_i·t'_g·ṗ_g.
func lstmCJVP(y ag.Var, t []ag.Var) ag.Var {
	if allZero(t) {
		return ag.Var{}
	}
	pre, c := in(y, 0), in(y, 1)
	d := lstmTangents(y, t)
	pi, pf, pg, _ := lstmBlocks(d[0])
	si, sf, tg := lstmGate(pre, 0), lstmGate(pre, 1), lstmGate(pre, 2)
	forget := Add(Mul(Mul(dsig(sf), pf), c), Mul(sf, d[1]))
	input := Add(Mul(Mul(dsig(si), pi), tg), Mul(Mul(si, RSubScalar(1, Square(tg))), pg))
	return Add(forget, input)
}

// lstmHJVP is the tangent of h' = s(a_o)·t(c'): ḣ' = σ'_o·ṗ_o·t(c') + s_o·t'(c')·ċ'.
func lstmHJVP(y ag.Var, t []ag.Var) ag.Var {
	if allZero(t) {
		return ag.Var{}
	}
	pre, c2 := in(y, 0), in(y, 1)
	d := lstmTangents(y, t)
	_, _, _, po := lstmBlocks(d[0])
	so, tc := lstmGate(pre, 3), Tanh(c2)
	return Add(Mul(Mul(dsig(so), po), tc), Mul(Mul(so, RSubScalar(1, Square(tc))), d[1]))
}

// lstmCGradJVP is the tangent of z = lstmCGrad(g, pre, c), whose blocks are
// z_i = g·t_g·σ'_i, z_f = g·c·σ'_f, z_g = g·s_i·t'_g, z_o = 0:
// ż_i = ġ·t_g·σ'_i + g·(t'_g·ṗ_g·σ'_i + t_g·σ”_i·ṗ_i),
// ż_f = (ġ·c + g·ċ)·σ'_f + g·c·σ”_f·ṗ_f,
// ż_g = ġ·s_i·t'_g + g·(σ'_i·ṗ_i·t'_g − 2·s_i·t_g·t'_g·ṗ_g), ż_o = 0.
func lstmCGradJVP(z ag.Var, t []ag.Var) ag.Var {
	if allZero(t) {
		return ag.Var{}
	}
	g, pre, c := in(z, 0), in(z, 1), in(z, 2)
	d := lstmTangents(z, t)
	pi, pf, pg, _ := lstmBlocks(d[1])
	si, sf, tg := lstmGate(pre, 0), lstmGate(pre, 1), lstmGate(pre, 2)
	di, df, u := dsig(si), dsig(sf), RSubScalar(1, Square(tg))
	ddi := Mul(di, RSubScalar(1, MulScalar(si, 2)))
	ddf := Mul(df, RSubScalar(1, MulScalar(sf, 2)))
	zi := Add(Mul(Mul(d[0], tg), di), Mul(g, Add(Mul(Mul(u, pg), di), Mul(Mul(tg, ddi), pi))))
	zf := Add(Mul(Add(Mul(d[0], c), Mul(g, d[2])), df), Mul(Mul(g, c), Mul(ddf, pf)))
	zg := Add(Mul(Mul(d[0], si), u), Mul(g, Sub(Mul(Mul(di, pi), u), MulScalar(Mul(Mul(si, tg), Mul(u, pg)), 2))))
	return Concat(1, zi, zf, zg, TapeOf(g).Zeros(g.DType(), zi.Shape()...))
}

// lstmHGradJVP is the tangent of w = lstmHGrad(g, pre, c'), whose one non-zero block is
// w_o = g·t(c')·σ'_o: ẇ_o = (ġ·t + g·t'·ċ')·σ'_o + g·t·σ”_o·ṗ_o, the other blocks 0.
func lstmHGradJVP(w ag.Var, t []ag.Var) ag.Var {
	if allZero(t) {
		return ag.Var{}
	}
	g, pre, c2 := in(w, 0), in(w, 1), in(w, 2)
	d := lstmTangents(w, t)
	_, _, _, po := lstmBlocks(d[1])
	so, tc := lstmGate(pre, 3), Tanh(c2)
	do := dsig(so)
	ddo := Mul(do, RSubScalar(1, MulScalar(so, 2)))
	wo := Add(Mul(Add(Mul(d[0], tc), Mul(Mul(g, RSubScalar(1, Square(tc))), d[2])), do), Mul(Mul(g, tc), Mul(ddo, po)))
	return Pad(wo, 1, 3*wo.Shape()[1], 0)
}

// lstmHGradCJVP is the tangent of u = lstmHGradC(g, pre, c') = g·s_o·t' with t = t(c'),
// t' = 1 − t²: u̇ = (ġ·s_o + g·σ'_o·ṗ_o)·t' − 2·g·s_o·t·t'·ċ'.
func lstmHGradCJVP(u ag.Var, t []ag.Var) ag.Var {
	if allZero(t) {
		return ag.Var{}
	}
	g, pre, c2 := in(u, 0), in(u, 1), in(u, 2)
	d := lstmTangents(u, t)
	_, _, _, po := lstmBlocks(d[1])
	so, tc := lstmGate(pre, 3), Tanh(c2)
	dt := RSubScalar(1, Square(tc))
	first := Mul(Add(Mul(d[0], so), Mul(Mul(g, dsig(so)), po)), dt)
	return Sub(first, MulScalar(Mul(Mul(g, so), Mul(Mul(tc, dt), d[2])), 2))
}

// softmaxGradJVP is the tangent of z = softmaxGrad(g, y) = y·(g − Σ g·y) along the last axis:
// ż = softmaxGrad(ġ, y) + ẏ·(g − Σ g·y) − y·Σ g·ẏ.
func softmaxGradJVP(z ag.Var, t []ag.Var) ag.Var {
	g, y := in(z, 0), in(z, 1)
	var out ag.Var
	if !t[0].IsNil() {
		out = softmaxGrad(t[0], y)
	}
	if !t[1].IsNil() {
		dy := t[1]
		gy := SumKeepDims(Mul(g, y), -1)
		out = addT(out, Sub(Mul(dy, Sub(g, gy)), Mul(y, SumKeepDims(Mul(g, dy), -1))))
	}
	return out
}
