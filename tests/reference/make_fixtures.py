# Generates the tiny random BERT models and PyTorch reference outputs under tests/data/.
"""Reference fixtures for the bertlab engine tests.

Run from anywhere with the Debian interpreter that has torch:

    /usr/bin/python3 tests/reference/make_fixtures.py

The model is bert_reference.py's (the one reference BERT, shared with the gradient
fixtures and bench/); its module tree uses the same names as Hugging Face's
modeling_bert, so ``state_dict()`` keys are the keys real checkpoints carry.  Everything is seeded; running the script
twice gives byte-identical files.
"""

import argparse
import json
import math
import os
import shutil
import struct
import sys
from collections import OrderedDict

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import BertForMaskedLM, BertForPreTraining, BertModel  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FULL_VOCAB = "/work/shared/refdata/vocab/bert-base-uncased-vocab.txt"
VOCAB_HEAD_LINES = 2100  # specials, [unused], single characters, then the first ~100 words from id 1996

# --------------------------------------------------------------------------------------------
# safetensors (formats.md section 1): u64 LE header length, JSON header padded with spaces to a
# multiple of 8, then one packed little-endian buffer.
# --------------------------------------------------------------------------------------------

_DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}


def tensor_payload(t):
    """Returns (dtype string, raw little-endian bytes) of a CPU tensor, C order."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.float32:
        return "F32", t.numpy().astype("<f4").tobytes()
    if t.dtype == torch.float16:
        return "F16", t.numpy().astype("<f2").tobytes()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16: reinterpret the 16-bit patterns as int16.
        return "BF16", t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.int64:
        return "I64", t.numpy().astype("<i8").tobytes()
    raise ValueError(f"unsupported dtype {t.dtype}")


def write_safetensors(path, tensors, metadata=None):
    """tensors: ordered mapping name -> torch tensor. Offsets follow the mapping's order."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    blobs = []
    offset = 0
    for name, t in tensors.items():
        dtype, data = tensor_payload(t)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """Independent re-reader used only to check what write_safetensors produced."""
    import numpy as np

    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    buf = raw[8 + n:]
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1]) for v in header.values())
    pos = 0
    for b, e in spans:
        assert b == pos and e >= b, "gap or overlap in safetensors buffer"
        pos = e
    assert pos == len(buf), "safetensors buffer not fully covered"
    out = {}
    for name, v in header.items():
        b, e = v["data_offsets"]
        assert e - b == math.prod(v["shape"]) * _DTYPE_BYTES[v["dtype"]]
        chunk = buf[b:e]
        if v["dtype"] == "F32":
            arr = np.frombuffer(chunk, dtype="<f4").astype(np.float32)
        elif v["dtype"] == "F16":
            arr = np.frombuffer(chunk, dtype="<f2").astype(np.float32)
        elif v["dtype"] == "BF16":
            bits = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32)
        else:
            arr = np.frombuffer(chunk, dtype="<i8")
        out[name] = torch.from_numpy(arr.reshape(v["shape"]).copy())
    return out


# --------------------------------------------------------------------------------------------
# The model is bert_reference's; this runs it and collects every tensor a fixture file holds, in
# the order the files list them.
# --------------------------------------------------------------------------------------------

def run_traced(model, ids, types, mask):
    trace = OrderedDict()
    out = model(input_ids=ids, token_type_ids=types, attention_mask=mask,
                output_attentions=True, output_hidden_states=True, trace=trace)
    trace["hidden_states.0"] = out.hidden_states[0]
    for i, probs in enumerate(out.attentions):
        trace[f"attentions.{i}"] = probs
        trace[f"hidden_states.{i + 1}"] = out.hidden_states[i + 1]
    if out.pooler_output is not None:
        trace["pooled"] = out.pooler_output
    if getattr(out, "prediction_logits", None) is not None:
        trace["mlm_logits"] = out.prediction_logits
    if getattr(out, "seq_relationship_logits", None) is not None:
        trace["nsp_logits"] = out.seq_relationship_logits
    return trace


