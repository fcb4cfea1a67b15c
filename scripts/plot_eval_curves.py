#!/usr/bin/env python3
# Draws held-out loss curves of several training runs (their eval.jsonl) as one SVG, for the docs.
"""Usage: scripts/plot_eval_curves.py OUT.svg KEY LABEL=RUN_DIR [LABEL=RUN_DIR ...]

KEY is a field of eval.jsonl (mlm_loss, nsp_loss, mlm_accuracy, ...). Standard library only, so
that it runs wherever the project builds; every curve is drawn with its points, in the order given.
"""

import json
import math
import os
import sys
from xml.sax.saxutils import escape

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 360, 70, 20, 30, 50


def read_curve(run_dir, key):
    points = []
    with open(os.path.join(run_dir, "eval.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                points.append((record["step"], record[key]))
    if not points:
        sys.exit(f"error: {run_dir}/eval.jsonl has no records")
    return points


def nice_ticks(lo, hi, count=5):
    raw = (hi - lo or 1.0) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step - 1e-9)
    return [round(k * step, 10) for k in range(first, math.floor(hi / step + 1e-9) + 1)]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, key, runs = sys.argv[1], sys.argv[2], []
    for arg in sys.argv[3:]:
        label, sep, run_dir = arg.partition("=")
        if not sep:
            sys.exit(f"error: expected LABEL=RUN_DIR, got '{arg}'")
        runs.append((label, read_curve(run_dir, key)))
    xs = [x for _, c in runs for x, _ in c]
    ys = [y for _, c in runs for _, y in c]
    x0, x1 = 0, max(xs)
    pad = (max(ys) - min(ys)) * 0.05 or 0.05
    y0, y1 = min(ys) - pad, max(ys) + pad

    def px(x):
        return LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT)

    def py(y):
        return H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="DejaVu Sans, sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for t in nice_ticks(y0, y1):
        svg.append(f'<line x1="{LEFT}" y1="{py(t):.1f}" x2="{W - RIGHT}" y2="{py(t):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{LEFT - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    for t in nice_ticks(x0, x1):
        svg.append(f'<text x="{px(t):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle">{t:g}</text>')
    svg.append(f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{H - TOP - BOTTOM}" fill="none" stroke="#444"/>')
    svg.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 12}" text-anchor="middle">step</text>')
    svg.append(f'<text x="16" y="{(TOP + H - BOTTOM) / 2}" text-anchor="middle" transform="rotate(-90 16 {(TOP + H - BOTTOM) / 2})">held-out {escape(key)}</text>')
    for i, (label, curve) in enumerate(runs):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in curve)
        dash = ' stroke-dasharray="6 4"' if i % 2 else ""
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in curve:
            svg.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 16 + 18 * i
        svg.append(f'<line x1="{W - RIGHT - 150}" y1="{ly - 4}" x2="{W - RIGHT - 120}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{W - RIGHT - 114}" y="{ly}">{escape(label)} ({curve[-1][1]:.4f})</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
