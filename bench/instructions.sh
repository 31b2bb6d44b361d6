#!/usr/bin/env bash
# Count the instructions one op of a benchmark executes, with valgrind's
# callgrind: a figure that does not move with the machine's load or phase, for
# A/B comparisons of small steps (BenchmarkXORStep, BenchmarkScalarChain) whose
# wall-clock differences are smaller than this machine's noise.
#
# Usage (from the repository root):
#   bash bench/instructions.sh [BENCH] [N] [PKG]
#     BENCH  go test -bench regexp naming one benchmark (default
#            '^BenchmarkXORStep$/f64'); a regexp matching several sums them
#     N      ops (default 50000): the benchmark runs N ops, then 2N
#     PKG    package (default ./bench)
#
# It prints the instructions per op: the program's total for 2N ops less its
# total for N ops, divided by N, so that start-up and the benchmark's set-up
# cancel out.
#
# Caveats: valgrind does not emulate AVX-512, so the kernels run their AVX2
# versions (as on a machine without AVX-512); instructions are not cycles
# (a cache miss or a long dependency chain costs cycles, not instructions).
# The runtime's own threads (GC, sysmon) are counted too and do not scale with
# N: take N of a few thousand at least (BenchmarkXORStep counted 80 more an
# op at N=1000 than at 2000 and above). The run takes about 50 times as long as the
# benchmark natively. Needs valgrind on linux/amd64 (Debian: apt-get install
# valgrind; run as root, the script installs it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BENCH=${1:-'^BenchmarkXORStep$/f64'}
N=${2:-50000}
PKG=${3:-./bench}
case "$N" in '' | *[!0-9]* | 0*) echo "instructions.sh: N must be a positive integer, not '$N'" >&2; exit 2 ;; esac

if ! command -v valgrind >/dev/null; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "instructions.sh: valgrind is missing (Debian: apt-get install valgrind)" >&2
		exit 1
	fi
	echo "instructions.sh: installing valgrind (apt-get)" >&2
	apt-get install -y valgrind >/dev/null || { apt-get update >/dev/null && apt-get install -y valgrind >/dev/null; }
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/pkg.test" "$PKG"

# total OPS prints the instructions the whole test binary executes running
# OPS ops. One P and no asynchronous preemption: callgrind serialises threads,
# and Go's preemption signals break its bookkeeping. valgrind 3.19 does not
# know RDTSCP, which the runtime's lock spinning runs now and then (more often
# on a busy machine): a run that dies of it is tried again, up to five times;
# any other failure ends the script.
total() {
	for try in 1 2 3 4 5; do
		if GOMAXPROCS=1 GODEBUG="${GODEBUG:+$GODEBUG,}asyncpreemptoff=1" valgrind --tool=callgrind \
			--callgrind-out-file="$dir/callgrind.$1" \
			"$dir/pkg.test" -test.run '^$' -test.bench "$BENCH" -test.benchtime "${1}x" >"$dir/log" 2>&1; then
			grep -q '^Benchmark' "$dir/log" || { echo "instructions.sh: no benchmark matched $BENCH" >&2; exit 1; }
			awk '/^summary:/ { print $2 }' "$dir/callgrind.$1"
			return
		fi
		if ! grep -q 'unhandled instruction' "$dir/log"; then
			tail -20 "$dir/log" >&2
			exit 1
		fi
		echo "instructions.sh: run $try of $1 ops hit an instruction valgrind does not know; again" >&2
	done
	exit 1
}
one=$(total "$N")
two=$(total $((2 * N)))
[ -n "$one" ] && [ -n "$two" ] || { echo "instructions.sh: callgrind wrote no summary" >&2; exit 1; }
awk -v a="$one" -v b="$two" -v n="$N" 'BEGIN { printf "%.0f instructions per op\n", (b - a) / n }'
