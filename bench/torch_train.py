# PyTorch side of the training benchmark: the same BERT pretraining step bertlab runs, timed.
"""Usage: /usr/bin/python3 bench/torch_train.py --preset tiny|mini --examples FILE [--steps N]
[--batch-size 32] [--threads 2] [--vocab-size 30522]

Builds BertForPreTraining from stock torch modules (erf GELU, post-LN, tied decoder), computes the
vocabulary projection only at the masked positions (as bertlab does), runs AdamW + clipping +
dropout 0.1 for N steps after one warm-up step, and prints one JSON line with tokens/s and the
peak resident memory.
"""

import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {"tiny": (2, 128, 2), "mini": (4, 256, 4), "small": (4, 512, 8), "medium": (8, 512, 8)}


class Layer(nn.Module):
    def __init__(self, h, heads, inter, p):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.i, self.out = nn.Linear(h, inter), nn.Linear(inter, h)
        self.drop = nn.Dropout(p)

    def forward(self, x, additive):
        B, T, H = x.shape
        d = H // self.heads
        split = lambda t: t.view(B, T, self.heads, d).transpose(1, 2)
        s = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(d) + additive
        ctx = (self.drop(torch.softmax(s, -1)) @ split(self.v(x))).transpose(1, 2).reshape(B, T, H)
        a = self.ln1(self.drop(self.o(ctx)) + x)
        return self.ln2(self.drop(self.out(F.gelu(self.i(a)))) + a)


class Bert(nn.Module):
    def __init__(self, V, L, H, heads, p=0.1):
        super().__init__()
        self.wte, self.wpe, self.wtt = nn.Embedding(V, H), nn.Embedding(512, H), nn.Embedding(2, H)
        self.ln = nn.LayerNorm(H, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(H, heads, 4 * H, p) for _ in range(L))
        self.pool, self.nsp = nn.Linear(H, H), nn.Linear(H, 2)
        self.t, self.tln = nn.Linear(H, H), nn.LayerNorm(H, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(V))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                m.weight.data.normal_(0, 0.02)
            if isinstance(m, nn.Linear):
                m.bias.data.zero_()

    def forward(self, ids, types, mask, rows, targets, labels):
        T = ids.shape[1]
        x = self.drop(self.ln(self.wte(ids) + self.wpe(torch.arange(T)) + self.wtt(types)))
        additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, additive)
        nsp = self.nsp(torch.tanh(self.pool(x[:, 0])))
        h = self.tln(F.gelu(self.t(x.reshape(-1, x.shape[-1])[rows])))
        logits = h @ self.wte.weight.t() + self.bias  # only the masked positions
        return F.cross_entropy(logits, targets) + F.cross_entropy(nsp, labels)


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
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    L, H, heads = PRESETS[a.preset]
    model = Bert(a.vocab_size, L, H, heads)
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
        loss = model(*batch)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += n
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": "pytorch " + torch.__version__, "preset": a.preset, "threads": a.threads,
                      "tokens_per_s": tokens / elapsed, "peak_rss_mb": peak_mb, "loss": loss.item()}))


if __name__ == "__main__":
    main()
