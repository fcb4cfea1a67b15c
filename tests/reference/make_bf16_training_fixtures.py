# Writes PyTorch's own bfloat16 (autocast) AdamW run of the training fixture model, for bertlab's --precision bf16 tests.
"""bfloat16 training fixture for tests/engine/test_bf16_training.cpp (issue 16).

    /usr/bin/python3 tests/reference/make_bf16_training_fixtures.py

Starts from tests/data/fixtures/training/model and examples.jsonl (make_gradient_fixtures.py) and
repeats that script's AdamW run (the recipe in adamw.json: batch i = examples [i*B, (i+1)*B)
modulo the file, dropout 0, clipping, warmup then linear decay) with the forward pass under
torch.autocast("cpu", dtype=torch.bfloat16): PyTorch's own mixed precision, where the linear
layers and attention's matmuls multiply bfloat16 copies and the master weights, AdamW state and
gradients stay float32. The logits are cast to float32 before the cross-entropy, and LayerNorm's
input too (torch 1.13's CPU layer_norm refuses a bfloat16 input with float32 weights), as bertlab
computes both. Writes tests/data/fixtures/training/bf16_adamw.json: the recipe and per-step
metrics, plus the float32 run's losses from the same script and the largest relative gap
between the two (what bfloat16's ~3 significant digits cost on this model).
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import load_pretrained  # noqa: E402
from make_gradient_fixtures import RECIPE, to_batch  # noqa: E402

FOLDER = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "data", "fixtures", "training"))


def loss_of(model, ids, types, mask, rows, mids, labels, bf16):
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        out = model.bert(ids, types, mask)
        seq = out.last_hidden_state
        h = seq.reshape(-1, seq.shape[-1])[rows]
        mlm_logits = model.cls.predictions(h)
        nsp_logits = model.cls.seq_relationship(out.pooler_output)
    mlm = F.cross_entropy(mlm_logits.float(), mids)
    nsp = F.cross_entropy(nsp_logits.float(), labels)
    return mlm + nsp, mlm, nsp


def run(bf16):
    model, _ = load_pretrained(os.path.join(FOLDER, "model"))
    model.train()  # dropout 0 in the fixture's config
    for m in model.modules():
        if isinstance(m, torch.nn.LayerNorm):
            m.register_forward_pre_hook(lambda _, inputs: tuple(x.float() for x in inputs))
    with open(os.path.join(FOLDER, "examples.jsonl")) as f:
        examples = [json.loads(line) for line in f]
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
    B = r["batch_size"]
    for step in range(total):
        chunk = [examples[(step * B + j) % len(examples)] for j in range(B)]
        loss, mlm, nsp = loss_of(model, *to_batch(chunk), bf16)
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), r["max_grad_norm"])
        opt.step()
        sched.step()
        metrics.append({"step": step + 1, "loss": loss.item(), "mlm_loss": mlm.item(), "nsp_loss": nsp.item(),
                        "grad_norm": norm.item()})
    return metrics


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    bf16 = run(True)
    f32 = run(False)
    gap = max(abs(a["loss"] - b["loss"]) / abs(b["loss"]) for a, b in zip(bf16, f32))
    out = {"recipe": RECIPE, "autocast": "torch.autocast('cpu', dtype=torch.bfloat16), LayerNorm inputs and logits cast to float32",
           "torch": torch.__version__, "metrics": bf16, "float32_losses": [m["loss"] for m in f32],
           "max_relative_gap_to_float32": gap}
    path = os.path.join(FOLDER, "bf16_adamw.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, indent=2)
    os.replace(path + ".tmp", path)
    for a, b in zip(bf16, f32):
        print(f"step {a['step']}: bf16 {a['loss']:.6f}  f32 {b['loss']:.6f}")
    print(f"largest relative gap {gap:.2e} -> {path}")


if __name__ == "__main__":
    main()
