#!/bin/sh
# Training throughput: bertlab-cli train vs PyTorch on the same BERT pretraining step (32 × 128, 2 threads).
# Usage: bench/train_bench.sh [BERTLAB_CLI] [STEPS]   (default build/app/bertlab-cli, 10 timed steps)
# Both sides: erf GELU, dropout 0.1, vocabulary projection only at the 20 masked positions per
# sequence, AdamW + clipping, a 30522-token vocabulary. Prints one markdown table row per run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../build/app/bertlab-cli}
steps=${2:-10}
threads=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/make_synthetic_pretraining_data.py" "$work"

echo "| model | engine | tokens/s | peak RSS (MB) |"
echo "|---|---|---|---|"
for preset in tiny mini; do
  # bertlab: two runs, 1 step and 1 + STEPS steps; the difference of their wall-clock times is the
  # time of STEPS steady-state steps, as PyTorch's figure leaves out its first (allocating) step and
  # the loading of the examples.
  run_cli() {
    OMP_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$work/rss" "$cli" train --preset "$preset" \
        --vocab "$work/vocab.txt" --examples "$work/examples.jsonl" --out "$work/run-$preset-$1" \
        --steps "$1" --batch-size 32 --warmup 1 --checkpoint-every 0 2> "$work/log" >/dev/null
  }
  t0=$(date +%s.%N); run_cli 1; t1=$(date +%s.%N)
  run_cli $((steps + 1)); t2=$(date +%s.%N)
  tps=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$steps" 'BEGIN { printf "%.0f", n * 32 * 128 / ((c - b) - (b - a)) }')
  rss=$(( $(cat "$work/rss") / 1024 ))
  echo "| $preset | bertlab | $tps | $rss |"
  # PyTorch: the same recipe, first step excluded from the timing, at its best setting: each
  # OpenBLAS build (Debian's pthread default, the OpenMP one) with and without the kernel bertlab
  # chose (OPENBLAS_CORETYPE; OpenBLAS misdetects some virtual CPUs); the fastest is reported.
  core=$("$cli" bench "$work/run-$preset-1" --seq 8 --iters 1 --json 2>/dev/null | grep '^{' | tail -n 1 |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["blas_core"])')
  best=""
  for setting in pthread openmp pthread+core openmp+core; do
    env=""
    case $setting in openmp*) env="LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp" ;; esac
    case $setting in *+core) env="$env OPENBLAS_CORETYPE=$core" ;; esac
    env $env OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_train.py" --preset "$preset" \
        --examples "$work/examples.jsonl" --steps "$steps" --threads $threads > "$work/torch-$setting.json"
    echo "torch $preset $setting: $(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["tokens_per_s"]))' "$work/torch-$setting.json") tokens/s" >&2
    best=$(python3 -c 'import json,sys
b, c = sys.argv[1], sys.argv[2]
print(c if not b or json.load(open(c))["tokens_per_s"] > json.load(open(b))["tokens_per_s"] else b)' "$best" "$work/torch-$setting.json")
  done
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); s=sys.argv[1].split('torch-')[-1][:-5]; print(f\"| $preset | {r['engine']} ({s}) | {r['tokens_per_s']:.0f} | {r['peak_rss_mb']:.0f} |\")" "$best"
done
