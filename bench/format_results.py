# Turns the JSON lines collected by run_bench.sh into the markdown tables it prints.
"""Usage: /usr/bin/python3 bench/format_results.py RESULTS.jsonl

Each input line is {"model", "seq", "batch", "mode", "ours": {...}|null, "torch": {...}},
where "ours" and "torch" are the --json outputs of bertlab-cli bench and torch_bert.py.
Lines with "kind": "meta" carry the setting notes printed above the tables.
"""

import json
import sys

ENCODER_TARGET = 0.8      # Base encoder at seq 128: ours <= 0.8x PyTorch's time
LOAD_TARGET_MS = 1000.0   # Base safetensors load under 1 s
RSS_TARGET = 1.15         # peak RSS <= 1.15x the file size


def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:.{digits}f}"


def main():
    rows, meta = [], []
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                (meta if r.get("kind") == "meta" else rows).append(r)

    for m in meta:
        print(f"- {m['text']}")
    print()
    print("| model | mode | batch | seq | bertlab median ms | PyTorch median ms | ratio (ours/torch) | bertlab min ms | PyTorch min ms | PyTorch CPU ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ours = r["ours"]["median_ms"] if r.get("ours") else None
        theirs = r["torch"]["median_ms"]
        ratio = ours / theirs if ours is not None else None
        note = ""
        if r["model"] == "base" and r["mode"] == "encoder" and r["seq"] == 128 and r["batch"] == 1 and ratio:
            note = " PASS" if ratio <= ENCODER_TARGET else f" FAIL (target <= {ENCODER_TARGET})"
        print(f"| {r['model']} | {r['mode']} | {r['batch']} | {r['seq']} | {fmt(ours)} | {fmt(theirs)} "
              f"| {fmt(ratio, 2)}{note} | {fmt((r.get('ours') or {}).get('min_ms'))} | {fmt(r['torch'].get('min_ms'))} | {fmt(r['torch'].get('cpu_ms'))} |")

    load = [r for r in rows if r.get("load") and r["model"] == "base"]
    if load:
        r = load[0]
        size_mb = r["file_bytes"] / 2**20
        print()
        print("| Base weights load | bertlab | PyTorch (bench reader) | target |")
        print("|---|---:|---:|---|")
        ours = r.get("ours") or {}
        lm, rss = ours.get("load_ms"), ours.get("peak_rss_mb")
        lm_ok = "" if lm is None else (" PASS" if lm < LOAD_TARGET_MS else " FAIL")
        rss_ratio = None if rss is None else rss / size_mb
        rss_ok = "" if rss is None else (" PASS" if rss_ratio <= RSS_TARGET else " FAIL")
        print(f"| file size MiB | {size_mb:.1f} | {size_mb:.1f} | |")
        print(f"| load ms (warm page cache) | {fmt(lm)}{lm_ok} | {fmt(r['torch']['load_ms'])} | < {LOAD_TARGET_MS:.0f} |")
        print(f"| peak RSS over the seq-16 run, MiB | {fmt(rss)}{rss_ok} | {fmt(r['torch']['peak_rss_mb'])} | <= {RSS_TARGET} x file |")
        print(f"| peak RSS / file size | {fmt(rss_ratio, 2)} | {r['torch']['peak_rss_mb'] / size_mb:.2f} | <= {RSS_TARGET} |")
        after = ours.get("rss_after_load_mb")
        if after is not None:
            ok = " PASS" if after / size_mb <= RSS_TARGET else " FAIL"
            print(f"| peak RSS right after load, MiB (/ file size) | {after:.1f} ({after / size_mb:.2f}){ok} "
                  f"| {r['torch']['rss_after_load_mb']:.1f} ({r['torch']['rss_after_load_mb'] / size_mb:.2f}) "
                  f"| <= {RSS_TARGET} x file |")
        print()
        print(f"PyTorch RSS before loading (interpreter + torch): {r['torch']['rss_before_load_mb']:.0f} MiB; "
              "its load builds the modules without random init and copies the values from an mmap "
              "(like HF's fast-init path, not HF's own loader).")


if __name__ == "__main__":
    sys.exit(main())
