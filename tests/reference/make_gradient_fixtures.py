# Writes PyTorch autograd gradients and an AdamW run of a small BERT for the training tests.
"""Reference fixtures for bertlab's training engine.

Run with the Debian interpreter that has torch:

    /usr/bin/python3 tests/reference/make_gradient_fixtures.py

Writes tests/data/fixtures/training/:
  model/             config.json, vocab.txt, model.safetensors: the starting weights (HF names)
  examples.jsonl     pretraining examples in bertlab's JSONL format (some padded, some not)
  gradients.safetensors  d(loss)/d(param) of the first GRAD_BATCH examples, dropout off
  gradients.json     that batch's loss, mlm_loss, nsp_loss
  adamw.json         the recipe and per-step metrics of a short AdamW run (dropout 0, no shuffle)
  adamw_final.safetensors  the weights after that run

The model is built from stock torch modules with attribute names as in transformers'
modeling_bert, so state_dict() keys are Hugging Face names; the MLM decoder is tied to the word
embeddings.  Everything is seeded.
"""

import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "data", "fixtures", "training"))

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


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, ids, types):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(types)
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def forward(self, x, additive_mask):
        B, T, H = x.shape
        d = H // self.heads
        split = lambda t: t.view(B, T, self.heads, d).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + additive_mask
        probs = torch.softmax(scores, dim=-1)
        return (probs @ v).transpose(1, 2).reshape(B, T, H)


class DenseNorm(nn.Module):
    def __init__(self, c, inp):
        super().__init__()
        self.dense = nn.Linear(inp, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, m):
        return self.output(self.self(x, m), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, m):
        a = self.attention(x, m)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


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
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight  # tied

    def forward(self, ids, types, mask, masked_rows, masked_ids, nsp_labels):
        """Loss = mean CE over all masked positions + mean NSP CE; MLM logits only where masked."""
        additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
        x = self.bert.embeddings(ids, types)
        for layer in self.bert.encoder.layer:
            x = layer(x, additive)
        pooled = torch.tanh(self.bert.pooler.dense(x[:, 0]))
        nsp_logits = self.cls.seq_relationship(pooled)
        p = self.cls.predictions
        h = x.reshape(-1, x.shape[-1])[masked_rows]
        h = p.transform.LayerNorm(F.gelu(p.transform.dense(h)))
        mlm_logits = p.decoder(h) + p.bias
        mlm_loss = F.cross_entropy(mlm_logits, masked_ids)
        nsp_loss = F.cross_entropy(nsp_logits, nsp_labels)
        mlm_acc = (mlm_logits.argmax(-1) == masked_ids).float().mean()
        nsp_acc = (nsp_logits.argmax(-1) == nsp_labels).float().mean()
        return mlm_loss + nsp_loss, mlm_loss, nsp_loss, mlm_acc, nsp_acc


def state(model):
    """HF-named tensors to save: the tied decoder weight is left out, as HF's safetensors do."""
    return {k: v for k, v in model.state_dict().items() if k != "cls.predictions.decoder.weight"}


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


def main():
    torch.manual_seed(20261126)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(7)
    c = CONFIG
    model = BertForPreTraining(c)
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

    os.makedirs(os.path.join(OUT, "model"), exist_ok=True)
    with open(os.path.join(OUT, "model", "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(c["vocab_size"] - 5)]
    with open(os.path.join(OUT, "model", "vocab.txt"), "w") as f:
        f.write("\n".join(words) + "\n")
    write_safetensors(os.path.join(OUT, "model", "model.safetensors"), state(model))

    examples = make_examples(gen, 12, c["vocab_size"])
    with open(os.path.join(OUT, "examples.jsonl"), "w") as f:
        for e in examples:
            f.write(json.dumps(e) + "\n")

    # (1) gradients of one padded batch
    batch = to_batch(examples[:GRAD_BATCH])
    loss, mlm, nsp, mlm_acc, nsp_acc = model(*batch)
    model.zero_grad()
    loss.backward()
    grads = {name: p.grad.clone() for name, p in model.named_parameters()}
    write_safetensors(os.path.join(OUT, "gradients.safetensors"), grads)
    with open(os.path.join(OUT, "gradients.json"), "w") as f:
        json.dump({"examples": GRAD_BATCH, "loss": loss.item(), "mlm_loss": mlm.item(),
                   "nsp_loss": nsp.item(), "mlm_accuracy": mlm_acc.item(),
                   "nsp_accuracy": nsp_acc.item()}, f, indent=2)

    # (2) a short AdamW run: batch i = examples [i*B, (i+1)*B) modulo the file, dropout 0
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
        loss, mlm, nsp, mlm_acc, nsp_acc = model(*to_batch(chunk))
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), r["max_grad_norm"])
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        metrics.append({"step": step + 1, "loss": loss.item(), "mlm_loss": mlm.item(),
                        "nsp_loss": nsp.item(), "mlm_accuracy": mlm_acc.item(),
                        "nsp_accuracy": nsp_acc.item(), "lr": lr, "grad_norm": norm.item()})
    write_safetensors(os.path.join(OUT, "adamw_final.safetensors"), state(model))
    with open(os.path.join(OUT, "adamw.json"), "w") as f:
        json.dump({"recipe": r, "metrics": metrics}, f, indent=2)
    for m in metrics:
        print(m)


if __name__ == "__main__":
    main()
