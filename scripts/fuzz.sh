#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in their own build folder and runs each for a
# few seconds on seeds taken from the real fixtures. Exits non-zero if any target finds a crash.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BERTLAB_FUZZ_BUILD:-$root/build-fuzz}"
seconds="${BERTLAB_FUZZ_SECONDS:-8}"
targets=(fuzz_safetensors_header fuzz_unpickler fuzz_zip fuzz_tf_index fuzz_config_json fuzz_vocab)

sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g1"
cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
ninja -C "$build" "${targets[@]}"

data="$root/tests/data"
seed() {  # seed TARGET FILE...: copies the existing files into the target's seed folder
  local dir="$build/seeds/$1"
  shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/"; done
  return 0
}
rm -rf "$build/seeds"
seed fuzz_safetensors_header "$root"/tests/fuzz/seeds/safetensors/*
seed fuzz_unpickler "$root"/tests/fuzz/seeds/unpickler/* "$data"/refdata/pytorch/bumblebee/*.legacy.pt
seed fuzz_zip "$data"/refdata/pytorch/*.pt* "$data"/refdata/pytorch/bumblebee/*.zip.pt
seed fuzz_tf_index "$data"/refdata/models/keras-bert-tiny-tf1-ckpt/bert_model.ckpt.index
seed fuzz_config_json "$data"/models/*/config.json "$data"/refdata/models/keras-bert-tiny-tf1-ckpt/bert_config.json
seed fuzz_vocab "$data"/refdata/models/keras-bert-tiny-tf1-ckpt/vocab.txt "$data"/models/tiny/vocab.txt

failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus" "$build/artifacts"
  echo "== $t (${seconds}s)"
  if ! OMP_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1 "$build/$t" "$corpus" "$build/seeds/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 2>"$build/$t.log"; then
    failed+=("$t")
    tail -n 40 "$build/$t.log"
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$t.log" | tail -n 2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in $build/artifacts)"
  exit 1
fi
echo "fuzz: no crashes in ${#targets[@]} targets"
