#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
build_dir=${BERTLAB_BUILD_DIR:-build}
export QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=2
ctest --test-dir "$build_dir" --output-on-failure -j 2
