#!/usr/bin/env bash
# Runs bertlab-cli bench and the PyTorch reference on the same random BERT weights and prints ratios.
#
# Usage: bench/run_bench.sh [BERTLAB_CLI] [options]
#   BERTLAB_CLI        path of bertlab-cli (default: build/app/bertlab-cli); nothing is built here
#   --work DIR         where the random weights go (default: /tmp/bertlab-bench; ~1.8 GB)
#   --iters K          timed iterations per configuration (default 10, after 2 warm-up runs)
#   --large-all        also run Large at seq 16/512 and batch 8 (default: Large only at seq 128)
#   --torch-only       skip bertlab (e.g. while `bertlab-cli bench` is not available)
#   --torch-blas MODE  pthread | openmp | pthread+core | openmp+core | auto (default auto: time all
#                      four, keep the fastest). "+core" gives torch's OpenBLAS the kernel bertlab runs
#                      (OPENBLAS_CORETYPE), which matters where OpenBLAS misdetects the CPU
#   --only "M S B"     run just this configuration (model seq batch, e.g. "base 128 1"); repeatable
#
# Everything runs with 2 threads (OMP_NUM_THREADS=2, torch.set_num_threads(2)). Run it on an
# otherwise idle machine; the load average is printed before and after.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
py=/usr/bin/python3            # Debian's interpreter: the only one that sees torch
cli="$repo/build/app/bertlab-cli"
work=/tmp/bertlab-bench
iters=10
warmup=2
large_all=0
torch_only=0
torch_blas=auto
only=()
openmp_dir=/usr/lib/x86_64-linux-gnu/openblas-openmp

while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --iters) iters="$2"; shift 2 ;;
    --large-all) large_all=1; shift ;;
    --torch-only) torch_only=1; shift ;;
    --torch-blas) torch_blas="$2"; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) cli="$1"; shift ;;
  esac
done

export OMP_NUM_THREADS=2
unset OPENBLAS_NUM_THREADS GOTO_NUM_THREADS MKL_NUM_THREADS

if [[ $torch_only -eq 0 && ! -x "$cli" ]]; then
  echo "bertlab-cli not found at $cli (build it first, or pass --torch-only)" >&2
  exit 1
fi

for size in base large; do
  if [[ ! -f "$work/$size/model.safetensors" || ! -f "$work/$size/config.json" ]]; then
    "$py" "$here/make_random_bert.py" "$size" "$work/$size" >&2
  fi
done

results="$(mktemp "${TMPDIR:-/tmp}/bertlab-bench.XXXXXX.jsonl")"
trap 'rm -f "$results" "$results.err"' EXIT
meta() { "$py" -c 'import json,sys; print(json.dumps({"kind": "meta", "text": sys.argv[1]}))' "$1" >>"$results"; }

# The OpenBLAS kernel bertlab chose (it sets OPENBLAS_CORETYPE itself when OpenBLAS's detection
# would fall back to a generic one); torch gets the same choice in the "+core" settings.
core=SkylakeX
if [[ $torch_only -eq 0 ]]; then
  core="$("$cli" bench "$work/base" --seq 8 --iters 1 --json 2>/dev/null | grep '^{' | tail -n 1 |
          "$py" -c 'import json,sys; print(json.load(sys.stdin)["blas_core"])')"
fi

