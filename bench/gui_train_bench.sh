#!/bin/sh
# Training throughput from the GUI vs bertlab-cli train: the same examples, recipe and threads.
# Usage: bench/gui_train_bench.sh [BUILD_DIR] [STEPS] [CORPUS]
#   (default build, 60 steps of Tiny at 32 × 128, tests/data/corpus/small.txt)
# The GUI side (gui-train-throughput) builds the vocabulary and examples as the GUI does and
# trains; bertlab-cli then trains from the very same vocab.txt and examples.jsonl.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
steps=${2:-60}
corpus=${3:-$here/../tests/data/corpus/small.txt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gui=$("$build/bench/gui-train-throughput" "$corpus" "$work/gui" "$steps")
"$build/app/bertlab-cli" train --preset tiny --vocab "$work/gui/vocab.txt" --examples "$work/gui/examples.jsonl" \
  --out "$work/cli" --steps "$steps" --batch-size 32 --lr 1e-3 --checkpoint-every 0 2>"$work/cli.log"
cli=$(tr '\r' '\n' <"$work/cli.log" | grep -o '[0-9]* tok/s' | tail -n 1 | cut -d' ' -f1)
echo "| run | tokens/s |"
echo "|---|---|"
echo "| bertlab-cli train | $cli |"
echo "| GUI (TrainingRun) | $gui |"
awk -v g="$gui" -v c="$cli" 'BEGIN { printf "GUI / CLI = %.2f (target: at least 0.90)\n", g / c }'
