#!/bin/sh
# Training throughput from the GUI vs bertlab-cli train (same examples, recipe and threads), then the GUI thread's longest block during a run.
# Usage: bench/gui_train_bench.sh [BUILD_DIR] [STEPS] [CORPUS]
#   (default build, 60 steps of Tiny at 32 × 128, tests/data/corpus/small.txt)
# The GUI side (gui-train-throughput) builds the vocabulary and examples as the GUI does and
# trains; bertlab-cli then trains from the very same vocab.txt and examples.jsonl. Then
# gui-event-loop trains the smallest recipe under a live RunView and reports the longest interval
# the GUI thread served no events, against the 50 ms target (a speed, so measured here, not in a test).
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
echo
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$build/bench/gui-event-loop" "$corpus"
