# Writes PyTorch autograd references for attribution, head ablation and head importance (issue 13).
"""Reference fixtures for bertlab's attribution engine, computed with stock torch autograd on
bert_reference.py (weights frozen: requires_grad False).

Run with the Debian interpreter that has torch:

    /usr/bin/python3 tests/reference/make_attribution_fixtures.py [--out tests/data/fixtures/attribution]

Writes one JSON file per model (tiny: gelu, 2 layers x 4 heads; tiny-relu and tiny-gelu-new:
3 layers x 2 heads) with, for each case (a text or pair made of whole tokens of the cut vocab):

  ids, type_ids, text, pair        the input ([CLS] A [SEP] (B [SEP]))
  ablate                           "" or the CLI's 1-based "L:H[,L:H]" / "L:*" spec
  head_mask                        [L][heads] multipliers it means (1 on, 0 off)
  forward                          under head_mask: mlm_logits at the masked positions [P][V],
                                   nsp_logits [2], attentions [L][heads][T][T] (after the multiplier)
  targets: for each target ("mlm:POS", "mlm:POS:TOKEN", "nsp"):
     token_id                      the named token (without TOKEN: the top guess of the INTACT model)
     logprob                       log-softmax of the target under head_mask
     grad, grad_input              ||d t/d e_t||_2 and sum_h e_t,h d t/d e_t,h per position
     ig: steps, values, baseline   integrated gradients (baseline e' = 0, midpoint rule
                                   alpha_k = (k - 1/2)/N, the N inputs as one batch) and t(e' = 0)
     importance_gradient [L][H]    d t / d m(l, h) at m = head_mask (intact cases: at m = 1)
     importance_sweep [L][H]       t(intact) - t(only head (l, h) ablated)   (intact cases only)

e_t is the word-embedding vector of position t (inputs_embeds): position and segment embeddings
are added inside the model and held fixed; the tied MLM decoder is a constant.
"""

import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import load_pretrained  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.abspath(os.path.join(HERE, "..", "data", "models"))
OUT = os.path.abspath(os.path.join(HERE, "..", "data", "fixtures", "attribution"))
IG_STEPS = 16

# model -> cases: (name, text, pair, ablate, targets)
CASES = {
    "tiny": [
        ("pair", "she was at school .", "then she [MASK] back .", "",
         ["mlm:9", "mlm:9:was", "nsp"]),
        ("pair-ablated", "she was at school .", "then she [MASK] back .", "1:2,2:4",
         ["mlm:9", "mlm:9:was", "nsp"]),
        ("single", "it was the [MASK] time .", None, "", ["mlm:4", "mlm:2:the"]),
        ("single-layer-off", "it was the [MASK] time .", None, "2:*", ["mlm:4"]),
    ],
    "tiny-gelu-new": [
        ("pair", "he made it up .", "they said it was [MASK] .", "", ["mlm:11", "nsp"]),
        ("pair-ablated", "he made it up .", "they said it was [MASK] .", "3:1", ["mlm:11", "nsp"]),
    ],
    "tiny-relu": [
        ("pair", "we were at the new school .", "it was [MASK] .", "", ["mlm:11", "nsp"]),
    ],
}


def parse_ablate(spec, layers, heads):
    m = torch.ones(layers, heads)
    for item in filter(None, spec.split(",")):
        l, h = item.split(":")
        if h == "*":
            m[int(l) - 1, :] = 0
        else:
            m[int(l) - 1, int(h) - 1] = 0
    return m


def encode(text, pair, index):
    def words(t):
        out = []
        for w in t.split(" "):
            if w not in index:
                raise SystemExit(f"fixture word {w!r} is not a whole token of the cut vocab")
            out.append(index[w])
        return out
    ids = [index["[CLS]"]] + words(text) + [index["[SEP]"]]
    types = [0] * len(ids)
    if pair is not None:
        b = words(pair) + [index["[SEP]"]]
        ids += b
        types += [1] * len(b)
    return ids, types


