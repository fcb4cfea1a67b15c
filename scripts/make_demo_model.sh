#!/usr/bin/env bash
# Trains the embedded demo model with bertlab itself, from the Brown corpus, and installs it as
# resources/models/demo (fp16 safetensors). The recipe lives here so the shipped model can be made
# again; resources/models/README.md reports what it reached.
#
#   scripts/make_demo_model.sh [WORK_DIR]      (default WORK_DIR: build-demo)
#
# Steps already done in WORK_DIR (corpus, vocabulary, examples) are reused; the training run
# resumes from its last checkpoint if it was interrupted. STEPS, PRESET and LR change the first
# run's recipe; STEPS2 to STEPS5 (0 skips any) the stages of continued pretraining that follow it
# (LR3, LR4, LR5: their peak rates; BATCH4: the batch of the fourth and fifth). STAGE3_MODEL names a
# finished stage-3 model to start the fourth stage from instead of training stages 1-3 (the
# shipped model was made so; resources/models/README.md says why). PRECISION (f32 or
# bf16) defaults to bf16 on CPUs with native bfloat16 (AVX-512 BF16 or AMX), f32 elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${1:-build-demo}
steps=${STEPS:-10000}
preset=${PRESET:-mini}
lr=${LR:-5e-4}
steps2=${STEPS2:-4000}
steps3=${STEPS3:-3000}
lr3=${LR3:-2e-4}
steps4=${STEPS4:-3000}
lr4=${LR4:-1e-4}
batch4=${BATCH4:-128}
steps5=${STEPS5:-1500}
lr5=${LR5:-5e-5}
dupe=${DUPE:-10}
if [[ -z ${PRECISION:-} ]]; then
  PRECISION=f32
  grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo && PRECISION=bf16
fi
precision=$PRECISION
mkdir -p "$work"

# The same configuration as scripts/build.sh, so the two never rebuild each other's tree.
# BERTLAB_CLI names an already built bertlab-cli (e.g. a copy, so rebuilding during the hours of
# training cannot swap the binary under the run).
if [[ -n ${BERTLAB_CLI:-} ]]; then
  cli=$BERTLAB_CLI
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build --target bertlab-cli
  cli=$PWD/build/app/bertlab-cli
fi

if [[ ! -s $work/train.txt || ! -s $work/heldout.txt ]]; then
  scripts/make_demo_corpus.sh "$work/train.txt" "$work/heldout.txt" 25 | tee "$work/corpus.log"
fi
# An 8k vocabulary keeps the tied embedding matrix, which dominates a Tiny model, small.
[[ -s $work/vocab.txt ]] || "$cli" build-vocab "$work/train.txt" --size 8000 --out "$work/vocab.txt"
# Sequences of 64 tokens: Brown sentences average ~20 wordpieces, so a pair of segments fits, and
# attention costs a quarter of what 128 would.
examples=(--vocab "$work/vocab.txt" --max-seq-length 64 --max-predictions 10 --seed 12345)
# Stages 1 and 2 read train.jsonl; a run from STAGE3_MODEL does not need it.
[[ -n ${STAGE3_MODEL:-} || -s $work/train.jsonl ]] ||
  "$cli" make-examples "$work/train.txt" "${examples[@]}" --dupe-factor "$dupe" --out "$work/train.jsonl"
[[ -s $work/heldout.jsonl ]] || "$cli" make-examples "$work/heldout.txt" "${examples[@]}" --dupe-factor 1 --out "$work/heldout.jsonl"

# One stage: DIR STEPS PEAK_LR SEED EXAMPLES BATCH, then the model's source (--preset/--vocab or
# --init). A run folder with its model.safetensors is finished (train writes the model last); one
# with checkpoints only was interrupted and resumes.
stage() {
  local dir=$1 n=$2 peak=$3 seed=$4 data=$5 batch=$6
  shift 6
  if [[ -s $dir/model.safetensors ]]; then
    return
  elif compgen -G "$dir/checkpoints/step-*" >/dev/null; then
    "$cli" train --resume "$dir" --precision "$precision"
  else
    "$cli" train "$@" --examples "$data" --eval-examples "$work/heldout.jsonl" --eval-every 500 --out "$dir" \
      --steps "$n" --batch-size "$batch" --lr "$peak" --warmup $((n / 20)) --dropout 0.1 --seed "$seed" \
      --checkpoint-every 500 --keep-checkpoints 2 --precision "$precision"
  fi
}

