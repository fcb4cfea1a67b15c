# Self-checks of bert_reference.py: folder loading against the committed fixtures, head_mask, inputs_embeds, dropout.
"""Usage: /usr/bin/python3 tests/reference/check_bert_reference.py [--cli build/app/bertlab-cli]

1. Loads every folder under tests/data/models/ with load_pretrained (safetensors F32/F16/BF16,
   gamma/beta names, BertModel and BertForMaskedLM files, zip and legacy pytorch_model.bin) and
   compares its outputs with the committed fixtures, which were computed in float64 from the
   in-memory models, not from the files.
2. With --cli: folders written by bertlab itself (`bertlab-cli convert`, f32 and f16) load too and
   give the same outputs.
3. head_mask follows HF: a 0 entry zeroes that head's attention and makes the output independent
   of its value projection; a factor scales that head's context; all ones changes nothing.
4. inputs_embeds = word_embeddings(ids) gives the ids' outputs, and its gradient matches a finite
   difference (float64).
5. Dropout is active in train() with the config's probabilities and off in eval().
Exits 1 on the first failure.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bert_reference import BertForPreTraining, load_pretrained  # noqa: E402
from compare_fixtures import read_st  # noqa: E402

DATA = os.path.join(HERE, "..", "data")
ATOL = 1e-4  # float32 torch against the float64 fixtures (about 1e-5 in practice)


def outputs(model, case):
    ids = torch.tensor(case["input_ids"])
    out = model(input_ids=ids, token_type_ids=torch.tensor(case["token_type_ids"]),
                attention_mask=torch.tensor(case["attention_mask"]),
                output_attentions=True, output_hidden_states=True)
    got = {f"hidden_states.{i}": h for i, h in enumerate(out.hidden_states)}
    got.update({f"attentions.{i}": a for i, a in enumerate(out.attentions)})
    for key, value in (("pooled", out.pooler_output), ("mlm_logits", getattr(out, "prediction_logits", None)),
                       ("nsp_logits", getattr(out, "seq_relationship_logits", None))):
        if value is not None:
            got[key] = value
    return got


def check_folder(folder, fixture_dir):
    """Largest gap between the loaded folder's outputs and the fixtures; the same set of outputs."""
    model, _ = load_pretrained(folder)
    worst = 0.0
    for name in sorted(os.listdir(fixture_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(fixture_dir, name)) as f:
            case = json.load(f)
        _, expected = read_st(os.path.join(fixture_dir, name[:-5] + ".safetensors"))
        with torch.no_grad():
            got = outputs(model, case)
        wanted = {k for k in expected if not k.startswith("embeddings.")}
        assert set(got) == wanted, (folder, sorted(set(got) ^ wanted))
        for k in got:
            worst = max(worst, (got[k].double() - torch.from_numpy(expected[k][2])).abs().max().item())
    assert worst < ATOL, (folder, worst)
    return worst


def check_head_mask():
    torch.manual_seed(1)
    model, c = load_pretrained(os.path.join(DATA, "models", "tiny"))
    model = model.double()
    ids = torch.tensor([[101, 2002, 103, 1996, 2047, 2082, 1012, 102]])
    d = c.hidden_size // c.num_attention_heads
    with torch.no_grad():
        base = model(ids).prediction_logits
        assert torch.equal(model(ids, head_mask=torch.ones(c.num_hidden_layers, c.num_attention_heads)).prediction_logits, base)
        hm = torch.ones(c.num_hidden_layers, c.num_attention_heads)
        hm[1, 2] = 0.0
        out = model(ids, head_mask=hm, output_attentions=True)
        assert out.attentions[1][:, 2].abs().max() == 0 and out.attentions[1][:, 1].abs().max() > 0
        assert (out.prediction_logits - base).abs().max() > 1e-3, "masking a head changed nothing"
        value = model.bert.encoder.layer[1].attention.self.value.weight
        saved = value.clone()
        value[2 * d:3 * d] += 1.0  # the masked head's value rows: must not matter
        assert torch.allclose(model(ids, head_mask=hm).prediction_logits, out.prediction_logits, atol=1e-12)
        value[1 * d:2 * d] += 1.0  # an unmasked head's: must matter
        assert (model(ids, head_mask=hm).prediction_logits - out.prediction_logits).abs().max() > 1e-3
        value.copy_(saved)
        # [batch, layers, heads]: each sequence its own mask, the same as separate passes.
        per = torch.ones(3, c.num_hidden_layers, c.num_attention_heads)
        per[1, 0, 1] = 0.0
        per[2] = hm
        batched = model(ids.expand(3, -1), head_mask=per).prediction_logits
        for b in range(3):
            assert torch.allclose(batched[b], model(ids, head_mask=per[b]).prediction_logits[0], atol=1e-12)
        # A factor scales the head's context (the probabilities times the values).
        captured = []
        hook = model.bert.encoder.layer[0].attention.self.register_forward_hook(lambda m, i, o: captured.append(o[0]))
        model(ids)
        hm = torch.ones(c.num_attention_heads)  # 1-D: the same mask for every layer
        hm[3] = 0.25
        model(ids, head_mask=hm)
        hook.remove()
        full, scaled = captured
        assert torch.allclose(scaled[..., 3 * d:], 0.25 * full[..., 3 * d:], atol=1e-12)
        assert torch.allclose(scaled[..., :3 * d], full[..., :3 * d], atol=1e-12)


def check_inputs_embeds():
    model, _ = load_pretrained(os.path.join(DATA, "models", "tiny-gelu-new"))
    model = model.double()
    ids = torch.tensor([[101, 2002, 103, 1996, 102, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 0]])
    emb = model.bert.embeddings.word_embeddings(ids).detach().requires_grad_(True)
    a = model(input_ids=ids, attention_mask=mask).prediction_logits
    b = model(inputs_embeds=emb, attention_mask=mask).prediction_logits
    assert torch.allclose(a, b, atol=1e-12)
    b[0, 2, 2003].backward()
    grad = emb.grad[0, 1, 5].item()
    eps = 1e-6
    with torch.no_grad():
        moved = emb.detach().clone()
        moved[0, 1, 5] += eps
        up = model(inputs_embeds=moved, attention_mask=mask).prediction_logits[0, 2, 2003]
        moved[0, 1, 5] -= 2 * eps
        down = model(inputs_embeds=moved, attention_mask=mask).prediction_logits[0, 2, 2003]
    fd = ((up - down) / (2 * eps)).item()
    assert abs(fd - grad) < 1e-6 * max(1.0, abs(grad)) and abs(grad) > 1e-4, (fd, grad)
    assert emb.grad[0, 5].abs().max() == 0, "a padded position influenced a real one"


def check_dropout():
    cfg = json.load(open(os.path.join(DATA, "models", "tiny", "config.json")))
    ids = torch.tensor([[101, 2002, 103, 1996, 102]])
    model = BertForPreTraining(cfg)
    with torch.no_grad():
        model.eval()
        assert torch.equal(model(ids).prediction_logits, model(ids).prediction_logits)
        model.train()
        assert not torch.equal(model(ids).prediction_logits, model(ids).prediction_logits)
        off = BertForPreTraining(dict(cfg, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0))
        off.load_state_dict(model.state_dict())
        off.train()
        model.eval()
        assert torch.equal(off(ids).prediction_logits, model(ids).prediction_logits)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", help="bertlab-cli, to also load folders bertlab writes")
    a = ap.parse_args()
    torch.set_num_threads(1)
    models, fixtures = os.path.join(DATA, "models"), os.path.join(DATA, "fixtures")
    for name in sorted(os.listdir(models)):
        if os.path.isdir(os.path.join(fixtures, name)):
            gap = check_folder(os.path.join(models, name), os.path.join(fixtures, name))
            print(f"load {name:16s} max |output - fixture| {gap:.2e}")
    if a.cli:
        with tempfile.TemporaryDirectory() as tmp:
            for source, dtype, fixture in (("tiny", "f32", "tiny"), ("tiny-gamma-beta", "f16", "tiny-f16"),
                                           ("tiny-bin-legacy", "f32", "tiny"), ("tiny-mlm", "f32", "tiny-mlm"),
                                           ("tiny-relu", "f32", "tiny-relu")):
                out = os.path.join(tmp, f"{source}-{dtype}")
                subprocess.run([a.cli, "convert", os.path.join(models, source), out, "--dtype", dtype],
                               check=True, stdout=subprocess.DEVNULL)
                gap = check_folder(out, os.path.join(fixtures, fixture))
                print(f"load bertlab convert {source} --dtype {dtype}: max |output - {fixture} fixture| {gap:.2e}")
    check_head_mask()
    print("head_mask: ok")
    check_inputs_embeds()
    print("inputs_embeds: ok")
    check_dropout()
    print("dropout: ok")


if __name__ == "__main__":
    sys.exit(main())
