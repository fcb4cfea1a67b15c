# PyTorch side of bench/attribution_bench.sh: grad-input, integrated gradients and the head sweep with stock autograd.
"""Usage:
  /usr/bin/python3 bench/torch_attribution.py MODEL_DIR IDS_FILE --what grad-input|ig|sweep|gradient
                   --target mlm:POS[:TOKEN]|nsp [--steps 32] [--iters 3] [--threads 2] [--sweep-batch B]

The model is tests/reference/bert_reference.py (the one the fixtures come from), in its fairest
form for this job: eval mode, every weight frozen (requires_grad False, so autograd computes no
weight gradient), the MLM head run only at the target row. IDS_FILE has an "ids" and a "types"
line. Prints {"what", "median_ms", "min_ms", "runs_ms"} like bench/attribution_timing.cpp.

  grad-input  one forward and backward with respect to inputs_embeds
  ig          the N interpolated inputs alpha_k * e as one batch, forward and backward, plus the
              baseline forward at e = 0
  sweep       the intact pass and the L * heads passes with one head masked, batched
              --sweep-batch sequences at a time, each with its own head_mask row
  gradient    one forward and backward with respect to a [layers, heads] head_mask of ones
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from bert_reference import BertForPreTraining, load_pretrained  # noqa: E402


def target_of(model, out_hidden, pooled, target, token):
    if target == "nsp":
        return F.log_softmax(model.cls.seq_relationship(pooled), -1)[:, 0]
    pos = int(target.split(":")[1])
    return F.log_softmax(model.cls.predictions(out_hidden[:, pos]), -1)[:, token]


def run(model, embeds, types, head_mask, target, token):
    out = model.bert(inputs_embeds=embeds, token_type_ids=types.expand(embeds.shape[0], -1), head_mask=head_mask)
    return target_of(model, out.last_hidden_state, out.pooler_output, target, token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("ids")
    ap.add_argument("--what", required=True)
    ap.add_argument("--target", default="mlm:32")
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sweep-batch", type=int, default=48)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, config = load_pretrained(a.model, BertForPreTraining)
    for p in model.parameters():
        p.requires_grad_(False)
    lines = open(a.ids).read().split("\n")
    ids = torch.tensor([[int(x) for x in lines[0].split()]])
    types = torch.tensor([[int(x) for x in lines[1].split()]])
    e = model.bert.embeddings.word_embeddings.weight[ids[0]].clone()
    L, heads = config.num_hidden_layers, config.num_attention_heads
    token = None
    parts = a.target.split(":")
    if len(parts) == 3:  # mlm:POS:TOKEN, as bertlab reads it
        vocab = open(os.path.join(a.model, "vocab.txt"), encoding="utf-8").read().splitlines()
        token = vocab.index(parts[2])
    elif a.target != "nsp":
        with torch.no_grad():
            pos = int(a.target.split(":")[1])
            out = model.bert(input_ids=ids, token_type_ids=types)
            token = int(model.cls.predictions(out.last_hidden_state[:, pos]).argmax())

    def once():
        if a.what == "grad-input":
            x = e[None].clone().requires_grad_(True)
            t = run(model, x, types, None, a.target, token)
            (g,) = torch.autograd.grad(t.sum(), x)
            return (x * g).sum(-1)
        if a.what == "ig":
            alphas = (torch.arange(a.steps, dtype=torch.float32) + 0.5) / a.steps
            x = (alphas[:, None, None] * e[None]).requires_grad_(True)
            t = run(model, x, types, None, a.target, token)
            (g,) = torch.autograd.grad(t.sum(), x)
            with torch.no_grad():
                run(model, torch.zeros_like(e)[None], types, None, a.target, token)
            return (e * g.mean(0)).sum(-1)
        if a.what == "gradient":
            m = torch.ones(L, heads, requires_grad=True)
            t = run(model, e[None], types, m, a.target, token)
            (g,) = torch.autograd.grad(t.sum(), m)
            return g
        if a.what == "sweep":
            masks = torch.ones(1 + L * heads, L, heads)
            for i in range(L * heads):
                masks[1 + i].view(-1)[i] = 0
            values = []
            with torch.no_grad():
                for b in range(0, masks.shape[0], a.sweep_batch):
                    chunk = masks[b:b + a.sweep_batch]
                    values.append(run(model, e[None].expand(chunk.shape[0], -1, -1), types, chunk, a.target, token))
            v = torch.cat(values)
            return v[0] - v[1:]
        raise SystemExit(f"unknown --what {a.what}")

    once()  # warm-up
    runs = []
    for _ in range(a.iters):
        start = time.perf_counter()
        once()
        runs.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"what": a.what, "median_ms": round(statistics.median(runs), 1), "min_ms": round(min(runs), 1),
                      "runs_ms": [round(r, 1) for r in runs]}))


if __name__ == "__main__":
    main()
