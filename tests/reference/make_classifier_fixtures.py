# Generates fine-tuned-classifier test models (sequence and token) and PyTorch's outputs for them.
"""Classifier fixtures for the bertlab engine tests (issue 14).

    /usr/bin/python3 tests/reference/make_classifier_fixtures.py

Writes tests/data/models/tiny-seqcls (BertForSequenceClassification, pytorch_model.bin, three
labels) and tests/data/models/tiny-tokcls (BertForTokenClassification, no pooler, safetensors,
four labels), laid out as transformers' save_pretrained lays them out, plus
tests/data/fixtures/classifier/expected.json: the float64 logits bert_reference.py gives for a few
texts made of whole tokens of the cut vocabulary (so [CLS] + one id per word + [SEP] is the
tokenization). Seeded: running it twice gives the same files.
"""

import json
import os
import shutil
import sys
from collections import OrderedDict

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import BertForSequenceClassification, BertForTokenClassification  # noqa: E402
from make_fixtures import (REPO, config_for, encode_words, init_weights, make_vocab,  # noqa: E402
                           sorted_by_name, write_model_dir)

SEQUENCE_LABELS = ["negative", "neutral", "positive"]
TOKEN_LABELS = ["DET", "NOUN", "VERB", "OTHER"]
SEQUENCE_CASES = [("he made it up .", None), ("she was at school .", "then she was back ."),
                  ("it was the new time .", None)]
TOKEN_CASES = ["he made it up .", "we said it to the new school with them ."]


def labelled_config(vocab, arch, labels):
    config = config_for(len(vocab), 32, 2, 4, 64, "gelu", arch)
    config["id2label"] = {str(i): l for i, l in enumerate(labels)}
    config["label2id"] = {l: i for i, l in enumerate(labels)}
    return config


def logits_of(model, ids, types):
    m = model.double().eval()
    with torch.no_grad():
        out = m(torch.tensor([ids]), torch.tensor([types]))
    model.float()
    return out.logits[0].tolist()


def main():
    vocab = make_vocab()
    index = {w: i for i, w in enumerate(vocab)}
    models = os.path.join(REPO, "tests", "data", "models")
    expected = {"sequence": [], "token": []}

    def make(model_class, labels, seed, name, **written):
        config = labelled_config(vocab, model_class.__name__, labels)
        torch.manual_seed(seed)
        model = model_class(config)
        init_weights(model, seed)
        # A larger classifier than the init gives, so the probabilities differ clearly between texts.
        with torch.no_grad():
            model.classifier.weight.mul_(3.0)
        out = os.path.join(models, name)
        shutil.rmtree(out, ignore_errors=True)
        state = sorted_by_name(OrderedDict(model.state_dict()))
        write_model_dir(out, config, vocab, **{k: state for k in written})
        return model

    # pytorch_model.bin for one, safetensors for the other: both layouts transformers writes.
    model = make(BertForSequenceClassification, SEQUENCE_LABELS, 1401, "tiny-seqcls", bin_state=True)
    for a, b in SEQUENCE_CASES:
        ids = [index["[CLS]"]] + encode_words(a, index) + [index["[SEP]"]]
        types = [0] * len(ids)
        if b is not None:
            tail = encode_words(b, index) + [index["[SEP]"]]
            ids += tail
            types += [1] * len(tail)
        expected["sequence"].append({"text": a, "pair": b, "input_ids": ids, "logits": logits_of(model, ids, types)})

    model = make(BertForTokenClassification, TOKEN_LABELS, 1402, "tiny-tokcls", tensors=True)
    for text in TOKEN_CASES:
        ids = [index["[CLS]"]] + encode_words(text, index) + [index["[SEP]"]]
        expected["token"].append({"text": text, "input_ids": ids, "logits": logits_of(model, ids, [0] * len(ids))})

    fixtures = os.path.join(REPO, "tests", "data", "fixtures", "classifier")
    os.makedirs(fixtures, exist_ok=True)
    with open(os.path.join(fixtures, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("wrote tiny-seqcls, tiny-tokcls and fixtures/classifier/expected.json")


if __name__ == "__main__":
    main()
