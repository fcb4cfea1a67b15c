#!/bin/sh
# Training throughput of bertlab-cli train --precision f32 vs bf16 (32 × 128, Tiny and Mini, 2 threads), runs interleaved, beside PyTorch's float32 and autocast(bfloat16) training.
# Usage: bench/train_precision_bench.sh [BERTLAB_CLI] [STEPS] [ROUNDS]   (default build/app/bertlab-cli, 4 steps, 1 round)
# The recipe and data of train_bench.sh (erf GELU, dropout 0.1, 20 masked positions per sequence,
# AdamW + clipping, a 30522-token vocabulary). A figure is the steady-state speed: the difference
# of a 1-step and a 1+STEPS-step run. f32 and bf16 alternate within each round so that both see
# the same load on a shared machine; the median over rounds is printed, with the load average.
# PyTorch (bench/torch_train.py, /usr/bin/python3 with Debian's torch) runs the same step in float32
# and under torch.autocast("cpu", bfloat16), each at its best setting (both OpenBLAS builds, with and
# without bertlab's OpenBLAS kernel choice), after bertlab's rounds; BERTLAB_BENCH_TORCH=0 skips it.
# PRESETS (default "tiny mini") picks the models.
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
run_cli_keep() {  # preset: a 1-step model kept as $work/model-PRESET
  OMP_NUM_THREADS=$threads "$cli" train --preset "$1" --vocab "$work/vocab.txt" --examples "$work/examples.jsonl" \
      --out "$work/model-$1" --steps 1 --batch-size 32 --warmup 1 --checkpoint-every 0 2> "$work/log" >/dev/null ||
    { cat "$work/log" >&2; exit 1; }
}
tokens_per_s() {  # preset precision
  t0=$(date +%s.%N); run_cli "$1" "$2" 1; t1=$(date +%s.%N)
  run_cli "$1" "$2" $((steps + 1)); t2=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$steps" 'BEGIN { printf "%.0f", n * 32 * 128 / ((c - b) - (b - a)) }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# PyTorch's best tokens/s over the four settings of train_bench.sh: preset precision
torch_best() {
  core=$("$cli" bench "$work/model-$1" --seq 8 --iters 1 --json 2>/dev/null | grep '^{' | tail -n 1 |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["blas_core"])')
  best=0
  for setting in pthread openmp pthread+core openmp+core; do
    env=""
    case $setting in openmp*) env="LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp" ;; esac
    case $setting in *+core) env="$env OPENBLAS_CORETYPE=$core" ;; esac
    t=$(env $env OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_train.py" --preset "$1" --precision "$2" \
        --examples "$work/examples.jsonl" --steps "$steps" --threads $threads |
        python3 -c 'import json,sys; print(round(json.load(sys.stdin)["tokens_per_s"]))')
    [ -n "$t" ] || { echo "torch $1 $2 $setting: failed (above)" >&2; continue; }
    echo "torch $1 $2 $setting: $t tokens/s" >&2
    best=$(( t > best ? t : best ))
  done
  echo "$best"
}
with_torch=0
if [ "${BERTLAB_BENCH_TORCH:-1}" = 1 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then with_torch=1; fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $with_torch = 1 ]; then
  echo "| model | f32 tokens/s | bf16 tokens/s | bf16 / f32 | PyTorch f32 | PyTorch autocast bf16 | bertlab bf16 / PyTorch bf16 |"
  echo "|---|---|---|---|---|---|---|"
else
  echo "| model | f32 tokens/s | bf16 tokens/s | bf16 / f32 |"
  echo "|---|---|---|---|"
fi
for preset in ${PRESETS:-tiny mini}; do
  f32=""; bf16=""
  for r in $(seq "$rounds"); do
    f32="$f32 $(tokens_per_s "$preset" f32)"
    bf16="$bf16 $(tokens_per_s "$preset" bf16)"
    echo "round $r $preset: f32$f32 / bf16$bf16" >&2
  done
  a=$(echo "$f32" | median); b=$(echo "$bf16" | median)
  row="| $preset | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }') |"
  if [ $with_torch = 1 ]; then
    # The blas_core query needs a model folder of this preset: a 1-step run's output.
    run_cli_keep "$preset"
    tf=$(torch_best "$preset" f32); tb=$(torch_best "$preset" bf16)
    row="$row $tf | $tb | $(awk -v a="$b" -v b="$tb" 'BEGIN { printf "%.2f", a / b }') |"
  fi
  echo "$row"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
