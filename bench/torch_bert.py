# PyTorch side of the benchmark: the reference BERT (tests/reference) timed like bertlab-cli bench.
"""Usage:
  /usr/bin/python3 bench/torch_bert.py MODEL_DIR --seq N --batch B --iters K
                   [--warmup W] [--mode encoder|fill-mask] [--threads 2]
                   [--precision f32|autocast-bf16|bf16] [--json]

MODEL_DIR is a folder written by make_random_bert.py (any HF BERT folder works). The model and
its loader are tests/reference/bert_reference.py, imported from ../tests/reference via sys.path;
model.safetensors is read there with a small mmap reader (there is no `safetensors` package here).

Modes:
  encoder    embeddings + encoder + pooler (HF BertModel with its pooler)
  fill-mask  embeddings + encoder + the stock HF pre-training heads: the MLM head over
             *every* position ([B, T, V] logits, as BertForPreTraining/BertForMaskedLM
             compute them) and pooler + NSP; then softmax and top-5 at the [MASK]
             positions, as the fill-mask pipeline does. The masks sit where
             `bertlab-cli bench` puts them (positions 1, 8, 15, ... < T-1, about 15%),
             and bertlab also computes NSP there, so both sides do the same work.
             Tokenization is not timed.

Precisions (for the side-by-side with `bertlab-cli bench --precision bf16`):
  f32            float32 throughout (default)
  autocast-bf16  torch.autocast("cpu", bfloat16): linear layers and matmuls in bfloat16,
                 softmax and LayerNorm in float32, the closest match to bertlab's bf16
  bf16           the whole model cast to bfloat16 (weights and activations)

Output (with --json): {"median_ms", "load_ms", "peak_rss_mb", ...}, the same
contract as `bertlab-cli bench --json`.
"""

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# The model is the one reference BERT in tests/reference/bert_reference.py (shared with the
# fixture scripts, so the benchmark times the same model the engine is tested against).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from bert_reference import BertForPreTraining, load_pretrained  # noqa: E402


def load_model(model_dir):
    model, config = load_pretrained(model_dir, BertForPreTraining)
    return model, config.raw


def encoder_pooler(model, ids, types, mask):
    """HF BertModel with its pooler: the sequence output and the pooled [CLS]."""
    out = model.bert(input_ids=ids, token_type_ids=types, attention_mask=mask)
    return out.last_hidden_state, out.pooler_output


def fill_mask(model, ids, types, mask, masked_rows, masked_cols, k=5):
    """The stock pre-training heads ([B, T, V] logits at every position, NSP), then softmax and
    top-k at the masks, as the fill-mask pipeline does."""
    out = model(input_ids=ids, token_type_ids=types, attention_mask=mask)
    nsp = F.softmax(out.seq_relationship_logits, dim=-1)
    probs = F.softmax(out.prediction_logits[masked_rows, masked_cols], dim=-1)
    return torch.topk(probs, k, dim=-1), nsp


def blas_in_use():
    """Which OpenBLAS build the dynamic loader actually mapped into this process."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if "blas" in os.path.basename(p):
                libs.add(os.path.dirname(p))
    return ",".join(sorted(libs)) or "unknown"


def main():
    ap = argparse.ArgumentParser(description="PyTorch BERT timing for bench/")
    ap.add_argument("model_dir")
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--mode", choices=("encoder", "fill-mask"), default="encoder")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--precision", choices=("f32", "autocast-bf16", "bf16"), default="f32")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    t0 = time.perf_counter()
    model, c = load_model(a.model_dir)
    load_ms = (time.perf_counter() - t0) * 1000.0
    if a.precision == "bf16":
        model = model.to(torch.bfloat16)
    rss_loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    # Same input layout as `bertlab-cli bench`: random words, [CLS] first, [SEP] in the middle
    # and at the end, segment B after the middle; in fill-mask mode [MASK] at 1, 8, 15, ...
    g = torch.Generator().manual_seed(a.seed)
    ids = torch.randint(1000, c["vocab_size"], (a.batch, a.seq), generator=g)
    ids[:, 0], ids[:, a.seq // 2], ids[:, -1] = 101, 102, 102
    types = torch.zeros_like(ids)
    types[:, a.seq // 2 + 1:] = 1
    mask = torch.ones_like(ids)
    masked = list(range(1, a.seq - 1, 7))
    if a.mode == "fill-mask":
        ids[:, masked] = 103
    rows = torch.arange(a.batch).repeat_interleave(len(masked))
    cols = torch.tensor(masked).repeat(a.batch)

    if a.mode == "encoder":
        def step():
            return encoder_pooler(model, ids, types, mask)
    else:
        def step():
            return fill_mask(model, ids, types, mask, rows, cols)

    times, cpu = [], []
    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if a.precision == "autocast-bf16"
                else contextlib.nullcontext())
    with torch.no_grad(), autocast:
        for _ in range(a.warmup):
            step()
        for _ in range(a.iters):
            s, sc = time.perf_counter(), time.process_time()
            step()
            times.append((time.perf_counter() - s) * 1000.0)
            cpu.append((time.process_time() - sc) * 1000.0)

    result = {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        # CPU time of all threads (including BLAS spin-waits); a sanity check when the machine is busy.
        "cpu_ms": statistics.median(cpu),
        "load_ms": load_ms,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "rss_before_load_mb": rss_before_mb,
        "rss_after_load_mb": rss_loaded_mb,
        "seq": a.seq, "batch": a.batch, "iters": a.iters, "mode": a.mode, "precision": a.precision,
        "masked_positions": len(masked) if a.mode == "fill-mask" else 0,
        "threads": torch.get_num_threads(),
        "blas": blas_in_use(),
        "torch": torch.__version__,
    }
    if a.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    sys.exit(main())
