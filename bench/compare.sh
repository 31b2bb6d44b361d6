#!/usr/bin/env bash
# Run gograd's benchmark suite and the peer suites (gorgonia, spago, PyTorch
# with and without OMP_WAIT_POLICY=PASSIVE) interleaved, ROUNDS times, append
# all raw output to one results file, and print one Markdown table
# (bench/cmd/benchtable): per workload and system the median time per op over
# the rounds, the median custom metric, and the time ratio peer/gograd taken
# round by round (torch time / gograd time in the same round), as its median
# over the rounds and its range (min-max).
#
# Usage (from the repository root):   bash bench/compare.sh
#
# Environment:
#   ROUNDS=5            rounds; each round runs every system once, in turn
#   SYSTEMS="gograd gorgonia spago torch torch-passive"   systems to run;
#                       gograd-serial is gograd with GOMAXPROCS=1 (no worker pool)
#   BENCH=.             benchmark regexp (go test -bench / bench.py --bench)
#   BENCH_GROUPS=       regexps separated by spaces, taken in turn in every
#                       round: every system runs the first, then every system
#                       the second, and so on, so that the two sides of a ratio
#                       are measured seconds apart rather than a whole suite
#                       apart and a drift of the machine hits both alike.
#                       Empty: one group, BENCH. Example:
#                       BENCH_GROUPS="MLPStep/ XORStep MatMul/n=64/"
#   BENCHTIME=1s        go test -benchtime; bench.py gets the same seconds
#   RESULTS=/tmp/gograd-compare-<date>.txt   raw results file (appended to)
#   SKIP_INSTALL=1      do not apt-get / go mod download
#   COMPETE=0           busy-loop processes (one core each) kept running for the
#                       whole comparison, to measure how each system copes with
#                       a core taken by another program
#
# The raw file holds blocks introduced by "system: NAME" lines; rerun just the
# table with: go run ./bench/cmd/benchtable -best torch=torch,torch-passive FILE
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

ROUNDS=${ROUNDS:-5}
SYSTEMS=${SYSTEMS:-"gograd gorgonia spago torch torch-passive"}
BENCH=${BENCH:-.}
BENCH_GROUPS=${BENCH_GROUPS:-$BENCH}
BENCHTIME=${BENCHTIME:-1s}
RESULTS=${RESULTS:-/tmp/gograd-compare-$(date +%Y%m%d-%H%M%S).txt}
PY=/usr/bin/python3 # Debian's interpreter: python3-torch is installed for it
case "$BENCHTIME" in # go's "1s"/"500ms" to bench.py's seconds; "100x" etc.: 1
*ms) PY_BENCHTIME=$(awk -v v="${BENCHTIME%ms}" 'BEGIN { print v / 1000 }') ;;
*s) PY_BENCHTIME=${BENCHTIME%s} ;;
*) PY_BENCHTIME=1 ;;
esac
case "$PY_BENCHTIME" in '' | *[!0-9.]*) PY_BENCHTIME=1 ;; esac

log() { echo "compare.sh: $*" >&2; }

want() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }

install_torch() {
	if "$PY" -c 'import torch, numpy' 2>/dev/null; then
		return 0
	fi
	log "installing python3-torch, python3-numpy and libopenblas0-openmp (apt-get)"
	local sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq &&
		$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-torch python3-numpy libopenblas0-openmp >/dev/null ||
		{ log "apt-get failed"; return 1; }
}

# Debian's torch and numpy call BLAS through libblas.so.3 / liblapack.so.3,
# which update-alternatives points at one implementation. The reference BLAS
# is ~20x slower than OpenBLAS on GEMM; make sure the OpenMP OpenBLAS is used.
ensure_openblas() {
	local multiarch lib name target
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
	for lib in blas lapack; do
		name=lib$lib.so.3-$multiarch
		target=/usr/lib/$multiarch/openblas-openmp/lib$lib.so.3
		[ -e "$target" ] || { log "warning: $target missing (install libopenblas0-openmp)"; continue; }
		if [ "$(readlink -f "/usr/lib/$multiarch/lib$lib.so.3")" != "$(readlink -f "$target")" ]; then
			log "pointing $name at $target"
			update-alternatives --set "$name" "$target" >/dev/null || log "warning: update-alternatives --set $name failed"
		fi
	done
}

