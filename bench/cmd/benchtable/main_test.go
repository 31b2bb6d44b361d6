package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// canned is compare.sh output over three rounds. Expected per-round ratios
// (peer / gograd): MLPStep gorgonia 8/1 and 6/3 (median 5, range 2-8),
// torch 0.9/2 in round 3 only; Elementwise/n=1000 gorgonia 100/4,
// torch-passive 40/4 in round 1 (round 3 has no gograd line).
const canned = `goos: linux
round: 1
system: gograd
BenchmarkMLPStep/f64-2   	    1000	    1000000 ns/op	  2000 B/op	  10 allocs/op
BenchmarkElementwise/n=1000/f64-2 	 100	 4000 ns/op	 4.000 ns/elem
BenchmarkElementwise/n=100000/f64-2 	 100	 400000 ns/op	 4.000 ns/elem
BenchmarkScalarChain-2 	 100	 50000 ns/op	 50.00 ns/node
BenchmarkScalarChain-2 	 100	 70000 ns/op	 70.00 ns/node
PASS
ok  	github.com/gograd/gograd/bench	3.2s
system: gorgonia
BenchmarkMLPStep/f64-2   	      10	   8000000 ns/op
BenchmarkElementwise/n=100000/f64-2 	 10	 3400000 ns/op	 34.00 ns/elem
BenchmarkElementwise/n=1000/f64-2 	 10	 100000 ns/op	 100.0 ns/elem
BenchmarkRefGEMM/gonum/n=512/f64-2 	 10	 18000000 ns/op	 14.9 GFLOP/s
system: torch-passive
BenchmarkElementwise/n=1000/f64-2	 100	 40000 ns/op	 40.0 ns/elem
round: 2
system: gograd
BenchmarkMLPStep/f64-2   	    1000	    3000000 ns/op
system: gorgonia
BenchmarkMLPStep/f64-2   	      10	   6000000 ns/op
round: 3
system: gograd
BenchmarkMLPStep/f64-2   	    1000	    2000000 ns/op
system: torch
BenchmarkMLPStep/f64-2	     100	  900000 ns/op
BenchmarkElementwise/n=1000/f64-2	 100	 55000 ns/op	 55.0 ns/elem
system: torch-passive
BenchmarkMLPStep/f64-2	     100	  1000000 ns/op
BenchmarkElementwise/n=1000/f64-2	 100	 60000 ns/op	 60.0 ns/elem
BenchmarkBroken/f64-2	     100
`

func TestTable(t *testing.T) {
	res := newResults()
	if err := res.parse(strings.NewReader(canned), "unknown"); err != nil {
		t.Fatal(err)
	}
	rows := res.table("gograd", []merge{{name: "torch", sources: []string{"torch", "torch-passive"}}})
	want := []row{
		{"ScalarChain", "-", "gograd", 1, 60000, "60.0 ns/node", "1.00x", "1.00–1.00"},
		{"Elementwise/n=1000", "f64", "gograd", 1, 4000, "4.00 ns/elem", "1.00x", "1.00–1.00"},
		{"Elementwise/n=1000", "f64", "gorgonia", 1, 100000, "100 ns/elem", "25.00x", "25.00–25.00"},
		{"Elementwise/n=1000", "f64", "torch [torch-passive]", 2, 50000, "50.0 ns/elem", "10.00x", "10.00–10.00, n=1"},
		{"Elementwise/n=100000", "f64", "gograd", 1, 400000, "4.00 ns/elem", "1.00x", "1.00–1.00"},
		{"Elementwise/n=100000", "f64", "gorgonia", 1, 3400000, "34.0 ns/elem", "8.50x", "8.50–8.50"},
		{"MLPStep", "f64", "gograd", 3, 2000000, "", "1.00x", "1.00–1.00"},
		{"MLPStep", "f64", "gorgonia", 2, 7000000, "", "5.00x", "2.00–8.00"},
		{"MLPStep", "f64", "torch", 1, 900000, "", "0.45x", "0.45–0.45"},
		{"RefGEMM/gonum/n=512", "f64", "gorgonia", 1, 18000000, "14.9 GFLOP/s", "–", "–"},
	}
	if len(rows) != len(want) {
		for _, r := range rows {
			t.Logf("got row %+v", r)
		}
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, rows[i], want[i])
		}
	}
}

