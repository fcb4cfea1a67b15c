# Compares two fixture trees (committed vs regenerated) file by file and reports max abs differences.
"""Usage: /usr/bin/python3 tests/reference/compare_fixtures.py COMMITTED_DIR REGENERATED_DIR [--atol 1e-5]

Walks COMMITTED_DIR. For every file it finds the same relative path under REGENERATED_DIR and compares:
  *.safetensors      same tensor names, shapes and dtypes; the largest |a - b| over all values
  *.json, *.jsonl    same structure; the largest |a - b| over numbers, everything else equal
  pytorch_model.bin  torch.load both; same keys; the largest |a - b|
  anything else      byte equality
Prints one line per file (identical / max abs diff) and exits 1 if any file is missing, differs
in structure, or differs numerically by more than --atol.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

_DT = {"F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "F64": "<f8"}


def read_st(path):
    """An independent safetensors reader: raw header and float64 arrays (so F16/BF16 compare too)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", None)
    out = {}
    for name, v in header.items():
        b, e = v["data_offsets"]
        arr = np.frombuffer(raw[8 + n + b:8 + n + e], dtype=_DT[v["dtype"]])
        if v["dtype"] == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        out[name] = (v["dtype"], tuple(v["shape"]), arr.astype(np.float64).reshape(v["shape"]))
    return meta, out


def json_gap(a, b, where):
    """Largest numeric difference between two JSON values; raises on a structural difference."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        if a != b:
            raise ValueError(f"{where}: {a!r} != {b!r}")
        return 0.0
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) != isinstance(b, int):
            raise ValueError(f"{where}: int vs float")
        return abs(float(a) - float(b))
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            raise ValueError(f"{where}: lengths {len(a)} != {len(b)}")
        return max([json_gap(x, y, f"{where}[{i}]") for i, (x, y) in enumerate(zip(a, b))], default=0.0)
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            raise ValueError(f"{where}: keys {list(a)} != {list(b)}")
        return max([json_gap(a[k], b[k], f"{where}.{k}") for k in a], default=0.0)
    raise ValueError(f"{where}: {type(a).__name__} vs {type(b).__name__}")


def compare(pa, pb):
    """Returns (identical bytes, max abs diff)."""
    with open(pa, "rb") as f:
        ra = f.read()
    with open(pb, "rb") as f:
        rb = f.read()
    if ra == rb:
        return True, 0.0
    if pa.endswith(".safetensors"):
        ma, a = read_st(pa)
        mb, b = read_st(pb)
        if ma != mb or list(a) != list(b):
            raise ValueError("metadata or tensor list differs")
        gap = 0.0
        for k in a:
            if a[k][:2] != b[k][:2]:
                raise ValueError(f"{k}: dtype/shape {a[k][:2]} != {b[k][:2]}")
            if a[k][2].size:
                gap = max(gap, float(np.abs(a[k][2] - b[k][2]).max()))
        return False, gap
    if pa.endswith(".jsonl"):
        la = [json.loads(x) for x in ra.decode().splitlines() if x.strip()]
        lb = [json.loads(x) for x in rb.decode().splitlines() if x.strip()]
        return False, json_gap(la, lb, "")
    if pa.endswith(".json"):
        return False, json_gap(json.loads(ra), json.loads(rb), "")
    if pa.endswith(".bin"):
        import torch
        a, b = torch.load(pa), torch.load(pb)
        if list(a) != list(b):
            raise ValueError("state dict keys differ")
        return False, max(float((a[k].double() - b[k].double()).abs().max()) for k in a)
    raise ValueError("bytes differ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("committed")
    ap.add_argument("regenerated")
    ap.add_argument("--atol", type=float, default=1e-5)
    a = ap.parse_args()
    bad, worst = 0, 0.0
    for root, _, files in sorted(os.walk(a.committed)):
        for name in sorted(files):
            pa = os.path.join(root, name)
            rel = os.path.relpath(pa, a.committed)
            pb = os.path.join(a.regenerated, rel)
            if not os.path.exists(pb):
                print(f"MISSING  {rel}")
                bad += 1
                continue
            try:
                same, gap = compare(pa, pb)
            except ValueError as e:
                print(f"DIFFERS  {rel}: {e}")
                bad += 1
                continue
            worst = max(worst, gap)
            ok = gap <= a.atol and not math.isnan(gap)
            bad += not ok
            print(f"{'identical' if same else ('ok' if ok else 'TOO FAR'):9s} {rel}"
                  + ("" if same else f"  max abs diff {gap:.3e}"))
    print(f"worst max abs diff {worst:.3e}; {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