if [ -z "${SKIP_INSTALL:-}" ]; then
	if want torch || want torch-passive; then
		install_torch && ensure_openblas
	fi
	for p in gorgonia spago; do
		if want "$p"; then
			(cd "bench/peers/$p" && go mod download) || log "go mod download failed for $p"
		fi
	done
fi

has_go_benchmarks() { # dir
	compgen -G "$1/*_test.go" >/dev/null && grep -qs '^func Benchmark' "$1"/*_test.go
}

# run_system NAME: print one block of Go benchmark lines for NAME on stdout.
run_system() {
	case "$1" in
	gograd)
		if ! has_go_benchmarks bench; then
			echo "# gograd: no benchmarks in ./bench/ yet, skipped"
			return 0
		fi
		go test -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -count 1 ./bench/
		;;
	gograd-serial)
		GOMAXPROCS=1 go test -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -count 1 ./bench/
		;;
	gorgonia | spago)
		(cd "bench/peers/$1" && go test -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -count 1 .)
		;;
	torch)
		env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OMP_WAIT_POLICY \
			"$PY" bench/peers/torch/bench.py --bench "$BENCH" --benchtime "$PY_BENCHTIME"
		;;
	torch-passive)
		env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \
			"$PY" bench/peers/torch/bench.py --bench "$BENCH" --benchtime "$PY_BENCHTIME"
		;;
	*)
		log "unknown system $1"
		return 1
		;;
	esac
}

mkdir -p "$(dirname "$RESULTS")"
{
	echo "# compare.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) rounds=$ROUNDS bench=$BENCH groups=$BENCH_GROUPS benchtime=$BENCHTIME"
	echo "# commit $(git rev-parse --short HEAD 2>/dev/null) $(go version)"
	echo "# cpu $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p') nproc=$(nproc)"
} >>"$RESULTS"
log "results: $RESULTS"

COMPETE=${COMPETE:-0}
competitors=()
stop_competitors() { [ ${#competitors[@]} -gt 0 ] && kill "${competitors[@]}" 2>/dev/null; }
trap stop_competitors EXIT
if [ "$COMPETE" -gt 0 ]; then
	for _ in $(seq 1 "$COMPETE"); do
		sh -c 'while :; do :; done' &
		competitors+=($!)
	done
	echo "# competing busy loops: $COMPETE" >>"$RESULTS"
	log "$COMPETE busy-loop competitor(s) running: ${competitors[*]}"
fi

set -f # the groups are regexps, not file patterns
read -ra groups <<<"$BENCH_GROUPS"
set +f
for round in $(seq 1 "$ROUNDS"); do
	for BENCH in "${groups[@]}"; do # run_system reads BENCH
		for sys in $SYSTEMS; do
			log "round $round/$ROUNDS: $sys $BENCH"
			{
				echo "round: $round"
				echo "system: $sys"
			} >>"$RESULTS"
			if ! run_system "$sys" >>"$RESULTS" 2>&1; then
				log "warning: $sys failed in round $round on $BENCH (see $RESULTS)"
				echo "# $sys: FAILED" >>"$RESULTS"
			fi
		done
	done
done

TABLE=${RESULTS%.txt}.md
WIDE=${RESULTS%.txt}-wide.md
go build -o "${RESULTS%.txt}.benchtable" ./bench/cmd/benchtable || { log "building benchtable failed"; exit 1; }
BT="${RESULTS%.txt}.benchtable"
if "$BT" -ref gograd -best torch=torch,torch-passive "$RESULTS" >"$TABLE" &&
	"$BT" -wide -ref gograd -best torch=torch,torch-passive "$RESULTS" >"$WIDE"; then
	rm -f "$BT"
	cat "$TABLE"
	log "tables: $TABLE $WIDE"
else
	rm -f "$BT"
	log "benchtable failed"
	exit 1
fi
