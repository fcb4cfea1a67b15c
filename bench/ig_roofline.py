#!/usr/bin/env python3
# Integrated gradients against the CPU's float32 ceiling: the products each engine must multiply, and what share of the peak its time implies.
"""Usage:
  python3 bench/ig_roofline.py MODEL_DIR --tokens T --steps N --target mlm|nsp
                               --peak GFLOPS --torch-ms MS --ours-ms MS

Counts the floating-point work of the matrix products in one IG call (the N interpolated inputs
forward and backward to the input only, plus the forward at the path's end points) from the model's
config.json, as each engine does it:

  bertlab  the last layer only where the target reads it (keys and values of every row, the rest at
           the target's row), forward at both end points (baseline and input);
  PyTorch  every row through every layer (autograd differentiates the whole last layer), the heads at
           the target's row, one baseline forward (bench/torch_attribution.py).

Element-wise work (softmax, LayerNorm, GELU) is left out: it is a few percent of the products'.
With --peak (bench's fma-peak, all threads) it prints each engine's achieved rate as a share of the
peak, the floor (the work at the peak), and the share of the peak bertlab would need to take 0.8x
PyTorch's time: the question of whether the target is reachable at all on this machine.
"""

import argparse
import json
import os


def layer_forward(rows, T, H, I):
    """One encoder layer over `rows` rows of T-token sequences: four projections, two attention products."""
    return 2 * rows * H * (3 * H + H + 2 * I) + 2 * 2 * rows * T * H


def layer_backward(rows, T, H, I):
    """Its backward to the input only: the same projections, four attention products."""
    return 2 * rows * H * (3 * H + H + 2 * I) + 4 * 2 * rows * T * H


def last_layer_at_one_row(T, H, I, backward):
    """Keys and values of all T rows, everything else at the one row the target reads."""
    kv = 2 * T * H * 2 * H
    one_row = 2 * H * H + 2 * H * H + 2 * 2 * H * I  # query, output projection, feed-forward
    attention = (4 if backward else 2) * 2 * T * H
    return kv + one_row + attention


def head(H, V, target):
    """The target's head at one row: MLM transform and decoder, or pooler and NSP classifier."""
    return 2 * H * H + (2 * H * V if target == "mlm" else 2 * H * 2)


def ig_work(config, T, N, target):
    H, I, L, V = (config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"],
                  config["vocab_size"])
    full_fwd = L * layer_forward(T, T, H, I)
    full_bwd = L * layer_backward(T, T, H, I)
    ours_fwd = (L - 1) * layer_forward(T, T, H, I) + last_layer_at_one_row(T, H, I, False)
    ours_bwd = (L - 1) * layer_backward(T, T, H, I) + last_layer_at_one_row(T, H, I, True)
    h = head(H, V, target)
    ours = N * (ours_fwd + ours_bwd + 2 * h) + 2 * (ours_fwd + h)
    torch = N * (full_fwd + full_bwd + 2 * h) + (full_fwd + h)
    return ours, torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--tokens", type=int, required=True)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--target", choices=["mlm", "nsp"], default="mlm")
    ap.add_argument("--peak", type=float, required=True, help="fma-peak's all_threads_gflops")
    ap.add_argument("--torch-ms", type=float, required=True)
    ap.add_argument("--ours-ms", type=float, required=True)
    a = ap.parse_args()
    with open(os.path.join(a.model, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    ours, torch = ig_work(config, a.tokens, a.steps, a.target)
    target_ms = 0.8 * a.torch_ms

    def rate(work, ms):
        return work / (ms / 1000) / 1e9

    print(f"IG product work: bertlab {ours / 1e9:.1f} GFLOP, PyTorch {torch / 1e9:.1f} GFLOP "
          f"({a.steps} steps, {a.tokens} tokens, target {a.target})")
    print(f"float32 FMA peak, all threads: {a.peak:.1f} GFLOP/s; bertlab's work at the peak: "
          f"{ours / a.peak / 1e6:.0f} ms")
    print(f"PyTorch {a.torch_ms:.0f} ms = {rate(torch, a.torch_ms):.0f} GFLOP/s = "
          f"{100 * rate(torch, a.torch_ms) / a.peak:.0f}% of the peak")
    print(f"bertlab {a.ours_ms:.0f} ms = {rate(ours, a.ours_ms):.0f} GFLOP/s = "
          f"{100 * rate(ours, a.ours_ms) / a.peak:.0f}% of the peak")
    print(f"0.8x PyTorch = {target_ms:.0f} ms: bertlab would run at {rate(ours, target_ms):.0f} GFLOP/s = "
          f"{100 * rate(ours, target_ms) / a.peak:.0f}% of the peak, element-wise work included")


if __name__ == "__main__":
    main()