def target_values(model, embeds, types, head_mask, target, token_id):
    """The target of each of B sequences whose word vectors are embeds [B, T, H]."""
    B = embeds.shape[0]
    tt = types.expand(B, -1)
    out = model(inputs_embeds=embeds, token_type_ids=tt, head_mask=head_mask)
    if target == "nsp":
        return F.log_softmax(out.seq_relationship_logits, dim=-1)[:, 0]
    pos = int(target.split(":")[1])
    return F.log_softmax(out.prediction_logits[:, pos, :], dim=-1)[:, token_id]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    for name, cases in CASES.items():
        folder = os.path.join(MODELS, name)
        model, config = load_pretrained(folder)
        for p in model.parameters():
            p.requires_grad_(False)
        vocab = open(os.path.join(folder, "vocab.txt"), encoding="utf-8").read().splitlines()
        index = {t: i for i, t in enumerate(vocab)}
        L, heads = config.num_hidden_layers, config.num_attention_heads
        word = model.bert.embeddings.word_embeddings.weight
        doc = {"model": name, "layers": L, "heads": heads, "ig_steps": IG_STEPS, "cases": []}
        for cname, text, pair, ablate, targets in cases:
            ids, types = encode(text, pair, index)
            ids_t = torch.tensor([ids])
            types_t = torch.tensor([types])
            mask = parse_ablate(ablate, L, heads)
            masked = [i for i, t in enumerate(ids) if t == index["[MASK]"]]
            with torch.no_grad():
                out = model(input_ids=ids_t, token_type_ids=types_t, head_mask=mask, output_attentions=True)
                intact = model(input_ids=ids_t, token_type_ids=types_t)
            case = {"name": cname, "text": text, "pair": pair, "ids": ids, "type_ids": types,
                    "ablate": ablate, "head_mask": mask.tolist(),
                    "forward": {"mlm_positions": masked,
                                "mlm_logits": [out.prediction_logits[0, p].tolist() for p in masked],
                                "nsp_logits": out.seq_relationship_logits[0].tolist(),
                                "attentions": [a[0].tolist() for a in out.attentions]},
                    "targets": []}
            e = word[torch.tensor(ids)].detach().clone()  # [T, H]
            for target in targets:
                token_id = None
                if target != "nsp":
                    parts = target.split(":")
                    pos = int(parts[1])
                    if len(parts) == 3:
                        token_id = index[parts[2]]
                    else:  # the intact model's top guess, whatever is ablated
                        token_id = int(intact.prediction_logits[0, pos].argmax())
                # value and gradient at e
                x = e.unsqueeze(0).clone().requires_grad_(True)
                t = target_values(model, x, types_t, mask, target, token_id)
                (g,) = torch.autograd.grad(t.sum(), x)
                g = g[0]
                rec = {"target": target, "token_id": token_id, "token": None if token_id is None else vocab[token_id],
                       "logprob": float(t[0]),
                       "grad": g.norm(dim=-1).tolist(),
                       "grad_input": (e * g).sum(-1).tolist()}
                # integrated gradients: the N interpolated inputs as one batch
                alphas = (torch.arange(IG_STEPS, dtype=torch.float32) + 0.5) / IG_STEPS
                xs = (alphas[:, None, None] * e[None]).requires_grad_(True)
                ts = target_values(model, xs, types_t, mask, target, token_id)
                (gs,) = torch.autograd.grad(ts.sum(), xs)
                with torch.no_grad():
                    base = target_values(model, torch.zeros_like(e)[None], types_t, mask, target, token_id)
                rec["ig"] = {"steps": IG_STEPS, "values": (e * gs.mean(0)).sum(-1).tolist(), "baseline": float(base[0])}
                # gradient importance at m = head_mask
                m = mask.clone().requires_grad_(True)
                tm = target_values(model, e[None], types_t, m, target, token_id)
                (gm,) = torch.autograd.grad(tm.sum(), m)
                rec["importance_gradient"] = gm.tolist()
                if not ablate:
                    sweep = torch.zeros(L, heads)
                    with torch.no_grad():
                        t0 = float(target_values(model, e[None], types_t, None, target, token_id)[0])
                        for l in range(L):
                            for h in range(heads):
                                hm = torch.ones(L, heads)
                                hm[l, h] = 0
                                sweep[l, h] = t0 - float(target_values(model, e[None], types_t, hm, target, token_id)[0])
                    rec["importance_sweep"] = sweep.tolist()
                case["targets"].append(rec)
            doc["cases"].append(case)
        path = os.path.join(args.out, name + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        print(f"wrote {path} ({os.path.getsize(path) // 1024} KB)")


if __name__ == "__main__":
    main()
