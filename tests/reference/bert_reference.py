# The one PyTorch BERT that bertlab's fixtures and benchmarks are computed with (Hugging Face names).
"""A reference BERT in stock torch modules, written from the BERT paper and the behaviour of
Hugging Face's ``modeling_bert`` (no ``transformers`` package is needed or used).

Every module carries the class name and attribute names of its Hugging Face counterpart, so
``state_dict()`` keys are exactly the keys of a Hugging Face checkpoint
(``bert.embeddings.word_embeddings.weight``, ``bert.encoder.layer.0.attention.self.query.weight``,
..., ``cls.predictions.transform.dense.weight``, ``cls.predictions.bias``,
``cls.seq_relationship.weight``) and a checkpoint loads with ``load_state_dict``.

Users:
  tests/reference/make_fixtures.py           forward fixtures (tests/data/fixtures/tiny*)
  tests/reference/make_gradient_fixtures.py  autograd / AdamW fixtures (tests/data/fixtures/training*)
  bench/torch_bert.py, bench/torch_train.py   the PyTorch side of the benchmarks (they put this
                                              folder on sys.path)

Semantics (all as Hugging Face's BERT, post-LayerNorm):
  - hidden_act "gelu" (exact erf), "gelu_new" (tanh approximation) or "relu", in the
    intermediate layer and in the MLM head transform.
  - attention_mask [B, T] with 1 for real tokens: padded *keys* get
    ``(1 - mask) * finfo(dtype).min`` added to their scores; padded query rows are still computed.
  - head_mask [heads] or [layers, heads]: multiplies the attention probabilities after softmax and
    dropout, before they weight the values; the returned attentions include the factor. A
    [batch, layers, heads] mask (not in Hugging Face's API, which broadcasts the same way inside)
    gives each sequence its own, so many ablated passes run as one batch.
  - inputs_embeds [B, T, H] replaces the word-embedding lookup (positions and token types are still
    added), so gradients with respect to the word embeddings of each position can be taken.
  - dropout with hidden_dropout_prob / attention_probs_dropout_prob, active only in train().
  - the MLM decoder weight is the word-embedding matrix (tied) and ``cls.predictions.decoder.bias``
    is ``cls.predictions.bias``; a checkpoint whose decoder weight differs is loaded untied.

Loading: ``load_pretrained(folder)`` reads config.json and model.safetensors (F32/F16/BF16, read
with the small reader below; there is no ``safetensors`` package here) or pytorch_model.bin. That
covers Hugging Face folders and the folders bertlab writes (which are Hugging Face folders).
"""

import contextlib
import json
import math
import os
import struct
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

# BertConfig defaults for keys a config.json may leave out.
CONFIG_DEFAULTS = {
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "tie_word_embeddings": True,
}
REQUIRED_KEYS = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                 "intermediate_size")


class BertConfig:
    """A config.json as attributes, with BertConfig's defaults filled in. ``raw`` is the dict given."""

    def __init__(self, raw):
        self.raw = dict(raw)
        missing = [k for k in REQUIRED_KEYS if k not in self.raw]
        if missing:
            raise ValueError(f"config lacks {', '.join(missing)}")
        for key, value in {**CONFIG_DEFAULTS, **self.raw}.items():
            setattr(self, key, value)
        if self.hidden_size % self.num_attention_heads:
            raise ValueError("hidden_size is not a multiple of num_attention_heads")
        if self.position_embedding_type != "absolute":
            raise ValueError(f"position_embedding_type {self.position_embedding_type!r} is not supported")
        activation(self.hidden_act)  # fail early on an unknown activation
        # transformers' rule: as many labels as id2label names, two when the file names none.
        id2label = self.raw.get("id2label")
        self.num_labels = len(id2label) if id2label else 2

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))


def as_config(c):
    return c if isinstance(c, BertConfig) else BertConfig(c)


