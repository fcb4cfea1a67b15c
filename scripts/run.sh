#!/usr/bin/env bash
# The README's run command: installs dependencies, builds, and opens the GUI on the demo model
# (on a machine without a display it runs the command-line demo instead).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
build_dir=${BERTLAB_BUILD_DIR:-build}
model=resources/models/demo
[ -f "$model/config.json" ] || model=tests/data/models/tiny
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build_dir/app/bertlab" --model "$model" "$@"
fi
echo "No display found: running the command-line demo on $model"
cli="$build_dir/app/bertlab-cli"
"$cli" info "$model"
echo
"$cli" tokenize --model "$model" --text "The man went to the store." --pair "He bought a gallon of milk."
echo
"$cli" fill-mask "$model" --text "the man went to the [MASK] ." --top-k 5
echo
"$cli" nsp "$model" --text "the man went to the store ." --pair "he bought a gallon of milk ."
