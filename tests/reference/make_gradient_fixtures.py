# Writes PyTorch autograd gradients and an AdamW run of a small BERT for the training tests.
"""Reference fixtures for bertlab's training engine.

Run with the Debian interpreter that has torch:

    /usr/bin/python3 tests/reference/make_gradient_fixtures.py [--out tests/data/fixtures]

Writes tests/data/fixtures/training/ (hidden_act "gelu"):
  model/             config.json, vocab.txt, model.safetensors: the starting weights (HF names)
  examples.jsonl     pretraining examples in bertlab's JSONL format (some padded, some not)
  gradients.safetensors  d(loss)/d(param) of the first GRAD_BATCH examples, dropout off
  gradients.json     that batch's loss, mlm_loss, nsp_loss
  adamw.json         the recipe and per-step metrics of a short AdamW run (dropout 0, no shuffle)
  adamw_final.safetensors  the weights after that run

and tests/data/fixtures/training-gelu-new/ and training-relu/: the same model (same seeds, so the
same weights and examples) with hidden_act "gelu_new" / "relu", and only model/, examples.jsonl
and gradients.{safetensors,json} (no AdamW run: the optimizer does not depend on the activation).

The model is BertForPreTraining from bert_reference.py (Hugging Face names; the MLM decoder is
tied to the word embeddings).  Everything is seeded.
"""

import argparse
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import BertForPreTraining  # noqa: E402

FIXTURES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "data", "fixtures"))
# hidden_act -> (folder under tests/data/fixtures, whether the AdamW run is written too)
VARIANTS = {"gelu": ("training", True), "gelu_new": ("training-gelu-new", False),
            "relu": ("training-relu", False)}

