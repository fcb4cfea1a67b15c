# Writes a seeded random BERT-Base or BERT-Large shaped Hugging Face folder for benchmarking.
"""Usage: /usr/bin/python3 bench/make_random_bert.py {mini,base,large} OUT_DIR [--seed N]

OUT_DIR gets config.json (HF BertConfig keys), vocab.txt (the real 30522-line
bert-base-uncased vocab) and model.safetensors (F32, BertForPreTraining keys as
HF saves them: the tied cls.predictions.decoder.weight is left out).  Tensors
are generated and written one at a time, so memory stays at one tensor.
The values only have to be plausible (N(0, 0.02), LayerNorm 1/0) because only
speed and memory are measured with them.
"""

import argparse
import json
import os
import shutil
import struct
import sys

import numpy as np

VOCAB = "/work/shared/refdata/vocab/bert-base-uncased-vocab.txt"

SHAPES = {
    "mini": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
    "large": dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096),
}


def config(size):
    c = {
        "architectures": ["BertForPreTraining"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": 2,
        "vocab_size": 30522,
    }
    c.update(SHAPES[size])
    return dict(sorted(c.items()))


def tensor_list(c):
    """(name, shape, kind) in the order they are written; kind picks the initialiser."""
    h, i, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    out = [
        ("bert.embeddings.word_embeddings.weight", (v, h), "w"),
        ("bert.embeddings.position_embeddings.weight", (c["max_position_embeddings"], h), "w"),
        ("bert.embeddings.token_type_embeddings.weight", (c["type_vocab_size"], h), "w"),
        ("bert.embeddings.LayerNorm.weight", (h,), "one"),
        ("bert.embeddings.LayerNorm.bias", (h,), "zero"),
    ]
    for n in range(c["num_hidden_layers"]):
        p = f"bert.encoder.layer.{n}."
        for lin, shape in (("attention.self.query", (h, h)), ("attention.self.key", (h, h)),
                           ("attention.self.value", (h, h)), ("attention.output.dense", (h, h)),
                           ("intermediate.dense", (i, h)), ("output.dense", (h, i))):
            out += [(p + lin + ".weight", shape, "w"), (p + lin + ".bias", (shape[0],), "zero")]
            if lin in ("attention.output.dense", "output.dense"):
                ln = p + lin.rsplit(".", 1)[0] + ".LayerNorm"
                out += [(ln + ".weight", (h,), "one"), (ln + ".bias", (h,), "zero")]
    out += [
        ("bert.pooler.dense.weight", (h, h), "w"), ("bert.pooler.dense.bias", (h,), "zero"),
        ("cls.predictions.transform.dense.weight", (h, h), "w"),
        ("cls.predictions.transform.dense.bias", (h,), "zero"),
        ("cls.predictions.transform.LayerNorm.weight", (h,), "one"),
        ("cls.predictions.transform.LayerNorm.bias", (h,), "zero"),
        ("cls.predictions.bias", (v,), "zero"),
        ("cls.seq_relationship.weight", (2, h), "w"), ("cls.seq_relationship.bias", (2,), "zero"),
    ]
    return out


def write(size, out_dir, seed):
    c = config(size)
    os.makedirs(out_dir, exist_ok=True)
    tensors = tensor_list(c)
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape, _ in tensors:
        nbytes = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)

    rng = np.random.default_rng(seed)
    path = os.path.join(out_dir, "model.safetensors")
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for _, shape, kind in tensors:
            if kind == "w":
                a = rng.standard_normal(shape, dtype=np.float32)
                a *= np.float32(0.02)
            elif kind == "one":
                a = np.ones(shape, dtype=np.float32)
            else:
                a = np.zeros(shape, dtype=np.float32)
            f.write(a.astype("<f4", copy=False).tobytes())
    os.replace(path + ".tmp", path)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
    shutil.copyfile(VOCAB, os.path.join(out_dir, "vocab.txt"))
    return path, os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description="random BERT-Base/Large HF folder for bench/")
    ap.add_argument("size", choices=sorted(SHAPES))
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    path, n = write(a.size, a.out_dir, a.seed)
    print(f"wrote {path} ({n / 1e6:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
