#!/bin/sh
# Explorer responsiveness: types into the GUI (offscreen) on a BERT-Base-sized model and prints the latency table.
# Usage: bench/explorer_bench.sh [BUILD_DIR] [MODEL] [SECONDS] [explorer-latency options...]
#   BUILD_DIR  a build configured with the UI (default: build); the script builds nothing:
#              cmake --build BUILD_DIR --target explorer-latency
#   MODEL      a model folder with MLM and NSP heads; "" or - for the random BERT-Base in
#              /tmp/bertlab-bench/base (made by bench/make_random_bert.py when missing, ~440 MB)
#   SECONDS    typing time (default 120); further options go to the program, e.g. --prefill --verbose
# Run it on an otherwise idle machine: the analysis shares the cores with everything else.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${1:-$repo/build}
model=${2:-}
seconds=${3:-120}
[ $# -ge 3 ] && shift 3 || shift $#
py=/usr/bin/python3  # Debian's interpreter, as bench/run_bench.sh uses
work=/tmp/bertlab-bench
vocab="$repo/tests/data/refdata/vocab/bert-base-uncased-vocab.txt"

prog="$build/bench/explorer-latency"
if [ ! -x "$prog" ]; then
  echo "explorer-latency not found at $prog: configure with the UI and run cmake --build $build --target explorer-latency" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$model" ] || [ "$model" = - ]; then
  model="$work/base"
  if [ ! -f "$model/config.json" ] || [ ! -f "$model/model.safetensors" ]; then
    # make_random_bert.py only needs numpy (Debian's python3-numpy, which python3-torch pulls in).
    if ! "$py" -c 'import numpy' 2>/dev/null; then
      echo "no model given and $py cannot import numpy: install python3-torch (or python3-numpy), or pass MODEL" >&2
      exit 1
    fi
    echo "writing a random BERT-Base to $model (about 440 MB)..." >&2
    # It also copies vocab.txt from a shared folder that may be absent; the weights are what matter here.
    "$py" "$here/make_random_bert.py" base "$model" >&2 || true
    if [ ! -f "$model/model.safetensors" ] || [ ! -f "$model/config.json" ]; then
      echo "make_random_bert.py did not write $model" >&2
      exit 1
    fi
  fi
fi
if [ ! -f "$model/config.json" ]; then
  echo "$model is not a Hugging Face model folder (no config.json)" >&2
  exit 1
fi
if [ ! -f "$model/vocab.txt" ]; then
  # A folder of links plus the uncased vocabulary, so the model itself is neither copied nor changed.
  for f in "$model"/*; do ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$tmp/"; done
  cp "$vocab" "$tmp/vocab.txt"
  model="$tmp"
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}" >&2
QT_QPA_PLATFORM=offscreen "$prog" "$model" --seconds "$seconds" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
