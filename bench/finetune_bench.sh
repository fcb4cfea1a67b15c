#!/bin/sh
# Fine-tuning throughput: bertlab-cli finetune vs PyTorch on the same sequence-classification step (32 × 128, 2 threads).
# Usage: bench/finetune_bench.sh [BERTLAB_CLI] [STEPS] [SIZES]   (default build/app/bertlab-cli, 10 timed steps, "mini base")
# Models: seeded random BERT-Mini / BERT-Base folders (bench/make_random_bert.py) with the real
# bert-base-uncased vocabulary; data: 2-label sentences of 126 whole-word tokens, so every example
# is exactly 128 tokens on both sides. Prints one markdown table row per engine and the ratio.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../build/app/bertlab-cli}
steps=${2:-10}
sizes=${3:-mini base}
threads=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| model | engine | examples/s | peak RSS (MB) |"
echo "|---|---|---|---|"
for size in $sizes; do
  /usr/bin/python3 "$here/make_random_bert.py" "$size" "$work/$size" > /dev/null
  python3 - "$work" "$work/$size/vocab.txt" "$(( (steps + 1) * 32 ))" <<'PY'
import json, random, re, sys
work, vocab_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
words = [w for w in open(vocab_path, encoding="utf-8").read().split("\n") if re.fullmatch("[a-z]{3,}", w)]
rng = random.Random(0)
with open(f"{work}/data.jsonl", "w") as f:
    for i in range(count):
        f.write(json.dumps({"text": " ".join(rng.choice(words) for _ in range(126)), "label": "ab"[i % 2]}) + "\n")
PY
  # bertlab: two runs, 1 step and 1 + STEPS steps (epochs of 32 and (1+STEPS)·32 examples); the
  # difference of their wall-clock times is STEPS steady-state steps, loading and tokenizing excluded
  # as PyTorch's figure leaves out its first step.
  head -n 32 "$work/data.jsonl" > "$work/one.jsonl"
  run_cli() {
    rm -rf "$work/out-$size-$2"
    OMP_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$work/rss" "$cli" finetune --task sequence \
        --init "$work/$size" --train "$1" --out "$work/out-$size-$2" --epochs 1 --batch-size 32 \
        --max-seq-length 128 --shuffle off 2> "$work/log" >/dev/null
  }
  t0=$(date +%s.%N); run_cli "$work/one.jsonl" 1; t1=$(date +%s.%N)
  run_cli "$work/data.jsonl" all; t2=$(date +%s.%N)
  eps=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$steps" 'BEGIN { printf "%.1f", n * 32 / ((c - b) - (b - a)) }')
  rss=$(( $(cat "$work/rss") / 1024 ))
  echo "| $size | bertlab | $eps | $rss |"
  # PyTorch at its best setting here: the OpenMP OpenBLAS with the kernel for this CPU.
  core=$("$cli" bench "$work/$size" --seq 8 --iters 1 --json 2>/dev/null | grep '^{' | tail -n 1 |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["blas_core"])')
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=$core OMP_NUM_THREADS=$threads \
    /usr/bin/python3 "$here/torch_finetune.py" "$work/$size" --data "$work/data.jsonl" --steps "$steps" \
    --threads $threads > "$work/torch.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"| $size | {r['engine']} | {r['examples_per_s']:.1f} | {r['peak_rss_mb']:.0f} |\"); print(f'ratio $size (bertlab / PyTorch examples/s): {float(sys.argv[2]) / r[\"examples_per_s\"]:.2f}', file=sys.stderr)" "$work/torch.json" "$eps"
done
