#!/usr/bin/env bash
# Installs the dependencies (once) and builds everything into build/ with CMake + Ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir=${BERTLAB_BUILD_DIR:-build}
# Line tables only (-g1): backtraces keep file and line, and the build takes a fifth less time.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