// TestRatioStats checks the per-round ratios against hand-computed ones.
func TestRatioStats(t *testing.T) {
	ref := &sample{nsop: []float64{10, 20, 30, 40, 50}, rounds: []int{1, 2, 3, 3, 4}}
	peer := &sample{nsop: []float64{15, 10, 35, 70}, rounds: []int{1, 2, 3, 5}}
	// Round 3 of ref has two lines (median 35); round 4 has no peer line, round 5 no ref line.
	// Ratios: 15/10 = 1.5, 10/20 = 0.5, 35/35 = 1.
	med, lo, hi, n := ratioStats(peer, ref)
	if med != 1 || lo != 0.5 || hi != 1.5 || n != 3 {
		t.Errorf("ratioStats: got median %v, range %v-%v, n %d; want 1, 0.5-1.5, 3", med, lo, hi, n)
	}
	if _, _, _, n := ratioStats(&sample{nsop: []float64{1}, rounds: []int{9}}, ref); n != 0 {
		t.Errorf("ratioStats with no common round: got n %d, want 0", n)
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, workload, dtype string }{
		{"MLPStep/f64", "MLPStep", "f64"},
		{"Elementwise/n=1000/f32", "Elementwise/n=1000", "f32"},
		{"ScalarChain", "ScalarChain", "-"},
		{"RefGEMM/numpy/n=64/f64", "RefGEMM/numpy/n=64", "f64"},
		{"Odd/f128", "Odd/f128", "-"},
	}
	for _, tc := range tests {
		w, d := splitName(tc.in)
		if w != tc.workload || d != tc.dtype {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tc.in, w, d, tc.workload, tc.dtype)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{7}, 7},
	}
	for _, tc := range tests {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		ns   float64
		want string
	}{
		{12.345, "12.3 ns"},
		{940000, "940 µs"},
		{7900000, "7.90 ms"},
		{1.5e9, "1.50 s"},
		{0.5, "0.5 ns"},
	}
	for _, tc := range tests {
		if got := formatDuration(tc.ns); got != tc.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tc.ns, got, tc.want)
		}
	}
}

func TestLessName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"MatMul/n=64", "MatMul/n=256", true},
		{"MatMul/n=1024", "MatMul/n=256", false},
		{"RefGEMM/gonum/n=64", "RefGEMM/numpy/n=64", true},
		{"MatMul", "MatMul/n=64", true},
	}
	for _, tc := range tests {
		if got := lessName(tc.a, tc.b); got != tc.want {
			t.Errorf("lessName(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRun(t *testing.T) {
	var out, errb bytes.Buffer
	err := run([]string{"-best", "torch=torch,torch-passive"}, strings.NewReader(canned), &out, &errb)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if got, want := len(lines), 2+10; got != want {
		t.Fatalf("got %d lines, want %d:\n%s", got, want, out.String())
	}
	if got, want := lines[0], "| workload | dtype | system | rounds | median time/op | median metric | time / gograd time, median | range over rounds |"; got != want {
		t.Errorf("header: got %q, want %q", got, want)
	}
	if got, want := lines[9], "| MLPStep | f64 | gorgonia | 2 | 7.00 ms | – | 5.00x | 2.00–8.00 |"; got != want {
		t.Errorf("line 9: got %q, want %q", got, want)
	}

	out.Reset()
	if err := run([]string{"-wide", "-best", "torch=torch,torch-passive"}, strings.NewReader(canned), &out, &errb); err != nil {
		t.Fatalf("run -wide: %v", err)
	}
	wantWide := []string{
		"| workload | dtype | gograd | gorgonia | torch |",
		"|---|---|---:|---:|---:|",
		"| ScalarChain | - | 60.0 µs, 60.0 ns/node | – | – |",
		"| Elementwise/n=1000 | f64 | 4.00 µs, 4.00 ns/elem | 100 µs, 100 ns/elem (25.00x, 25.00–25.00) | 50.0 µs, 50.0 ns/elem (10.00x, 10.00–10.00, n=1) [torch-passive] |",
		"| Elementwise/n=100000 | f64 | 400 µs, 4.00 ns/elem | 3.40 ms, 34.0 ns/elem (8.50x, 8.50–8.50) | – |",
		"| MLPStep | f64 | 2.00 ms | 7.00 ms (5.00x, 2.00–8.00) | 900 µs (0.45x, 0.45–0.45) |",
		"| RefGEMM/gonum/n=512 | f64 | – | 18.0 ms, 14.9 GFLOP/s | – |",
	}
	gotWide := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(gotWide) != len(wantWide) {
		t.Fatalf("-wide: got %d lines, want %d:\n%s", len(gotWide), len(wantWide), out.String())
	}
	for i := range wantWide {
		if gotWide[i] != wantWide[i] {
			t.Errorf("-wide line %d: got %q, want %q", i, gotWide[i], wantWide[i])
		}
	}

	if err := run([]string{"-best", "bad"}, strings.NewReader(canned), &out, &errb); err == nil {
		t.Errorf("run with -best bad: got nil error, want one")
	}
	if err := run(nil, strings.NewReader("nothing here\n"), &out, &errb); err == nil {
		t.Errorf("run on empty input: got nil error, want one")
	}
}
