#!/bin/sh
# Training throughput of bertlab-cli train --precision f32 vs bf16 (32 × 128, Tiny and Mini, 2 threads), runs interleaved.
# Usage: bench/train_precision_bench.sh [BERTLAB_CLI] [STEPS] [ROUNDS]   (default build/app/bertlab-cli, 4 steps, 1 round)
# The recipe and data of train_bench.sh (erf GELU, dropout 0.1, 20 masked positions per sequence,
# AdamW + clipping, a 30522-token vocabulary). A figure is the steady-state speed: the difference
# of a 1-step and a 1+STEPS-step run. f32 and bf16 alternate within each round so that both see
# the same load on a shared machine; the median over rounds is printed, with the load average.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../build/app/bertlab-cli}
steps=${2:-4}
rounds=${3:-1}
threads=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/make_synthetic_pretraining_data.py" "$work"

run_cli() {  # preset precision steps
  OMP_NUM_THREADS=$threads "$cli" train --preset "$1" --precision "$2" --vocab "$work/vocab.txt" \
      --examples "$work/examples.jsonl" --out "$work/run-$1-$2-$3-$$" --steps "$3" --batch-size 32 --warmup 1 \
      --checkpoint-every 0 2> "$work/log" >/dev/null || { cat "$work/log" >&2; exit 1; }
  rm -rf "$work/run-$1-$2-$3-$$"
}
tokens_per_s() {  # preset precision
  t0=$(date +%s.%N); run_cli "$1" "$2" 1; t1=$(date +%s.%N)
  run_cli "$1" "$2" $((steps + 1)); t2=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$steps" 'BEGIN { printf "%.0f", n * 32 * 128 / ((c - b) - (b - a)) }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| model | f32 tokens/s | bf16 tokens/s | bf16 / f32 |"
echo "|---|---|---|---|"
for preset in tiny mini; do
  f32=""; bf16=""
  for r in $(seq "$rounds"); do
    f32="$f32 $(tokens_per_s "$preset" f32)"
    bf16="$bf16 $(tokens_per_s "$preset" bf16)"
    echo "round $r $preset: f32$f32 / bf16$bf16" >&2
  done
  a=$(echo "$f32" | median); b=$(echo "$bf16" | median)
  echo "| $preset | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }') |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
