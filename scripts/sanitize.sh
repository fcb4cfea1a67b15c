#!/usr/bin/env bash
# Builds the engine, the CLI and the engine test suites with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs them once; any report fails the run. BERTLAB_SANITIZE_UI=1 adds the GUI and its suites.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir=${BERTLAB_ASAN_BUILD_DIR:-build-asan}
# The engine code is what reads hostile files and does the arithmetic, so that is what CI checks
# (the GUI suites under ASan doubled CI's time). One baseline copy of each hot loop
# (BERTLAB_DISPATCH=OFF) and -O1 keep the build short; the clones are the same source.
with_ui=OFF
if [ "${BERTLAB_SANITIZE_UI:-0}" = "1" ]; then with_ui=ON; fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DBERTLAB_SANITIZE=ON -DBERTLAB_DISPATCH=OFF -DBERTLAB_BUILD_UI=$with_ui >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# OpenBLAS and libgomp keep thread-local pools alive until exit; those are not our leaks.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export OMP_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen
# The instruction-set checks look at the shipped build (scripts/test.sh), not at this one.
ctest --test-dir "$build_dir" --output-on-failure -j 2 -E '^baseline_'
