#!/bin/sh
# OpenBLAS against oneDNN on BERT's float32 products, with OpenBLAS's kernel as the user's environment sets it and unset.
# Usage: bench/sgemm_bench.sh [BUILD_DIR] [REPEATS] [-- sgemm-shapes options]
#   (default build, 3 repeats; each run of sgemm-shapes already takes the median of its own rounds)
# OpenBLAS reads OPENBLAS_CORETYPE only while it loads, so each kernel needs its own process; the
# runs alternate (as set, unset, as set, ...) so that load from other programs hits both alike, and
# the table holds the median of every column over all runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
repeats=${2:-3}
[ $# -ge 2 ] && shift 2 || shift $#
[ "${1:-}" = "--" ] && shift
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; OMP_NUM_THREADS=$OMP_NUM_THREADS"
i=1
while [ "$i" -le "$repeats" ]; do
  "$build/bench/sgemm-shapes" "$@" >"$work/set.$i"
  env -u OPENBLAS_CORETYPE "$build/bench/sgemm-shapes" "$@" >"$work/unset.$i"
  i=$((i + 1))
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
set_kernel=$(head -n 1 "$work/set.1" | sed 's/^OpenBLAS kernel: \([^ ]*\) .*/\1/')
unset_kernel=$(head -n 1 "$work/unset.1" | sed 's/^OpenBLAS kernel: \([^ ]*\) .*/\1/')
head -n 1 "$work/set.1"
echo

# Columns of sgemm-shapes: | shape | M × N × K | op | OpenBLAS | oneDNN sgemm | oneDNN matmul | ratio |
awk -F' [|] ' -v sk="$set_kernel" -v uk="$unset_kernel" -v runs="$((repeats * 2))" '
function median(list,    v, n, i, j, t) {
  n = split(list, v, ",")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
FNR == 1 { which = FILENAME ~ /\/unset\./ ? "unset" : "set" }
/^\| / && $4 ~ /^[0-9.]+$/ {
  key = substr($1, 3)
  if (!(key in dims)) { order[++count] = key; dims[key] = $2; op[key] = $3 }
  blas[key, which] = blas[key, which] (blas[key, which] == "" ? "" : ",") $4
  sg[key] = sg[key] (sg[key] == "" ? "" : ",") $5
  mm[key] = mm[key] (mm[key] == "" ? "" : ",") $6
}
END {
  printf "| shape | M × N × K | op | OpenBLAS %s (as set) | OpenBLAS %s (unset) | oneDNN sgemm | oneDNN matmul | oneDNN sgemm / faster OpenBLAS |\n", sk, uk
  print "|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= count; i++) {
    k = order[i]
    a = median(blas[k, "set"]); b = median(blas[k, "unset"]); s = median(sg[k]); m = median(mm[k])
    best = a > b ? a : b
    printf "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f |\n", k, dims[k], op[k], a, b, s, m, s / best
  }
  printf "\nGFLOP/s, medians over %d runs.\n", runs
}' "$work"/set.* "$work"/unset.*