# --------------------------------------------------------------------------------------------
# Seeded initialisation.  N(0, 0.02) everywhere would give near-uniform attention and logits
# close to the biases at these widths, which hides bugs; the scales below keep attention peaked,
# GELU inputs around +-1, and make every LayerNorm parameter and bias visibly non-trivial.
# --------------------------------------------------------------------------------------------

EMBED_STD = 0.5
DENSE_GAIN = 1.0    # weight std = gain / sqrt(fan_in)
QK_GAIN = 1.5       # query/key a little larger so softmax rows are far from uniform
BIAS_STD = 0.1
LN_STD = 0.1
MLM_BIAS_STD = 0.5


def init_weights(model, seed):
    g = torch.Generator().manual_seed(seed)

    def normal(shape, std, mean=0.0):
        return torch.randn(shape, generator=g, dtype=torch.float32) * std + mean

    with torch.no_grad():
        seen = set()
        for name, p in model.named_parameters():
            if id(p) in seen:
                continue
            seen.add(id(p))
            if "LayerNorm" in name:
                p.copy_(normal(p.shape, LN_STD, 1.0 if name.endswith("weight") else 0.0))
            elif "embeddings" in name:
                p.copy_(normal(p.shape, EMBED_STD))
            elif name.endswith("predictions.bias"):
                p.copy_(normal(p.shape, MLM_BIAS_STD))
            elif name.endswith("bias"):
                p.copy_(normal(p.shape, BIAS_STD))
            else:
                gain = QK_GAIN if (".query." in name or ".key." in name) else DENSE_GAIN
                p.copy_(normal(p.shape, gain / math.sqrt(p.shape[1])))


# --------------------------------------------------------------------------------------------
# Vocabulary and inputs.
# --------------------------------------------------------------------------------------------

