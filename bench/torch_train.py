# PyTorch side of the training benchmark: the same BERT pretraining step bertlab runs, timed.
"""Usage: /usr/bin/python3 bench/torch_train.py --preset tiny|mini --examples FILE [--steps N]
[--batch-size 32] [--threads 2] [--vocab-size 30522] [--precision f32|bf16]

Builds BertForPreTraining from tests/reference/bert_reference.py (erf GELU, post-LN, tied decoder),
computes the vocabulary projection only at the masked positions (as bertlab does), runs AdamW + clipping +
dropout 0.1 for N steps after one warm-up step, and prints one JSON line with tokens/s and the
peak resident memory. --precision bf16 runs the forward pass and the loss under
torch.autocast("cpu", dtype=torch.bfloat16), PyTorch's own mixed precision: float32 weights and
AdamW, products in bfloat16 (the comparison bertlab's --precision bf16 asks for).
"""

import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn

# The model is the one reference BERT in tests/reference/bert_reference.py, imported from there.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from bert_reference import BertForPreTraining  # noqa: E402

PRESETS = {"tiny": (2, 128, 2), "mini": (4, 256, 4), "small": (4, 512, 8), "medium": (8, 512, 8)}


def make_model(vocab_size, layers, hidden, heads):
    """BertForPreTraining from the reference module, intermediate 4·H, dropout 0.1, initialised
    like a fresh HF model: N(0, 0.02) weights, zero biases, LayerNorm 1 / 0."""
    model = BertForPreTraining({
        "vocab_size": vocab_size, "hidden_size": hidden, "num_hidden_layers": layers,
        "num_attention_heads": heads, "intermediate_size": 4 * hidden, "hidden_act": "gelu",
        "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1})
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                m.weight.normal_(0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                m.bias.zero_()
        model.cls.predictions.bias.zero_()
    return model.train()


def batches(path, B):
    examples = [json.loads(line) for line in open(path) if line.strip()]
    i = 0
    while True:
        chunk = [examples[(i + j) % len(examples)] for j in range(B)]
        i += B
        T = max(len(e["input_ids"]) for e in chunk)
        ids = torch.zeros(B, T, dtype=torch.long)
        types = torch.zeros(B, T, dtype=torch.long)
        mask = torch.zeros(B, T)
        rows, targets = [], []
        for b, e in enumerate(chunk):
            n = len(e["input_ids"])
            ids[b, :n] = torch.tensor(e["input_ids"])
            types[b, :n] = torch.tensor(e["token_type_ids"])
            mask[b, :n] = 1
            rows += [b * T + p for p in e["masked_positions"]]
            targets += e["masked_ids"]
        labels = torch.tensor([int(e["is_random_next"]) for e in chunk])
        yield (ids, types, mask, torch.tensor(rows), torch.tensor(targets), labels), int(mask.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="mini")
    ap.add_argument("--examples", required=True)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab-size", type=int, default=30522)
    ap.add_argument("--precision", choices=["f32", "bf16"], default="f32")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    L, H, heads = PRESETS[a.preset]
    model = make_model(a.vocab_size, L, H, heads)
    if a.precision == "bf16":
        # torch 1.13's CPU autocast hands the MLM head's LayerNorm a bfloat16 input beside float32
        # weights and fails ("expected scalar type BFloat16 but found Float"); LayerNorm in float32
        # is what autocast intends and what bertlab does.
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.register_forward_pre_hook(lambda _, args: tuple(x.float() for x in args))
    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    rest = [p for n, p in model.named_parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-4, eps=1e-6)
    data = batches(a.examples, a.batch_size)
    tokens, start = 0, None
    for step in range(a.steps + 1):
        if step == 1:  # the first step pays for allocation; time the rest
            start, tokens = time.perf_counter(), 0
        batch, n = next(data)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = model.pretraining_loss(*batch)[0]
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += n
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": "pytorch " + torch.__version__, "preset": a.preset, "precision": a.precision,
                      "threads": a.threads,
                      "tokens_per_s": tokens / elapsed, "peak_rss_mb": peak_mb, "loss": loss.item()}))


if __name__ == "__main__":
    main()
