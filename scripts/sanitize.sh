#!/usr/bin/env bash
# Builds everything (engine, CLI, GUI and every test) with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs the whole test suite once; any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir=${BERTLAB_ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTLAB_SANITIZE=ON -DBERTLAB_BUILD_UI=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# OpenBLAS and libgomp keep thread-local pools alive until exit; those are not our leaks.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export OMP_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build_dir" --output-on-failure -j 2
