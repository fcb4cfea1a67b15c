# PyTorch side of the benchmark: the same BERT in stock torch modules, timed like bertlab-cli bench.
"""Usage:
  /usr/bin/python3 bench/torch_bert.py MODEL_DIR --seq N --batch B --iters K
                   [--warmup W] [--mode encoder|fill-mask] [--threads 2]
                   [--precision f32|autocast-bf16|bf16] [--json]

MODEL_DIR is a folder written by make_random_bert.py. Its model.safetensors is
read with the small reader below (there is no `safetensors` package here).

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
import math
import os
import resource
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_safetensors(path):
    """name -> float32 tensor. The tensors share one read-only mmap, so nothing is copied yet."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    buf = np.memmap(path, dtype=np.uint8, mode="c", offset=8 + n)  # copy-on-write: torch wants writable arrays
    out = {}
    for name, meta in header.items():
        if meta["dtype"] != "F32":
            raise SystemExit(f"{name}: only F32 is supported by this bench reader")
        b, e = meta["data_offsets"]
        arr = np.frombuffer(buf, dtype="<f4", count=(e - b) // 4, offset=b).reshape(meta["shape"])
        out[name] = arr
    return out


class SelfAttention(nn.Module):
    def __init__(self, h, heads):
        super().__init__()
        self.heads, self.d = heads, h // heads
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d).permute(0, 2, 1, 3)

    def forward(self, x, additive_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d) + additive_mask
        ctx = torch.matmul(F.softmax(scores, dim=-1), v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(x.shape)


class DenseNorm(nn.Module):
    def __init__(self, fan_in, h, eps):
        super().__init__()
        self.dense = nn.Linear(fan_in, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c["hidden_size"], c["num_attention_heads"])
        self.output = DenseNorm(c["hidden_size"], c["hidden_size"], c["layer_norm_eps"])


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c["intermediate_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, x, mask):
        a = self.attention.output(self.attention.self(x, mask), x)
        return self.output(F.gelu(self.intermediate.dense(a)), a)


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], h)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])

    def forward(self, ids, types):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        return self.LayerNorm(self.word_embeddings(ids) + self.token_type_embeddings(types)
                              + self.position_embeddings(pos))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, ids, types, mask):
        x = self.embeddings(ids, types)
        additive = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.encoder.layer:
            x = layer(x, additive)
        return x


class Transform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])


class Predictions(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transform = Transform(c)
        self.decoder = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))
        self.decoder.bias = self.bias

    def forward(self, x):
        t = self.transform
        return self.decoder(t.LayerNorm(F.gelu(t.dense(x))))


class Heads(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.predictions = Predictions(c)
        self.seq_relationship = nn.Linear(c["hidden_size"], 2)


class BertForPreTraining(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)
        self.cls = Heads(c)
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight

    def encoder_pooler(self, ids, types, mask):
        x = self.bert(ids, types, mask)
        return x, torch.tanh(self.bert.pooler.dense(x[:, 0]))

    def fill_mask(self, ids, types, mask, masked_rows, masked_cols, k=5):
        x = self.bert(ids, types, mask)
        logits = self.cls.predictions(x)  # [B, T, V] at every position, like the stock head
        nsp = F.softmax(self.cls.seq_relationship(torch.tanh(self.bert.pooler.dense(x[:, 0]))), dim=-1)
        probs = F.softmax(logits[masked_rows, masked_cols], dim=-1)
        return torch.topk(probs, k, dim=-1), nsp


@contextlib.contextmanager
def skipped_init():
    """Leaves parameters uninitialised while the model is built, as HF's loader does for weights
    it is about to overwrite; otherwise torch's random init would dominate the load time."""
    saved = {cls: cls.reset_parameters for cls in (nn.Linear, nn.Embedding, nn.LayerNorm)}
    try:
        for cls in saved:
            cls.reset_parameters = lambda self: None
        yield
    finally:
        for cls, fn in saved.items():
            cls.reset_parameters = fn


def load_model(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        c = json.load(f)
    arrays = load_safetensors(os.path.join(model_dir, "model.safetensors"))
    with skipped_init():
        model = BertForPreTraining(c)
    state = {k: torch.from_numpy(np.asarray(a)) for k, a in arrays.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if m not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")]
    if missing or unexpected:
        raise SystemExit(f"weights do not match: missing {missing}, unexpected {unexpected}")
    del state, arrays
    return model.eval(), c


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
            return model.encoder_pooler(ids, types, mask)
    else:
        def step():
            return model.fill_mask(ids, types, mask, rows, cols)

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
