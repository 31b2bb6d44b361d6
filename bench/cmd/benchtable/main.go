// Command benchtable turns the raw output of bench/compare.sh (Go benchmark
// lines from several systems) into one Markdown table.
//
// Input: one or more files (or stdin) holding Go benchmark format lines,
//
//	BenchmarkMLPStep/f64-2   	    1000	    940000 ns/op	  4.3 ns/elem
//
// grouped in blocks, each introduced by a tag line naming the system that
// produced the lines that follow it:
//
//	system: gorgonia
//
// Lines before the first tag belong to the system named by -default. Other
// lines (goos:, PASS, ok, comments) are ignored.
//
// A tag line "round: N" (bench/compare.sh writes one before each block)
// starts round N; lines before the first such tag belong to round 0.
//
// For every (workload, dtype, system) the table gives the number of rounds
// with data, the median ns/op over those rounds, the median of each custom
// metric (ns/elem, GFLOP/s, ...; B/op and allocs/op are left out) and the
// time ratio to the reference system (-ref, default gograd), computed round
// by round so that a drift of the machine between rounds hits both sides of
// each ratio alike:
//
//	ratio in round r = peer ns/op in round r / reference ns/op in round r
//
// (a system's ns/op in a round is the median of its lines in that round),
// printed as the median over the rounds that hold both systems, with the
// range (min–max) over those rounds. A ratio above 1 means the reference
// (our engine) is faster.
//
// -best NAME=SYS1,SYS2 merges systems measured under different settings
// (e.g. torch with and without OMP_WAIT_POLICY=PASSIVE): for each benchmark
// the one with the lowest median ns/op is kept and shown as NAME, with the
// source system in brackets when it is not NAME itself.
//
// -wide prints one row per (workload, dtype) and one column per system
// instead, each cell "median time, median metric (median ratio, range)".
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// sample holds all measurements of one benchmark on one system.
type sample struct {
	nsop    []float64
	rounds  []int // round of each nsop value
	metrics map[string][]float64
	units   []string // custom metric units in first-seen order
}

// results is everything parsed from the input.
type results struct {
	systems []string                      // in first-seen order
	benches map[string]map[string]*sample // system -> benchmark name -> sample
}

var (
	benchLine = regexp.MustCompile(`^Benchmark(\S+)\s+(\d+)\s+(.*)$`)
	procsSfx  = regexp.MustCompile(`-\d+$`)
	tagLine   = regexp.MustCompile(`^system:\s*(\S+)\s*$`)
	roundLine = regexp.MustCompile(`^round:\s*(\d+)\s*$`)
)

// ignoredUnits are standard go test metrics that are not shown.
var ignoredUnits = map[string]bool{"B/op": true, "allocs/op": true, "MB/s": true}

func newResults() *results {
	return &results{benches: map[string]map[string]*sample{}}
}

func (r *results) get(system, bench string) *sample {
	m, ok := r.benches[system]
	if !ok {
		m = map[string]*sample{}
		r.benches[system] = m
		r.systems = append(r.systems, system)
	}
	s, ok := m[bench]
	if !ok {
		s = &sample{metrics: map[string][]float64{}}
		m[bench] = s
	}
	return s
}

// parse reads Go benchmark lines, attributing them to the current system.
func (r *results) parse(in io.Reader, system string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	round := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := roundLine.FindStringSubmatch(line); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return fmt.Errorf("bad round line %q: %v", line, err)
			}
			round = n
			continue
		}
		if m := tagLine.FindStringSubmatch(line); m != nil {
			system = m[1]
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := procsSfx.ReplaceAllString(m[1], "")
		fields := strings.Fields(m[3])
		if len(fields)%2 != 0 {
			continue // not a complete result line
		}
		var ns float64
		var have bool
		type kv struct {
			unit string
			v    float64
		}
		var custom []kv
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			unit := fields[i+1]
			switch {
			case unit == "ns/op":
				ns, have = v, true
			case !ignoredUnits[unit]:
				custom = append(custom, kv{unit, v})
			}
		}
		if !have {
			continue
		}
		s := r.get(system, name)
		s.nsop = append(s.nsop, ns)
		s.rounds = append(s.rounds, round)
		for _, c := range custom {
			if _, ok := s.metrics[c.unit]; !ok {
				s.units = append(s.units, c.unit)
			}
			s.metrics[c.unit] = append(s.metrics[c.unit], c.v)
		}
	}
	return sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// perRound returns the median ns/op of s in each round it has lines in.
func (s *sample) perRound() map[int]float64 {
	by := map[int][]float64{}
	for i, v := range s.nsop {
		by[s.rounds[i]] = append(by[s.rounds[i]], v)
	}
	out := make(map[int]float64, len(by))
	for r, vs := range by {
		out[r] = median(vs)
	}
	return out
}

