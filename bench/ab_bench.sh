#!/bin/sh
# Two bertlab-cli builds timed interleaved (A, B, A, B, ...) on the inference and training benchmarks; prints medians.
# Usage: bench/ab_bench.sh CLI_A CLI_B [ROUNDS] [MODEL]   (default 3 rounds, /tmp/bertlab-bench/base)
# For comparisons of two builds on a shared machine: both see the same load, in turn. Inference:
# `bench` encoder and fill-mask at Base seq 128 batch 1 and seq 16 (median of 10 iterations each);
# training: Tiny and Mini as in train_bench.sh (tokens/s from a 1-step and a 1+STEPS-step run).
# OPENBLAS_CORETYPE is cleared so each binary picks its kernel as it would for a user.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
a=$1
b=$2
rounds=${3:-3}
model=${4:-/tmp/bertlab-bench/base}
steps=${BERTLAB_AB_STEPS:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$here/make_random_bert.py" base "$model" >&2

# The training data of train_bench.sh: 64 examples of 128 tokens, a 30522-token vocabulary.
python3 "$here/make_synthetic_pretraining_data.py" "$work"

run() {  # run LABEL CLI: one round of every measurement, one "label key value" line each
  label=$1
  cli=$2
  for shape in "128 encoder" "128 fill-mask" "16 encoder"; do
    set -- $shape
    ms=$(env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=2 "$cli" bench "$model" --seq "$1" --batch 1 --iters 10 \
         --mode "$2" --json 2>/dev/null | grep '^{' | tail -n 1 |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["median_ms"])')
    echo "$label base-seq$1-$2-ms $ms"
  done
  for preset in tiny mini; do
    train() {
      env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=2 "$cli" train --preset "$preset" --vocab "$work/vocab.txt" \
          --examples "$work/examples.jsonl" --out "$work/run-$label-$preset-$1" --steps "$1" --batch-size 32 \
          --warmup 1 --checkpoint-every 0 >/dev/null 2>&1
      rm -rf "$work/run-$label-$preset-$1"
    }
    t0=$(date +%s.%N); train 1; t1=$(date +%s.%N); train $((steps + 1)); t2=$(date +%s.%N)
    echo "$label train-$preset-tokens/s $(awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$steps" \
          'BEGIN { printf "%.0f", n * 32 * 128 / ((c - b) - (b - a)) }')"
  done
}

for i in $(seq "$rounds"); do
  echo "round $i, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  run A "$a" | tee -a "$work/results"
  run B "$b" | tee -a "$work/results"
done >&2
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/results" <<'PY'
import statistics, sys
from collections import defaultdict
values = defaultdict(list)
for line in open(sys.argv[1]):
    label, key, value = line.split()
    values[(key, label)].append(float(value))
keys = sorted({k for k, _ in values}, key=lambda k: (not k.startswith("base"), k))
print("| measurement | A (median) | B (median) | B / A | runs |")
print("|---|---:|---:|---:|---|")
for k in keys:
    ma, mb = statistics.median(values[(k, "A")]), statistics.median(values[(k, "B")])
    runs = " / ".join(f"{x:g}" for x in values[(k, "A")]) + " vs " + " / ".join(f"{x:g}" for x in values[(k, "B")])
    print(f"| {k} | {ma:.1f} | {mb:.1f} | {mb / ma:.2f} | {runs} |")
PY
