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

# Synthetic data: 64 full-length examples (128 tokens, 20 masked) and a 30522-token vocabulary.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
V = 30522
with open(f"{work}/vocab.txt", "w") as f:
    f.write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"tok{i}" for i in range(V - 5)]) + "\n")
rng = random.Random(0)
with open(f"{work}/examples.jsonl", "w") as f:
    for i in range(64):
        a = [rng.randrange(5, V) for _ in range(62)]
        b = [rng.randrange(5, V) for _ in range(63)]
        ids = [2] + a + [3] + b + [3]
        types = [0] * 64 + [1] * 64
        cand = [t for t in range(128) if ids[t] not in (2, 3)]
        pos = sorted(rng.sample(cand, 20))
        orig = [ids[p] for p in pos]
        for p in pos:
            ids[p] = 4
        f.write(json.dumps({"input_ids": ids, "token_type_ids": types, "masked_positions": pos,
                            "masked_ids": orig, "is_random_next": bool(i % 2)}) + "\n")
PY

echo "| model | engine | tokens/s | peak RSS (MB) |"
echo "|---|---|---|---|"
for preset in tiny mini; do
  # bertlab: tokens/s as the trainer reports it after the last step (first step included).
  OMP_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$work/rss" "$cli" train --preset "$preset" \
      --vocab "$work/vocab.txt" --examples "$work/examples.jsonl" --out "$work/run-$preset" \
      --steps $((steps + 1)) --batch-size 32 --warmup 1 --checkpoint-every 0 2> "$work/log" >/dev/null
  tps=$(grep -o '[0-9]* tok/s' "$work/log" | tail -1 | cut -d' ' -f1)
  rss=$(( $(cat "$work/rss") / 1024 ))
  echo "| $preset | bertlab | $tps | $rss |"
  # PyTorch: the same recipe, first step excluded from the timing.
  OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_train.py" --preset "$preset" \
      --examples "$work/examples.jsonl" --steps "$steps" --threads $threads > "$work/torch.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"| $preset | {r['engine']} | {r['tokens_per_s']:.0f} | {r['peak_rss_mb']:.0f} |\")" "$work/torch.json"
done