def make_vocab():
    with open(FULL_VOCAB, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    head = lines[:VOCAB_HEAD_LINES]
    tail = [w for w in lines[VOCAB_HEAD_LINES:] if w.startswith("##") and len(w) == 3]
    vocab = head + tail
    for tok, i in (("[PAD]", 0), ("[UNK]", 100), ("[CLS]", 101), ("[SEP]", 102), ("[MASK]", 103)):
        assert vocab[i] == tok, (tok, i)
    assert len(set(vocab)) == len(vocab)
    return vocab


# Texts use only whole-word tokens of the cut vocabulary (lowercase, single spaces, "." is its
# own token), so [CLS] + one id per word + [SEP] is exactly what BertTokenizer gives.
CASES = {
    "single": [("he [MASK] the new school .", None)],
    "pair": [("she was at school .", "then she [MASK] back .")],
    "batch": [
        ("it was the [MASK] time .", None),
        ("we [MASK] to the new school with them .", None),
        ("he made it up .", "they said it was [MASK] ."),
    ],
}


def encode_words(text, index):
    ids = []
    for w in text.split(" "):
        if w not in index:
            raise SystemExit(f"fixture text word {w!r} is not a whole token of the cut vocab")
        ids.append(index[w])
    return ids


def encode_case(rows, index):
    seqs, types = [], []
    for a, b in rows:
        ids = [index["[CLS]"]] + encode_words(a, index) + [index["[SEP]"]]
        tt = [0] * len(ids)
        if b is not None:
            ib = encode_words(b, index) + [index["[SEP]"]]
            ids += ib
            tt += [1] * len(ib)
        seqs.append(ids)
        types.append(tt)
    t = max(len(s) for s in seqs)
    mask = [[1] * len(s) + [0] * (t - len(s)) for s in seqs]
    seqs = [s + [index["[PAD]"]] * (t - len(s)) for s in seqs]
    types = [s + [0] * (t - len(s)) for s in types]
    masked = [[i for i, x in enumerate(s) if x == index["[MASK]"]] for s in seqs]
    return {
        "text_a": rows[0][0] if len(rows) == 1 else [r[0] for r in rows],
        "text_b": rows[0][1] if len(rows) == 1 else [r[1] for r in rows],
        "input_ids": seqs,
        "token_type_ids": types,
        "attention_mask": mask,
        "masked_positions": masked,
    }


# --------------------------------------------------------------------------------------------
# Models.
# --------------------------------------------------------------------------------------------

def config_for(vocab_size, hidden, layers, heads, inter, act, arch):
    return OrderedDict([
        ("architectures", [arch]),
        ("attention_probs_dropout_prob", 0.1),
        ("classifier_dropout", None),
        ("hidden_act", act),
        ("hidden_dropout_prob", 0.1),
        ("hidden_size", hidden),
        ("initializer_range", 0.02),
        ("intermediate_size", inter),
        ("layer_norm_eps", 1e-12),
        ("max_position_embeddings", 64),
        ("model_type", "bert"),
        ("num_attention_heads", heads),
        ("num_hidden_layers", layers),
        ("pad_token_id", 0),
        ("position_embedding_type", "absolute"),
        ("torch_dtype", "float32"),
        ("type_vocab_size", 2),
        ("use_cache", True),
        ("vocab_size", vocab_size),
    ])


def strip_tied(sd):
    """What HF writes to model.safetensors: tied decoder.weight dropped, decoder.bias dropped."""
    return OrderedDict((k, v) for k, v in sd.items()
                       if k not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias"))


def sorted_by_name(sd):
    return OrderedDict(sorted(sd.items()))


def to_gamma_beta(sd):
    out = OrderedDict()
    for k, v in sd.items():
        k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        out[k] = v
    return out


def trace_model(model, enc):
    """Runs the model in float64 (a more exact reference than float32) and returns the trace."""
    m64 = model.double()
    ids = torch.tensor(enc["input_ids"], dtype=torch.long)
    types = torch.tensor(enc["token_type_ids"], dtype=torch.long)
    mask = torch.tensor(enc["attention_mask"], dtype=torch.long)
    with torch.no_grad():
        trace = run_traced(m64, ids, types, mask)
    model.float()
    return trace, (ids, types, mask)


def fp32_gap(model, inputs, trace64):
    with torch.no_grad():
        trace = run_traced(model, *inputs)
    return max((trace[k].double() - trace64[k]).abs().max().item() for k in trace)


def write_model_dir(out_dir, config, vocab, tensors=None, bin_state=None, legacy=False):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(vocab) + "\n")
    if tensors is not None:
        write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors, {"format": "pt"})
    if bin_state is not None:
        path = os.path.join(out_dir, "pytorch_model.bin")
        if legacy:
            torch.save(bin_state, path, _use_new_zipfile_serialization=False)
        else:
            torch.save(bin_state, path)


def check_trace(name, case, trace, config, enc):
    layers, heads = config["num_hidden_layers"], config["num_attention_heads"]
    b, t = len(enc["input_ids"]), len(enc["input_ids"][0])
    mask = torch.tensor(enc["attention_mask"], dtype=torch.float64)
    for i in range(layers):
        a = trace[f"attentions.{i}"]
        assert a.shape == (b, heads, t, t)
        assert torch.allclose(a.sum(-1), torch.ones(b, heads, t, dtype=a.dtype), atol=1e-6), (name, case, i)
        # No probability mass on padded keys.
        assert (a * (1 - mask)[:, None, None, :]).abs().max() == 0
        # Attention should not be close to uniform, or scale bugs would go unnoticed.
        assert a.max() > 0.5, (name, case, "attention too flat")
    h = trace[f"hidden_states.{layers}"]
    assert h.abs().mean() > 0.3, (name, case, "hidden states trivially small")
    assert torch.equal(trace["hidden_states.0"], trace["embeddings.normalized"])