// ratioStats returns the per-round time ratios peer/ref over the rounds both
// samples have lines in: their median, minimum and maximum, and their number.
func ratioStats(peer, ref *sample) (med, lo, hi float64, n int) {
	pr, rr := peer.perRound(), ref.perRound()
	var rs []float64
	for r, p := range pr {
		if q, ok := rr[r]; ok && q > 0 {
			rs = append(rs, p/q)
		}
	}
	if len(rs) == 0 {
		return math.NaN(), math.NaN(), math.NaN(), 0
	}
	sort.Float64s(rs)
	return median(rs), rs[0], rs[len(rs)-1], len(rs)
}

// splitName splits "Elementwise/n=1000/f64" into ("Elementwise/n=1000",
// "f64"); a name without a trailing dtype element gets dtype "-".
func splitName(name string) (workload, dtype string) {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		last := name[i+1:]
		switch last {
		case "f64", "f32", "f16", "bf16":
			return name[:i], last
		}
	}
	return name, "-"
}

// workloadOrder is the canonical order of the shared workloads.
var workloadOrder = []string{"ScalarChain", "Elementwise", "MatMul", "MatMulFwdBwd", "MLPStep", "XORStep", "RefGEMM"}

func workloadRank(w string) int {
	base := w
	if i := strings.Index(w, "/"); i >= 0 {
		base = w[:i]
	}
	for i, o := range workloadOrder {
		if o == base {
			return i
		}
	}
	return len(workloadOrder)
}

var numRe = regexp.MustCompile(`\d+(\.\d+)?`)

// lessName orders names element by element, comparing embedded numbers
// numerically ("n=64" < "n=256").
func lessName(a, b string) bool {
	pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, nb := numRe.FindString(pa[i]), numRe.FindString(pb[i])
		if na != "" && nb != "" && numRe.ReplaceAllString(pa[i], "#") == numRe.ReplaceAllString(pb[i], "#") {
			fa, _ := strconv.ParseFloat(na, 64)
			fb, _ := strconv.ParseFloat(nb, 64)
			if fa != fb {
				return fa < fb
			}
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}

func dtypeRank(d string) int {
	switch d {
	case "-":
		return 0
	case "f64":
		return 1
	case "f32":
		return 2
	}
	return 3
}

// row is one line of the table.
type row struct {
	Workload, Dtype string
	System          string // as displayed, e.g. "torch [torch-passive]"
	Runs            int    // rounds with data
	NsOp            float64
	Metrics         string
	Ratio           string // median over rounds of peer/ref time, "–" without paired rounds
	Range           string // "min–max" of the per-round ratios, with ", n=N" when N < Runs
}

type merge struct {
	name    string
	sources []string
}

func parseMerge(s string) (merge, error) {
	name, list, ok := strings.Cut(s, "=")
	if !ok || name == "" || list == "" {
		return merge{}, fmt.Errorf("bad -best %q: want NAME=SYS1,SYS2", s)
	}
	return merge{name: name, sources: strings.Split(list, ",")}, nil
}

type entry struct {
	display string
	s       *sample
}

// table builds the rows: reference system first, then the others in
// first-seen order, merged systems at the place of their first source.
func (r *results) table(ref string, merges []merge) []row {
	merged := map[string]merge{} // source -> merge
	for _, m := range merges {
		for _, s := range m.sources {
			merged[s] = m
		}
	}
	// column order
	var order []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			order = append(order, s)
		}
	}
	if _, ok := r.benches[ref]; ok {
		add(ref)
	}
	for _, s := range r.systems {
		if m, ok := merged[s]; ok {
			add("\x00" + m.name)
		} else {
			add(s)
		}
	}
	// every benchmark name
	names := map[string]bool{}
	for _, m := range r.benches {
		for n := range m {
			names[n] = true
		}
	}
	type key struct{ workload, dtype, name string }
	var keys []key
	for n := range names {
		w, d := splitName(n)
		keys = append(keys, key{w, d, n})
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if ra, rb := workloadRank(a.workload), workloadRank(b.workload); ra != rb {
			return ra < rb
		}
		if a.workload != b.workload {
			return lessName(a.workload, b.workload)
		}
		return dtypeRank(a.dtype) < dtypeRank(b.dtype)
	})

	lookup := func(sys, name string) *entry {
		if strings.HasPrefix(sys, "\x00") {
			var m merge
			for _, mm := range merges {
				if mm.name == sys[1:] {
					m = mm
				}
			}
			var best *entry
			for _, src := range m.sources {
				s := r.benches[src][name]
				if s == nil || len(s.nsop) == 0 {
					continue
				}
				if best == nil || median(s.nsop) < median(best.s.nsop) {
					d := m.name
					if src != m.name {
						d = m.name + " [" + src + "]"
					}
					best = &entry{d, s}
				}
			}
			return best
		}
		s := r.benches[sys][name]
		if s == nil || len(s.nsop) == 0 {
			return nil
		}
		return &entry{sys, s}
	}

	var rows []row
	for _, k := range keys {
		refEntry := lookup(ref, k.name)
		for _, sys := range order {
			e := lookup(sys, k.name)
			if e == nil {
				continue
			}
			byRound := e.s.perRound()
			var rounds []float64
			for _, v := range byRound {
				rounds = append(rounds, v)
			}
			ns := median(rounds)
			var ms []string
			for _, u := range e.s.units {
				ms = append(ms, formatNum(median(e.s.metrics[u]))+" "+u)
			}
			ratio, rng := "–", "–"
			if refEntry != nil {
				if med, lo, hi, n := ratioStats(e.s, refEntry.s); n > 0 {
					ratio = fmt.Sprintf("%.2fx", med)
					rng = fmt.Sprintf("%.2f–%.2f", lo, hi)
					if n < len(byRound) {
						rng += fmt.Sprintf(", n=%d", n)
					}
				}
			}
			rows = append(rows, row{
				Workload: k.workload, Dtype: k.dtype, System: e.display,
				Runs: len(byRound), NsOp: ns, Metrics: strings.Join(ms, ", "), Ratio: ratio, Range: rng,
			})
		}
	}
	return rows
}

