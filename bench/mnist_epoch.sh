#!/usr/bin/env bash
# Time an epoch of examples/mnist's models on the real MNIST in gograd and in PyTorch 1.13,
# interleaved: ROUNDS rounds, each running `go run ./examples/mnist` and
# bench/peers/torch/mnist_epoch.py once per model and dtype. Prints every epoch line, then per
# workload the median seconds of each system, the median ratio torch/gograd and its range over
# rounds (above 1: gograd is faster).
#
# Usage (from the repository root):  bash bench/mnist_epoch.sh
# Environment: ROUNDS=3  MODELS="cnn mlp"  DTYPES="f32 f64"  EPOCHS=1
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-3}
MODELS=${MODELS:-"cnn mlp"}
DTYPES=${DTYPES:-"f32 f64"}
EPOCHS=${EPOCHS:-1}
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
	echo "mnist_epoch.sh: installing python3-torch (apt-get)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-torch python3-numpy libopenblas0-openmp >/dev/null
fi
go build -o /tmp/gograd-mnist ./examples/mnist
out=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
	for model in $MODELS; do
		for dt in $DTYPES; do
			g=$(/tmp/gograd-mnist -model "$model" -dtype "$dt" -epochs "$EPOCHS" | grep '^epoch 1:')
			t=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" bench/peers/torch/mnist_epoch.py --model "$model" --dtype "$dt" --epochs "$EPOCHS" | grep '^epoch 1:')
			echo "round $round $model $dt gograd: $g"
			echo "round $round $model $dt torch:  $t"
			echo "$model $dt $(echo "$g" | awk '{print $3}') $(echo "$t" | awk '{print $3}')" >>"$out"
		done
	done
done
echo
echo "| workload | gograd s (median) | torch s (median) | torch/gograd median | range |"
echo "|---|---|---|---|---|"
sort -k1,2 "$out" | awk '
function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function flush() { if (n == 0) return; lo = r[1]; hi = r[1]; for (i = 1; i <= n; i++) { if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i] }
	printf "| %s epoch | %.1f | %.1f | %.2fx | %.2f-%.2f |\n", key, median(g, n), median(t, n), median(r, n), lo, hi; n = 0 }
{ k = $1 " " $2; if (k != key) { flush(); key = k } n++; g[n] = $3; t[n] = $4; r[n] = $4 / $3 }
END { flush() }'
rm -f "$out"