OWN_FOLDERS = ("tiny", "tiny-gamma-beta", "tiny-base-only", "tiny-mlm", "tiny-f16", "tiny-bf16",
               "tiny-gelu-new", "tiny-relu", "tiny-bin-zip", "tiny-bin-legacy")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "data"), help="tests/data folder")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    models_dir = os.path.join(args.out, "models")
    fixtures_dir = os.path.join(args.out, "fixtures")
    # Only this script's own folders are replaced: tests/data/fixtures/ also holds other
    # people's fixtures (e.g. training/), which must survive a regeneration.
    for d in (models_dir, fixtures_dir):
        for name in OWN_FOLDERS:
            if os.path.isdir(os.path.join(d, name)):
                shutil.rmtree(os.path.join(d, name))
        os.makedirs(d, exist_ok=True)

    vocab = make_vocab()
    index = {w: i for i, w in enumerate(vocab)}
    v = len(vocab)

    cfg_tiny = config_for(v, 32, 2, 4, 64, "gelu", "BertForPreTraining")
    tiny = BertForPreTraining(cfg_tiny)
    init_weights(tiny, seed=20240601)
    sd = tiny.state_dict()  # includes tied decoder.weight / decoder.bias like HF's state_dict

    def rounded(dtype):
        m = BertForPreTraining(cfg_tiny)
        m.load_state_dict(OrderedDict((k, x.to(dtype).float()) for k, x in sd.items()))
        return m

    cfg_mlm = dict(cfg_tiny, architectures=["BertForMaskedLM"])
    mlm = BertForMaskedLM(cfg_mlm)
    mlm.load_state_dict(OrderedDict((k, x) for k, x in sd.items()
                                    if not k.startswith(("bert.pooler.", "cls.seq_relationship."))))

    cfg_base = dict(cfg_tiny, architectures=["BertModel"])
    base = BertModel(cfg_base)  # keys without the "bert." prefix
    base.load_state_dict(OrderedDict((k[len("bert."):], x) for k, x in sd.items() if k.startswith("bert.")))

    variants = {}
    for act, seed in (("gelu_new", 20240602), ("relu", 20240603)):
        c = config_for(v, 24, 3, 2, 48, act, "BertForPreTraining")
        m = BertForPreTraining(c)
        init_weights(m, seed=seed)
        variants[act] = (c, m)

    f16 = rounded(torch.float16)
    bf16 = rounded(torch.bfloat16)
    cfg_f16 = dict(cfg_tiny, torch_dtype="float16")
    cfg_bf16 = dict(cfg_tiny, torch_dtype="bfloat16")

    # (folder, config, model used for the expected outputs, writer)
    plan = [
        ("tiny", cfg_tiny, tiny, dict(tensors=sorted_by_name(strip_tied(sd)))),
        ("tiny-gamma-beta", cfg_tiny, tiny, dict(tensors=sorted_by_name(to_gamma_beta(
            OrderedDict((k, x) for k, x in sd.items() if k != "cls.predictions.bias"))))),
        ("tiny-base-only", cfg_base, base, dict(tensors=sorted_by_name(base.state_dict()))),
        ("tiny-mlm", cfg_mlm, mlm, dict(tensors=sorted_by_name(strip_tied(mlm.state_dict())))),
        ("tiny-f16", cfg_f16, f16, dict(tensors=OrderedDict(
            (k, x.to(torch.float16)) for k, x in sorted_by_name(strip_tied(sd)).items()))),
        ("tiny-bf16", cfg_bf16, bf16, dict(tensors=OrderedDict(
            (k, x.to(torch.bfloat16)) for k, x in sorted_by_name(strip_tied(sd)).items()))),
        ("tiny-gelu-new", variants["gelu_new"][0], variants["gelu_new"][1],
         dict(tensors=sorted_by_name(strip_tied(variants["gelu_new"][1].state_dict())))),
        ("tiny-relu", variants["relu"][0], variants["relu"][1],
         dict(tensors=sorted_by_name(strip_tied(variants["relu"][1].state_dict())))),
        ("tiny-bin-zip", cfg_tiny, tiny, dict(bin_state=tiny.state_dict())),
        ("tiny-bin-legacy", cfg_tiny, tiny, dict(bin_state=tiny.state_dict(), legacy=True)),
    ]

    assert tuple(p[0] for p in plan) == OWN_FOLDERS
    report = []
    for name, cfg, model, how in plan:
        model.eval()
        write_model_dir(os.path.join(models_dir, name), cfg, vocab, **how)
        cases = ["single", "pair"] + (["batch"] if name == "tiny" else [])
        os.makedirs(os.path.join(fixtures_dir, name))
        for case in cases:
            enc = encode_case(CASES[case], index)
            trace, inputs = trace_model(model, enc)
            check_trace(name, case, trace, cfg, enc)
            gap = fp32_gap(model, inputs, trace)
            stem = os.path.join(fixtures_dir, name, case)
            with open(stem + ".json", "w", encoding="utf-8") as f:
                # One key per line keeps the files readable and diffs small.
                f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(x)}" for k, x in enc.items()) + "\n}\n")
            write_safetensors(stem + ".safetensors",
                              OrderedDict((k, x.float()) for k, x in trace.items()),
                              {"generator": "tests/reference/make_fixtures.py", "model": name, "case": case})
            report.append((name, case, gap))

    verify(models_dir, fixtures_dir, sd, v)
    print(f"vocab size {v}")
    for name, case, gap in report:
        print(f"{name:16s} {case:7s} max |fp32 torch - fp64 reference| = {gap:.2e}")