# Mini (L4/H256, 5.4M parameters with the 8k vocabulary: 11 MB in fp16). Peak 5e-4 rather than
# the paper's 1e-4: a run of a few thousand steps needs the larger step.
if [[ -n ${STAGE3_MODEL:-} ]]; then
  [[ -f $STAGE3_MODEL/config.json ]] || { echo "error: STAGE3_MODEL=$STAGE3_MODEL has no config.json" >&2; exit 1; }
  final=$STAGE3_MODEL
  steps2=0 steps3=0
else
  stage "$work/run" "$steps" "$lr" 12345 "$work/train.jsonl" 64 --preset "$preset" --vocab "$work/vocab.txt"
  final=$work/run
fi

if (( steps2 > 0 )); then
  # Continued pretraining from the first run's weights: a fresh AdamW and schedule (short warmup,
  # linear decay) and another data order. The first run ends just as the MLM loss leaves its
  # unigram plateau; this is where held-out accuracy climbs, and one longer run would have fixed
  # the schedule before that was known.
  stage "$work/run2" "$steps2" "$lr" 23456 "$work/train.jsonl" 64 --init "$final"
  final=$work/run2
fi

if (( steps3 > 0 )); then
  # A third stage on freshly drawn examples (another seed: new sentence pairs, new masks) at a
  # lower peak rate. By the end of the second the model fits its training pairs' next-sentence
  # labels far better than held-out ones (84% against 73%): new pairs are what it needs, not more
  # passes over the same ones.
  [[ -s $work/train3.jsonl ]] || "$cli" make-examples "$work/train.txt" --vocab "$work/vocab.txt" --max-seq-length 64 \
    --max-predictions 10 --seed 34567 --dupe-factor 5 --out "$work/train3.jsonl"
  stage "$work/run3" "$steps3" "$lr3" 34567 "$work/train3.jsonl" 64 --init "$final"
  final=$work/run3
fi

if (( steps4 > 0 )); then
  # A fourth stage that sees every example once: a draw of dupe factor 20 (seed 45678), of which
  # 3,000 batches of 128 use 384,000, none twice, at half the third stage's peak rate. In the third
  # stage held-out next-sentence loss rose while training pairs reached 86%: the model learns its
  # pairs by heart when it meets them again, so this stage never shows it a pair twice, and the
  # larger batch averages the next-sentence gradient over more pairs per update.
  [[ -s $work/train4.jsonl ]] || "$cli" make-examples "$work/train.txt" --vocab "$work/vocab.txt" --max-seq-length 64 \
    --max-predictions 10 --seed 45678 --dupe-factor 20 --out "$work/train4.jsonl"
  stage "$work/run4" "$steps4" "$lr4" 45678 "$work/train4.jsonl" "$batch4" --init "$final"
  final=$work/run4
fi

if (( steps5 > 0 )); then
  # A fifth stage in the fourth's manner, on another fresh draw (seed 56789, dupe factor 8: about
  # 200,000 examples, of which 1,500 batches of 128 use 192,000), at half its peak rate. The fourth
  # stage ended one held-out pair short of 75% next-sentence accuracy with its loss still falling.
  [[ -s $work/train5.jsonl ]] || "$cli" make-examples "$work/train.txt" --vocab "$work/vocab.txt" --max-seq-length 64 \
    --max-predictions 10 --seed 56789 --dupe-factor 8 --out "$work/train5.jsonl"
  stage "$work/run5" "$steps5" "$lr5" 56789 "$work/train5.jsonl" "$batch4" --init "$final"
  final=$work/run5
fi

rm -rf resources/models/demo.tmp
# Float16 keeps the repository and the package small (11 MB against 22); it moves held-out accuracy
# by at most one example (resources/models/README.md).
"$cli" convert "$final" resources/models/demo.tmp --dtype f16
rm -rf resources/models/demo
mv resources/models/demo.tmp resources/models/demo
"$cli" info resources/models/demo
tail -n 1 "$final/eval.jsonl"