def gelu_tanh(x):
    """HF's "gelu_new": 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def activation(name):
    if name == "gelu":
        return F.gelu  # exact, erf-based
    if name == "gelu_new":
        return gelu_tanh
    if name == "relu":
        return F.relu
    raise ValueError(f"hidden_act {name!r} is not supported (gelu, gelu_new, relu)")


# --------------------------------------------------------------------------------------------
# Encoder
# --------------------------------------------------------------------------------------------

class BertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids=None, token_type_ids=None, inputs_embeds=None, trace=None):
        if (input_ids is None) == (inputs_embeds is None):
            raise ValueError("give exactly one of input_ids and inputs_embeds")
        tok = self.word_embeddings(input_ids) if inputs_embeds is None else inputs_embeds
        b, t = tok.shape[:2]
        if token_type_ids is None:
            token_type_ids = torch.zeros(b, t, dtype=torch.long, device=tok.device)
        positions = torch.arange(t, device=tok.device).unsqueeze(0).expand(b, t)
        seg = self.token_type_embeddings(token_type_ids)
        pos = self.position_embeddings(positions)
        total = tok + seg + pos
        out = self.LayerNorm(total)
        if trace is not None:
            trace.update({"embeddings.token": tok, "embeddings.segment": seg,
                          "embeddings.position": pos, "embeddings.sum": total,
                          "embeddings.normalized": out})
        return self.dropout(out)


class BertSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.num_attention_heads = c.num_attention_heads
        self.attention_head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def split_heads(self, x):  # [B, T, H] -> [B, heads, T, d]
        b, t, _ = x.shape
        return x.view(b, t, self.num_attention_heads, self.attention_head_size).permute(0, 2, 1, 3)

    def forward(self, hidden, additive_mask=None, head_mask=None):
        """Returns (context [B, T, H], probabilities [B, heads, T, T] after dropout and head_mask)."""
        q = self.split_heads(self.query(hidden))
        k = self.split_heads(self.key(hidden))
        v = self.split_heads(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.attention_head_size)
        if additive_mask is not None:
            scores = scores + additive_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        if head_mask is not None:
            probs = probs * head_mask
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(hidden.shape), probs


class BertSelfOutput(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dropout(self.dense(hidden)) + residual)


class BertAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self = BertSelfAttention(config)
        self.output = BertSelfOutput(config)

    def forward(self, hidden, additive_mask=None, head_mask=None):
        ctx, probs = self.self(hidden, additive_mask, head_mask)
        return self.output(ctx, hidden), probs


class BertIntermediate(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)
        self.intermediate_act_fn = activation(c.hidden_act)

    def forward(self, hidden):
        return self.intermediate_act_fn(self.dense(hidden))


class BertOutput(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, inner, residual):
        return self.LayerNorm(self.dropout(self.dense(inner)) + residual)


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = BertAttention(config)
        self.intermediate = BertIntermediate(config)
        self.output = BertOutput(config)

    def forward(self, hidden, additive_mask=None, head_mask=None):
        a, probs = self.attention(hidden, additive_mask, head_mask)
        return self.output(self.intermediate(a), a), probs


class BertEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, hidden, additive_mask=None, head_mask=None):
        """Returns (last hidden state, all hidden states (L + 1), attentions (L))."""
        states, attentions = [hidden], []
        for i, layer in enumerate(self.layer):
            hidden, probs = layer(hidden, additive_mask, None if head_mask is None else head_mask[i])
            states.append(hidden)
            attentions.append(probs)
        return hidden, tuple(states), tuple(attentions)


class BertPooler(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.activation = nn.Tanh()

    def forward(self, hidden):
        return self.activation(self.dense(hidden[:, 0]))


def additive_attention_mask(attention_mask, dtype):
    """[B, T] of 1 (real) / 0 (padding) -> [B, 1, 1, T] to add to the scores."""
    m = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - m) * torch.finfo(dtype).min


def expand_head_mask(head_mask, layers, dtype):
    """[heads] or [layers, heads] -> [layers, 1, heads, 1, 1] (one mask for every layer if 1-D)."""
    if head_mask is None:
        return None
    head_mask = torch.as_tensor(head_mask, dtype=dtype)
    if head_mask.dim() == 3:  # [B, layers, heads]: one mask per sequence (the batched sweep)
        if head_mask.shape[1] != layers:
            raise ValueError("a per-sequence head_mask must be [batch, layers, heads]")
        return head_mask.permute(1, 0, 2)[:, :, :, None, None]
    if head_mask.dim() == 1:
        head_mask = head_mask.unsqueeze(0).expand(layers, -1)
    if head_mask.dim() != 2 or head_mask.shape[0] != layers:
        raise ValueError("head_mask must be [heads], [layers, heads] or [batch, layers, heads]")
    return head_mask[:, None, :, None, None]


@dataclass
class BertModelOutput:
    """What every model here returns; fields a model has no head for stay None."""
    last_hidden_state: torch.Tensor
    pooler_output: Optional[torch.Tensor] = None
    hidden_states: Optional[Tuple[torch.Tensor, ...]] = None  # embeddings output, then each layer
    attentions: Optional[Tuple[torch.Tensor, ...]] = None     # [B, heads, T, T] per layer
    prediction_logits: Optional[torch.Tensor] = None          # [B, T, V]
    seq_relationship_logits: Optional[torch.Tensor] = None    # [B, 2]


class BertModel(nn.Module):
    def __init__(self, config, add_pooling_layer=True):
        super().__init__()
        self.config = as_config(config)
        self.embeddings = BertEmbeddings(self.config)
        self.encoder = BertEncoder(self.config)
        self.pooler = BertPooler(self.config) if add_pooling_layer else None

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, head_mask=None,
                inputs_embeds=None, output_attentions=False, output_hidden_states=False, trace=None):
        """trace: an optional dict that receives the embedding lookups and their sum (fixture files)."""
        x = self.embeddings(input_ids, token_type_ids, inputs_embeds, trace)
        additive = None if attention_mask is None else additive_attention_mask(attention_mask, x.dtype)
        heads = expand_head_mask(head_mask, self.config.num_hidden_layers, x.dtype)
        last, states, attentions = self.encoder(x, additive, heads)
        return BertModelOutput(
            last_hidden_state=last,
            pooler_output=None if self.pooler is None else self.pooler(last),
            hidden_states=states if output_hidden_states else None,
            attentions=attentions if output_attentions else None)


# --------------------------------------------------------------------------------------------
# Heads
# --------------------------------------------------------------------------------------------

class BertPredictionHeadTransform(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.transform_act_fn = activation(c.hidden_act)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, hidden):
        return self.LayerNorm(self.transform_act_fn(self.dense(hidden)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = as_config(config)
        self.transform = BertPredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.decoder.bias = self.bias  # one tensor under both names, as in HF's state_dict

    def forward(self, hidden):
        return self.decoder(self.transform(hidden))


class BertOnlyMLMHead(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.predictions = BertLMPredictionHead(config)

    def forward(self, sequence_output):
        return self.predictions(sequence_output)


class BertOnlyNSPHead(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.seq_relationship = nn.Linear(as_config(config).hidden_size, 2)

    def forward(self, pooled_output):
        return self.seq_relationship(pooled_output)


class BertPreTrainingHeads(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.predictions = BertLMPredictionHead(config)
        self.seq_relationship = nn.Linear(as_config(config).hidden_size, 2)

    def forward(self, sequence_output, pooled_output):
        return self.predictions(sequence_output), self.seq_relationship(pooled_output)


# --------------------------------------------------------------------------------------------
# Whole models
# --------------------------------------------------------------------------------------------

class _WithBert(nn.Module):
    """Shared plumbing of the models that wrap a BertModel under "bert." and heads under "cls."."""

    def __init__(self, config, pooler):
        super().__init__()
        self.config = as_config(config)
        self.bert = BertModel(self.config, add_pooling_layer=pooler)

    def tie_weights(self):
        predictions = getattr(self.cls, "predictions", None)
        if predictions is not None and self.config.tie_word_embeddings:
            predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight

    def untie_weights(self):
        """Gives the decoder its own copy of the weight (a checkpoint with a different decoder)."""
        d = self.cls.predictions.decoder
        d.weight = nn.Parameter(d.weight.detach().clone())

    def pretraining_loss(self, input_ids, token_type_ids, attention_mask, masked_rows, masked_ids,
                         nsp_labels=None):
        """Mean cross-entropy over the masked positions (+ mean NSP cross-entropy when the model
        has that head and labels are given), the way bertlab trains: the vocabulary projection is
        computed only at the masked rows (``masked_rows`` index the flattened [B*T] positions).
        Returns (loss, mlm_loss, nsp_loss or None, mlm_accuracy, nsp_accuracy or None)."""
        out = self.bert(input_ids, token_type_ids, attention_mask)
        seq = out.last_hidden_state
        h = seq.reshape(-1, seq.shape[-1])[masked_rows]
        mlm_logits = self.cls.predictions(h)
        mlm_loss = F.cross_entropy(mlm_logits, masked_ids)
        mlm_acc = (mlm_logits.argmax(-1) == masked_ids).float().mean()
        if nsp_labels is None or not hasattr(self.cls, "seq_relationship"):
            return mlm_loss, mlm_loss, None, mlm_acc, None
        nsp_logits = self.cls.seq_relationship(out.pooler_output)
        nsp_loss = F.cross_entropy(nsp_logits, nsp_labels)
        nsp_acc = (nsp_logits.argmax(-1) == nsp_labels).float().mean()
        return mlm_loss + nsp_loss, mlm_loss, nsp_loss, mlm_acc, nsp_acc


class BertForPreTraining(_WithBert):
    def __init__(self, config):
        super().__init__(config, pooler=True)
        self.cls = BertPreTrainingHeads(self.config)
        self.tie_weights()

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, head_mask=None,
                inputs_embeds=None, output_attentions=False, output_hidden_states=False, trace=None):
        out = self.bert(input_ids, token_type_ids, attention_mask, head_mask, inputs_embeds,
                        output_attentions, output_hidden_states, trace)
        out.prediction_logits, out.seq_relationship_logits = self.cls(out.last_hidden_state, out.pooler_output)
        return out


class BertForMaskedLM(_WithBert):
    def __init__(self, config):
        super().__init__(config, pooler=False)
        self.cls = BertOnlyMLMHead(self.config)
        self.tie_weights()

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, head_mask=None,
                inputs_embeds=None, output_attentions=False, output_hidden_states=False, trace=None):
        out = self.bert(input_ids, token_type_ids, attention_mask, head_mask, inputs_embeds,
                        output_attentions, output_hidden_states, trace)
        out.prediction_logits = self.cls(out.last_hidden_state)
        return out


class BertForNextSentencePrediction(_WithBert):
    def __init__(self, config):
        super().__init__(config, pooler=True)
        self.cls = BertOnlyNSPHead(self.config)

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, head_mask=None,
                inputs_embeds=None, output_attentions=False, output_hidden_states=False, trace=None):
        out = self.bert(input_ids, token_type_ids, attention_mask, head_mask, inputs_embeds,
                        output_attentions, output_hidden_states, trace)
        out.seq_relationship_logits = self.cls(out.pooler_output)
        return out


class _ClassifierOnBert(_WithBert):
    """Dropout, then ``classifier`` [num_labels, hidden] on what ``features`` picks from the output.
    The number of labels is len(config.id2label) (2 when the config names none)."""

    def __init__(self, config, pooler):
        super().__init__(config, pooler=pooler)
        self.dropout = nn.Dropout(self.config.hidden_dropout_prob)
        self.classifier = nn.Linear(self.config.hidden_size, self.config.num_labels)

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, head_mask=None,
                inputs_embeds=None, output_attentions=False, output_hidden_states=False, trace=None):
        out = self.bert(input_ids, token_type_ids, attention_mask, head_mask, inputs_embeds,
                        output_attentions, output_hidden_states, trace)
        out.logits = self.classifier(self.dropout(self.features(out)))
        return out


class BertForSequenceClassification(_ClassifierOnBert):
    """A label for a sentence (pair), read off the pooled [CLS] output."""

    def __init__(self, config):
        super().__init__(config, pooler=True)

    def features(self, out):
        return out.pooler_output


class BertForTokenClassification(_ClassifierOnBert):
    """A label per token, read off each last hidden state; no pooler (its checkpoint has no
    bert.pooler.* tensors)."""

    def __init__(self, config):
        super().__init__(config, pooler=False)

    def features(self, out):
        return out.last_hidden_state


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

_NUMPY_DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "<u2", "F64": "<f8"}


def read_safetensors(path):
    """name -> float32 tensor. F32 tensors share one copy-on-write mmap, so nothing is read yet."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    buf = np.memmap(path, dtype=np.uint8, mode="c", offset=8 + n)  # torch wants writable arrays
    out = {}
    for name, meta in header.items():
        kind = meta["dtype"]
        if kind not in _NUMPY_DTYPES:
            raise ValueError(f"{path}: {name} has dtype {kind}, not a float type")
        b, e = meta["data_offsets"]
        item = np.dtype(_NUMPY_DTYPES[kind]).itemsize
        arr = np.frombuffer(buf, dtype=_NUMPY_DTYPES[kind], count=(e - b) // item, offset=b)
        if kind == "BF16":  # the top half of a float32
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        elif kind != "F32":
            arr = arr.astype(np.float32)
        out[name] = torch.from_numpy(arr.reshape(meta["shape"]))
    return out


def read_checkpoint(folder):
    """The weights of a model folder: model.safetensors, else pytorch_model.bin (float32)."""
    st = os.path.join(folder, "model.safetensors")
    if os.path.exists(st):
        return read_safetensors(st)
    binary = os.path.join(folder, "pytorch_model.bin")
    if os.path.exists(binary):
        return {k: v.float() for k, v in torch.load(binary, map_location="cpu").items()}
    raise FileNotFoundError(f"{folder} has neither model.safetensors nor pytorch_model.bin")


def normalize_keys(state):
    """Checkpoint keys -> this module's keys: TF-era LayerNorm gamma/beta, BertModel files without
    the "bert." prefix, the decoder bias stored only as cls.predictions.decoder.bias, and HF's
    position_ids buffer (not a weight)."""
    out = {}
    for k, v in state.items():
        k = k.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        if not k.startswith(("bert.", "cls.", "classifier.")):
            k = "bert." + k
        if k.endswith("embeddings.position_ids"):
            continue
        out[k] = v
    if "cls.predictions.decoder.bias" in out and "cls.predictions.bias" not in out:
        out["cls.predictions.bias"] = out["cls.predictions.decoder.bias"]
    return out


def model_class_for(keys):
    """The class whose heads the checkpoint actually has."""
    if any(k.startswith("classifier.") for k in keys):
        pooled = any(k.startswith("bert.pooler.") for k in keys)
        return BertForSequenceClassification if pooled else BertForTokenClassification
    mlm = any(k.startswith("cls.predictions.") for k in keys)
    nsp = any(k.startswith("cls.seq_relationship.") for k in keys)
    if mlm and nsp:
        return BertForPreTraining
    if mlm:
        return BertForMaskedLM
    if nsp:
        return BertForNextSentencePrediction
    return BertModel


@contextlib.contextmanager
def skipped_init():
    """Leaves parameters uninitialised while a model is built, as HF's loader does for weights it is
    about to overwrite; torch's random init would otherwise dominate the load time of a big model."""
    saved = {cls: cls.reset_parameters for cls in (nn.Linear, nn.Embedding, nn.LayerNorm)}
    try:
        for cls in saved:
            cls.reset_parameters = lambda self: None
        yield
    finally:
        for cls, fn in saved.items():
            cls.reset_parameters = fn


def load_state(model, state):
    """Loads normalized checkpoint tensors; every parameter must be covered except the tied decoder."""
    if isinstance(model, BertModel):
        state = {k[len("bert."):]: v for k, v in state.items() if k.startswith("bert.")}
    word = "bert.embeddings.word_embeddings.weight"
    decoder = "cls.predictions.decoder.weight"
    if decoder in state and word in state and not torch.equal(state[decoder], state[word]):
        model.untie_weights()
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if m not in (decoder, "cls.predictions.decoder.bias")]
    if missing or unexpected:
        raise ValueError(f"weights do not match the model: missing {missing}, unexpected {unexpected}")
    return model


def load_pretrained(folder, model_class=None):
    """A Hugging Face (or bertlab-written) folder -> (model in eval mode, BertConfig).
    model_class defaults to the class matching the heads found in the weights."""
    config = BertConfig.from_file(os.path.join(folder, "config.json"))
    state = normalize_keys(read_checkpoint(folder))
    cls = model_class or model_class_for(state.keys())
    with skipped_init():
        model = cls(config)
    load_state(model, state)
    return model.eval(), config