CONFIG = {
    "architectures": ["BertForPreTraining"],
    "model_type": "bert",
    "vocab_size": 80,
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 64,
    "hidden_act": "gelu",
    "max_position_embeddings": 40,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "hidden_dropout_prob": 0.0,
    "attention_probs_dropout_prob": 0.0,
    "initializer_range": 0.02,
    "pad_token_id": 0,
}
GRAD_BATCH = 4
RECIPE = {"batch_size": 4, "steps": 7, "lr": 2e-3, "warmup": 2, "weight_decay": 0.01,
          "beta1": 0.9, "beta2": 0.999, "eps": 1e-6, "max_grad_norm": 1.0}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def state(model):
    """HF-named tensors to save: the tied decoder weight and bias alias are left out, as HF's
    safetensors do."""
    return {k: v for k, v in model.state_dict().items()
            if k not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")}


def make_examples(gen, count, vocab_size):
    examples = []
    for i in range(count):
        a = int(torch.randint(3, 9, (1,), generator=gen))
        b = int(torch.randint(3, 9, (1,), generator=gen))
        if i % 3 == 0:  # some full-length pairs so that padding and no padding both occur
            a, b = 12, 10
        ids = [2] + torch.randint(5, vocab_size, (a,), generator=gen).tolist() + [3] + \
            torch.randint(5, vocab_size, (b,), generator=gen).tolist() + [3]
        types = [0] * (a + 2) + [1] * (b + 1)
        candidates = [t for t in range(len(ids)) if ids[t] not in (2, 3)]
        k = max(1, round(0.15 * len(candidates)))
        order = torch.randperm(len(candidates), generator=gen).tolist()[:k]
        positions = sorted(candidates[j] for j in order)
        originals = [ids[p] for p in positions]
        for p in positions:
            ids[p] = 4  # [MASK]
        examples.append({"input_ids": ids, "token_type_ids": types, "masked_positions": positions,
                         "masked_ids": originals, "is_random_next": bool(i % 2)})
    return examples


def to_batch(examples):
    B = len(examples)
    T = max(len(e["input_ids"]) for e in examples)
    ids = torch.zeros(B, T, dtype=torch.long)
    types = torch.zeros(B, T, dtype=torch.long)
    mask = torch.zeros(B, T)
    rows, mids, labels = [], [], []
    for b, e in enumerate(examples):
        n = len(e["input_ids"])
        ids[b, :n] = torch.tensor(e["input_ids"])
        types[b, :n] = torch.tensor(e["token_type_ids"])
        mask[b, :n] = 1
        rows += [b * T + p for p in e["masked_positions"]]
        mids += e["masked_ids"]
        labels.append(1 if e["is_random_next"] else 0)
    return ids, types, mask, torch.tensor(rows), torch.tensor(mids), torch.tensor(labels)


def make(act, out):
    torch.manual_seed(20261126)
    gen = torch.Generator().manual_seed(7)
    c = dict(CONFIG, hidden_act=act)
    model = BertForPreTraining(c)
    model.train()  # dropout modules are there, with p = 0 from the config
    # Larger-than-BERT weights and non-trivial biases and LayerNorm parameters, so every
    # gradient is far from zero and a wrong one cannot hide under the tolerance.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=gen))

    os.makedirs(os.path.join(out, "model"), exist_ok=True)
    with open(os.path.join(out, "model", "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(c["vocab_size"] - 5)]
    with open(os.path.join(out, "model", "vocab.txt"), "w") as f:
        f.write("\n".join(words) + "\n")
    write_safetensors(os.path.join(out, "model", "model.safetensors"), state(model))

    examples = make_examples(gen, 12, c["vocab_size"])
    with open(os.path.join(out, "examples.jsonl"), "w") as f:
        for e in examples:
            f.write(json.dumps(e) + "\n")

    # (1) gradients of one padded batch
    batch = to_batch(examples[:GRAD_BATCH])
    loss, mlm, nsp, mlm_acc, nsp_acc = model.pretraining_loss(*batch)
    model.zero_grad()
    loss.backward()
    grads = {name: p.grad.clone() for name, p in model.named_parameters()}
    write_safetensors(os.path.join(out, "gradients.safetensors"), grads)
    with open(os.path.join(out, "gradients.json"), "w") as f:
        json.dump({"examples": GRAD_BATCH, "loss": loss.item(), "mlm_loss": mlm.item(),
                   "nsp_loss": nsp.item(), "mlm_accuracy": mlm_acc.item(),
                   "nsp_accuracy": nsp_acc.item()}, f, indent=2)
    print(f"{act}: loss {loss.item():.6f} -> {out}")
    return model, examples


def adamw_run(model, examples, out):
    """A short AdamW run: batch i = examples [i*B, (i+1)*B) modulo the file, dropout 0."""
    r = RECIPE
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": r["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=r["lr"], betas=(r["beta1"], r["beta2"]), eps=r["eps"])
    total, warmup = r["steps"], r["warmup"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: k / warmup if k < warmup else max(0.0, (total - k) / (total - warmup)))
    metrics = []
    n = len(examples)
    B = r["batch_size"]
    for step in range(total):
        chunk = [examples[(step * B + j) % n] for j in range(B)]
        loss, mlm, nsp, mlm_acc, nsp_acc = model.pretraining_loss(*to_batch(chunk))
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), r["max_grad_norm"])
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        metrics.append({"step": step + 1, "loss": loss.item(), "mlm_loss": mlm.item(),
                        "nsp_loss": nsp.item(), "mlm_accuracy": mlm_acc.item(),
                        "nsp_accuracy": nsp_acc.item(), "lr": lr, "grad_norm": norm.item()})
    write_safetensors(os.path.join(out, "adamw_final.safetensors"), state(model))
    with open(os.path.join(out, "adamw.json"), "w") as f:
        json.dump({"recipe": r, "metrics": metrics}, f, indent=2)
    for m in metrics:
        print(m)


def main():
    ap = argparse.ArgumentParser(description="Training fixtures (PyTorch autograd and AdamW)")
    ap.add_argument("--out", default=FIXTURES, help="the fixtures folder to write into")
    ap.add_argument("--act", choices=sorted(VARIANTS), action="append",
                    help="only this hidden_act (repeatable; default: all)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    for act in a.act or VARIANTS:
        folder, with_adamw = VARIANTS[act]
        model, examples = make(act, os.path.join(a.out, folder))
        if with_adamw:
            adamw_run(model, examples, os.path.join(a.out, folder))


if __name__ == "__main__":
    main()