// formatNum prints about three significant digits without exponents.
func formatNum(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprint(v)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// formatDuration prints a ns/op value with a readable unit.
func formatDuration(ns float64) string {
	switch {
	case ns >= 1e9:
		return formatNum(ns/1e9) + " s"
	case ns >= 1e6:
		return formatNum(ns/1e6) + " ms"
	case ns >= 1e3:
		return formatNum(ns/1e3) + " µs"
	}
	return formatNum(ns) + " ns"
}

func render(w io.Writer, rows []row, ref string) {
	fmt.Fprintf(w, "| workload | dtype | system | rounds | median time/op | median metric | time / %s time, median | range over rounds |\n", ref)
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		m := r.Metrics
		if m == "" {
			m = "–"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d | %s | %s | %s | %s |\n",
			r.Workload, r.Dtype, r.System, r.Runs, formatDuration(r.NsOp), m, r.Ratio, r.Range)
	}
}

// renderWide prints one row per (workload, dtype) and one column per
// system; each cell is "time, metric (ratio)".
func renderWide(w io.Writer, rows []row, ref string) {
	var cols []string
	seen := map[string]bool{}
	type key struct{ workload, dtype string }
	var keys []key
	cells := map[key]map[string]string{}
	for _, r := range rows {
		col, _, _ := strings.Cut(r.System, " [")
		if !seen[col] {
			seen[col] = true
			cols = append(cols, col)
		}
		k := key{r.Workload, r.Dtype}
		if cells[k] == nil {
			cells[k] = map[string]string{}
			keys = append(keys, k)
		}
		c := formatDuration(r.NsOp)
		if r.Metrics != "" {
			c += ", " + r.Metrics
		}
		if r.Ratio != "–" && col != ref {
			c += " (" + r.Ratio + ", " + r.Range + ")"
		}
		if col != r.System {
			c += " " + strings.TrimPrefix(r.System, col+" ")
		}
		cells[k][col] = c
	}
	fmt.Fprintf(w, "| workload | dtype | %s |\n", strings.Join(cols, " | "))
	fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("---:|", len(cols)))
	for _, k := range keys {
		var cs []string
		for _, c := range cols {
			v, ok := cells[k][c]
			if !ok {
				v = "–"
			}
			cs = append(cs, v)
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", k.workload, k.dtype, strings.Join(cs, " | "))
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ref := fs.String("ref", "gograd", "reference system for the ratio column")
	def := fs.String("default", "unknown", "system of lines before the first 'system:' tag")
	wide := fs.Bool("wide", false, "one row per workload and dtype, one column per system")
	var bests multiFlag
	fs.Var(&bests, "best", "NAME=SYS1,SYS2: keep the faster of SYS1, SYS2 per benchmark, shown as NAME (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: benchtable [-wide] [-ref gograd] [-best NAME=SYS1,SYS2] [FILE...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var merges []merge
	for _, b := range bests {
		m, err := parseMerge(b)
		if err != nil {
			return err
		}
		merges = append(merges, m)
	}
	res := newResults()
	if fs.NArg() == 0 {
		if err := res.parse(stdin, *def); err != nil {
			return err
		}
	}
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = res.parse(f, *def)
		f.Close()
		if err != nil {
			return err
		}
	}
	if len(res.systems) == 0 {
		return errors.New("no benchmark lines found")
	}
	rows := res.table(*ref, merges)
	if *wide {
		renderWide(stdout, rows, *ref)
	} else {
		render(stdout, rows, *ref)
	}
	return nil
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
		}
		os.Exit(2)
	}
}
