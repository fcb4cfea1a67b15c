# PyTorch side of the fine-tuning benchmark: the same sequence-classification step bertlab-cli finetune runs, timed.
"""Usage: /usr/bin/python3 bench/torch_finetune.py MODEL_DIR --data FILE.jsonl [--steps N]
[--batch-size 32] [--threads 2]

Loads MODEL_DIR as BertForSequenceClassification (tests/reference/bert_reference.py; a fresh
classifier for the labels of the data), tokenizes the data's texts as whole vocabulary words
(the benchmark's texts are made of them), and runs the fine-tuning recipe bertlab runs: dropout
0.1, one mean cross-entropy, AdamW (eps 1e-8, no decay on biases and LayerNorm weights), clipping
to 1.0, for N steps after one warm-up step. Prints one JSON line with examples/s and peak memory.
"""

import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from bert_reference import BertConfig, BertForSequenceClassification, load_state, normalize_keys, read_checkpoint  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--data", required=True)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rows = [json.loads(line) for line in open(a.data) if line.strip()]
    labels = sorted({r["label"] for r in rows})
    raw = json.load(open(os.path.join(a.model, "config.json")))
    raw["id2label"] = {str(i): l for i, l in enumerate(labels)}
    config = BertConfig(raw)
    model = BertForSequenceClassification(config)
    state = {k: v for k, v in normalize_keys(read_checkpoint(a.model)).items() if not k.startswith("cls.")}
    state["classifier.weight"] = torch.randn(len(labels), config.hidden_size) * 0.02
    state["classifier.bias"] = torch.zeros(len(labels))
    load_state(model, state)
    model.train()
    vocab = {w: i for i, w in enumerate(open(os.path.join(a.model, "vocab.txt"), encoding="utf-8").read().split("\n"))}
    examples = [([vocab["[CLS]"]] + [vocab[w] for w in r["text"].split()] + [vocab["[SEP]"]], labels.index(r["label"]))
                for r in rows]
    named = list(model.named_parameters())
    decay = [p for n, p in named if not (n.endswith("bias") or "LayerNorm.weight" in n)]
    rest = [p for n, p in named if n.endswith("bias") or "LayerNorm.weight" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=2e-5, eps=1e-8)
    B = a.batch_size
    done, start = 0, None
    for step in range(a.steps + 1):
        if step == 1:  # the first step pays for allocation; time the rest
            start, done = time.perf_counter(), 0
        chunk = [examples[(step * B + j) % len(examples)] for j in range(B)]
        T = max(len(e[0]) for e in chunk)
        ids = torch.zeros(B, T, dtype=torch.long)
        mask = torch.zeros(B, T)
        for b, (e, _) in enumerate(chunk):
            ids[b, :len(e)] = torch.tensor(e)
            mask[b, :len(e)] = 1
        y = torch.tensor([label for _, label in chunk])
        loss = F.cross_entropy(model(ids, torch.zeros_like(ids), mask).logits, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        done += B
    elapsed = time.perf_counter() - start
    print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": a.threads,
                      "examples_per_s": done / elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "loss": loss.item()}))


if __name__ == "__main__":
    main()