# torch links libblas.so.3, which the Debian alternatives point at the pthread OpenBLAS; putting
# the OpenMP build first on LD_LIBRARY_PATH swaps it in. Use whichever setting is fastest for torch.
run_torch() {  # blas model seq batch mode
  local blas="$1"; shift
  local env=()
  [[ $blas == openmp* ]] && env+=(LD_LIBRARY_PATH="$openmp_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
  [[ $blas == *+core ]] && env+=(OPENBLAS_CORETYPE="$core")
  env "${env[@]}" "$py" "$here/torch_bert.py" "$work/$1" --seq "$2" --batch "$3" --mode "$4" \
    --iters "$iters" --warmup "$warmup" --threads 2 --json | tail -n 1
}

median_of() { "$py" -c 'import json,sys; print(json.loads(sys.argv[1])["median_ms"])' "$1"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs" >&2
if [[ $torch_blas == auto ]]; then
  probe=""
  best=""
  best_ms=""
  for setting in pthread openmp pthread+core openmp+core; do
    ms="$(median_of "$(run_torch "$setting" base 128 1 encoder)")"
    probe+="$setting $(printf %.1f "$ms") ms; "
    if [[ -z $best_ms ]] || "$py" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$ms" "$best_ms"; then
      best=$setting; best_ms=$ms
    fi
  done
  echo "torch BLAS probe (Base, seq 128, encoder): $probe" >&2
  torch_blas=$best
  meta "PyTorch BLAS probe (Base, batch 1, seq 128, encoder+pooler, median): $probe(+core: OPENBLAS_CORETYPE=$core)"
fi
tv="$("$py" -c 'import torch; print(torch.__version__)')"
case "$torch_blas" in
  pthread|pthread+core|openmp|openmp+core) ;;
  *) echo "--torch-blas must be pthread, openmp, pthread+core, openmp+core or auto" >&2; exit 2 ;;
esac
what="Debian default libblas.so.3 = pthread OpenBLAS"
[[ $torch_blas == openmp* ]] && what="LD_LIBRARY_PATH=$openmp_dir (OpenMP OpenBLAS)"
[[ $torch_blas == *+core ]] && what+=", OPENBLAS_CORETYPE=$core"
meta "PyTorch setting used: torch $tv, torch.set_num_threads(2), OMP_NUM_THREADS=2, $what"
if [[ $torch_only -eq 1 ]]; then
  meta "bertlab: not run (--torch-only); PyTorch: $iters timed iterations after $warmup warm-up; times are medians"
else
  meta "bertlab: $cli, OMP_NUM_THREADS=2; $iters timed iterations for both (PyTorch after $warmup warm-up); times are medians"
fi
meta "fill-mask: [MASK] at positions 1, 8, 15, ... of every row (as bertlab-cli bench places them) plus NSP; PyTorch runs the stock MLM head over all B*T positions, then softmax + top-5 at the masks"
meta "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

configs=("base 16 1" "base 128 1" "base 512 1" "base 128 8" "large 128 1")
[[ $large_all -eq 1 ]] && configs+=("large 16 1" "large 512 1" "large 128 8")
[[ ${#only[@]} -gt 0 ]] && configs=("${only[@]}")

for cfg in "${configs[@]}"; do
  read -r model seq batch <<<"$cfg"
  for mode in encoder fill-mask; do
    ours=null
    if [[ $torch_only -eq 0 ]]; then
      if ! ours="$("$cli" bench "$work/$model" --seq "$seq" --batch "$batch" --iters "$iters" --mode "$mode" --json \
                   2>"$results.err" | grep '^{' | tail -n 1)" || [[ -z $ours ]]; then
        echo "bertlab-cli bench failed for $model seq $seq batch $batch $mode: $(tail -n 1 "$results.err")" >&2
        meta "bertlab-cli bench FAILED for $model seq $seq batch $batch $mode: $(tail -n 1 "$results.err")"
        ours=null
      fi
    fi
    theirs="$(run_torch "$torch_blas" "$model" "$seq" "$batch" "$mode")"
    load=false
    [[ $model == base && $seq == 16 && $batch == 1 && $mode == encoder ]] && load=true
    "$py" -c 'import json,sys,os
m,s,b,mode,ours,theirs,load,path=sys.argv[1:]
print(json.dumps({"model":m,"seq":int(s),"batch":int(b),"mode":mode,"ours":json.loads(ours),
  "torch":json.loads(theirs),"load":load=="true","file_bytes":os.path.getsize(path)}))' \
      "$model" "$seq" "$batch" "$mode" "$ours" "$theirs" "$load" "$work/$model/model.safetensors" >>"$results"
    echo "done: $model seq $seq batch $batch $mode" >&2
  done
done

meta "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" "$here/format_results.py" "$results"