def verify(models_dir, fixtures_dir, sd, v):
    """Re-reads what was written with independent code paths."""
    st = read_safetensors(os.path.join(models_dir, "tiny", "model.safetensors"))
    assert "cls.predictions.decoder.weight" not in st and "cls.predictions.bias" in st
    for k, x in st.items():
        assert torch.equal(x, sd[k]), k
    gb = read_safetensors(os.path.join(models_dir, "tiny-gamma-beta", "model.safetensors"))
    assert torch.equal(gb["cls.predictions.decoder.weight"], sd["bert.embeddings.word_embeddings.weight"])
    assert "cls.predictions.bias" not in gb and "cls.predictions.decoder.bias" in gb
    h = read_safetensors(os.path.join(models_dir, "tiny-f16", "model.safetensors"))
    for k, x in h.items():
        assert torch.equal(x, sd[k].half().float()), k
    h = read_safetensors(os.path.join(models_dir, "tiny-bf16", "model.safetensors"))
    for k, x in h.items():
        assert torch.equal(x, sd[k].bfloat16().float()), k
    for folder in ("tiny-bin-zip", "tiny-bin-legacy"):
        loaded = torch.load(os.path.join(models_dir, folder, "pytorch_model.bin"))
        assert list(loaded.keys()) == list(sd.keys())
        for k in sd:
            assert torch.equal(loaded[k], sd[k]), k
        w = loaded["bert.embeddings.word_embeddings.weight"]
        assert loaded["cls.predictions.decoder.weight"].data_ptr() == w.data_ptr(), "tie lost"
    fx = read_safetensors(os.path.join(fixtures_dir, "tiny", "batch.safetensors"))
    assert fx["mlm_logits"].shape[-1] == v
    with open(os.path.join(models_dir, "tiny-bin-zip", "pytorch_model.bin"), "rb") as f:
        assert f.read(4) == b"PK\x03\x04"
    with open(os.path.join(models_dir, "tiny-bin-legacy", "pytorch_model.bin"), "rb") as f:
        assert f.read(4) == b"\x80\x02\x8a\x0a"


if __name__ == "__main__":
    sys.exit(main())
