# Generates the fine-tuning fixtures: small task files and five PyTorch AdamW steps on each classifier.
"""Fine-tuning fixtures for the bertlab engine tests (issue 14).

    /usr/bin/python3 tests/reference/make_finetune_fixtures.py

Starts from tests/data/models/tiny-seqcls and tiny-tokcls (make_classifier_fixtures.py), whose
classifier weights are used as they are (so no random initialisation has to agree), and runs five
updates exactly as `bertlab-cli finetune --dropout 0 --shuffle off` specifies them: one mean
cross-entropy over the labelled items of the batch (first wordpieces for tokens, -100 elsewhere),
torch.optim.AdamW (0.9/0.999, eps 1e-8, weight decay except biases and LayerNorm weights), the
linear warmup/decay schedule stepped after each update, gradient norm clipped to 1.0. Writes
tests/data/finetune/{seq,tok}-train.* and tests/data/fixtures/finetune/{sequence,token}.json
(losses, learning rates) and *_final.safetensors (the weights after the last step).
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import load_pretrained  # noqa: E402
from make_gradient_fixtures import write_safetensors  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(REPO, "tests", "data", "finetune")
OUT = os.path.join(REPO, "tests", "data", "fixtures", "finetune")
RECIPE = {"epochs": 1, "batch_size": 2, "lr": 1e-3, "warmup_ratio": 0.1, "weight_decay": 0.01,
          "max_seq_length": 16}

# Nine items, so five batches of 2, 2, 2, 2 and 1: the last, short batch is a step of its own.
SEQUENCE = [
    ("he made it up .", None, "positive"),
    ("she was at school .", "then she was back .", "neutral"),
    ("it was the new time .", None, "negative"),
    ("they said it was the time .", None, "positive"),
    ("we said it to them .", "he made it .", "neutral"),
    ("the new school .", None, "negative"),
    ("she said it .", "it was new .", "positive"),
    ("then they made it back to school .", None, "neutral"),
    ("he was new at the school with them . he said it was the new time . they made it up .",
     "then she was back at school with them .", "negative"),  # longer than max_seq_length: truncated
]
# "schools" splits into two wordpieces of the cut vocabulary: only its first carries the label.
TOKEN = [
    [("he", "OTHER"), ("made", "VERB"), ("it", "OTHER"), ("up", "OTHER"), (".", "OTHER")],
    [("the", "DET"), ("new", "OTHER"), ("schools", "NOUN"), (".", "OTHER")],
    [("she", "OTHER"), ("was", "VERB"), ("at", "OTHER"), ("the", "DET"), ("school", "NOUN")],
    [("they", "OTHER"), ("said", "VERB"), ("it", "OTHER")],
    [("we", "OTHER"), ("made", "VERB"), ("the", "DET"), ("schools", "NOUN"), ("new", "OTHER")],
    [("then", "OTHER"), ("she", "OTHER"), ("was", "VERB"), ("back", "OTHER")],
    [("the", "DET"), ("time", "NOUN"), ("was", "VERB"), ("new", "OTHER")],
    [("it", "OTHER"), ("was", "VERB"), ("the", "DET"), ("school", "NOUN"), ("with", "OTHER"), ("them", "OTHER")],
    [("he", "OTHER"), ("said", "VERB"), ("the", "DET"), ("time", "NOUN"), ("was", "VERB"), ("new", "OTHER"),
     ("at", "OTHER"), ("the", "DET"), ("school", "NOUN"), ("with", "OTHER"), ("them", "OTHER"), ("then", "OTHER"),
     ("she", "OTHER"), ("made", "VERB"), ("it", "OTHER"), ("up", "OTHER"), ("back", "OTHER")],  # truncated
]


def wordpieces(word, index):
    """Greedy longest-match-first WordPiece of one lower-case word (BERT's algorithm)."""
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in index:
                break
            end -= 1
        if end == start:
            return [index["[UNK]"]]
        pieces.append(index[piece])
        start = end
    return pieces


def truncate_pair(a, b, room):
    """Longest-first, one token at a time from the longer (the second when equal, as transformers)."""
    a, b = list(a), list(b)
    while len(a) + len(b) > room:
        (a if len(a) > len(b) else b).pop()
    return a, b


def sequence_examples(index, labels):
    out = []
    for a, b, label in SEQUENCE:
        ta = [p for w in a.split() for p in wordpieces(w, index)]
        tb = [p for w in b.split() for p in wordpieces(w, index)] if b else []
        room = RECIPE["max_seq_length"] - (3 if b else 2)
        ta, tb = truncate_pair(ta, tb, room)
        ids = [index["[CLS]"]] + ta + [index["[SEP]"]]
        types = [0] * len(ids)
        if b:
            ids += tb + [index["[SEP]"]]
            types += [1] * (len(tb) + 1)
        out.append((ids, types, labels.index(label)))
    return out


def token_examples(index, labels):
    out = []
    for sentence in TOKEN:
        ids, tags = [index["[CLS]"]], [-100]
        for word, tag in sentence:
            pieces = wordpieces(word, index)
            if len(ids) >= RECIPE["max_seq_length"] - 1:
                break
            for i, p in enumerate(pieces):
                if len(ids) >= RECIPE["max_seq_length"] - 1:
                    break
                ids.append(p)
                tags.append(labels.index(tag) if i == 0 else -100)
        ids.append(index["[SEP]"])
        tags.append(-100)
        out.append((ids, [0] * len(ids), tags))
    return out


def pad(batch, token_task):
    t = max(len(e[0]) for e in batch)
    ids = torch.tensor([e[0] + [0] * (t - len(e[0])) for e in batch])
    types = torch.tensor([e[1] + [0] * (t - len(e[1])) for e in batch])
    mask = torch.tensor([[1] * len(e[0]) + [0] * (t - len(e[0])) for e in batch])
    if token_task:
        labels = torch.tensor([e[2] + [-100] * (t - len(e[2])) for e in batch])
    else:
        labels = torch.tensor([e[2] for e in batch])
    return ids, types, mask, labels


def run(folder, examples, token_task, name):
    model, config = load_pretrained(folder)
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    model.train()
    r = RECIPE
    named = list(model.named_parameters())
    decay = [p for n, p in named if not (n.endswith("bias") or "LayerNorm.weight" in n)]
    no_decay = [p for n, p in named if n.endswith("bias") or "LayerNorm.weight" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": r["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=r["lr"], betas=(0.9, 0.999), eps=1e-8)
    B = r["batch_size"]
    total = math.ceil(len(examples) / B) * r["epochs"]
    warmup = math.ceil(r["warmup_ratio"] * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: k / max(1, warmup) if k < warmup else max(0.0, (total - k) / max(1, total - warmup)))
    metrics = []
    for step in range(total):
        start = (step % math.ceil(len(examples) / B)) * B
        ids, types, mask, labels = pad(examples[start:start + B], token_task)
        logits = model(ids, types, mask).logits
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        metrics.append({"step": step + 1, "epoch": step // math.ceil(len(examples) / B) + 1,
                        "loss": loss.item(), "lr": lr})
    write_safetensors(os.path.join(OUT, f"{name}_final.safetensors"), dict(model.state_dict()))
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"recipe": r, "total_steps": total, "warmup_steps": warmup,
                   "examples": [list(e) for e in examples], "metrics": metrics}, f, indent=1)
        f.write("\n")
    for m in metrics:
        print(name, m)


def main():
    os.makedirs(DATA, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(DATA, "seq-train.jsonl"), "w") as f:
        for a, b, label in SEQUENCE:
            f.write(json.dumps({"text": a, "text_b": b, "label": label}) + "\n")
    with open(os.path.join(DATA, "tok-train.conll"), "w") as f:
        f.write("\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in TOKEN) + "\n")

    models = os.path.join(REPO, "tests", "data", "models")
    vocab = open(os.path.join(models, "tiny-seqcls", "vocab.txt"), encoding="utf-8").read().split("\n")[:-1]
    index = {w: i for i, w in enumerate(vocab)}
    torch.manual_seed(0)
    seq_labels = ["negative", "neutral", "positive"]
    run(os.path.join(models, "tiny-seqcls"), sequence_examples(index, seq_labels), False, "sequence")
    tok_labels = ["DET", "NOUN", "VERB", "OTHER"]
    run(os.path.join(models, "tiny-tokcls"), token_examples(index, tok_labels), True, "token")


if __name__ == "__main__":
    main()
