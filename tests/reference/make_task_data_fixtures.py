#!/usr/bin/env python3
"""Writes the fine-tuning data fixtures with Python's own csv and json modules, and what they hold.

tests/engine/test_task_data.cpp reads the files with bertlab's readers and compares them with
expected.json, so the readers are checked against Python's writers rather than against themselves.
Run: python3 tests/reference/make_task_data_fixtures.py tests/data/finetune
"""
import csv
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# Rows a spreadsheet user would produce: commas, quotes, line breaks and non-ASCII inside fields.
rows = [
    {"text": "The film was great, truly.", "text_b": "I loved it.", "label": "positive"},
    {"text": 'He said "no" twice.', "text_b": "", "label": "negative"},
    {"text": "Line one\nline two", "text_b": "Tab\tinside", "label": "neutral"},
    {"text": "Crème brûlée, 東京", "text_b": "ok", "label": "positive"},
    {"text": "  spaces kept  ", "text_b": "x", "label": "negative"},
]
with open(os.path.join(out, "pairs.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["id", "text", "text_b", "label"])
    w.writeheader()
    for i, r in enumerate(rows):
        w.writerow({"id": i, **r})
with open(os.path.join(out, "pairs.tsv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["label", "text", "text_b"], delimiter="\t")
    w.writeheader()
    for r in rows:
        w.writerow(r)
with open(os.path.join(out, "pairs.jsonl"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")

sentences = [
    [("The", "DET"), ("cat", "NOUN"), ("sat", "VERB"), (".", "PUNCT")],
    [("Unbelievably", "ADV"), ("fast", "ADJ")],
    [("Zürich", "NOUN")],
]
with open(os.path.join(out, "tags.conll"), "w", encoding="utf-8") as f:
    f.write("-DOCSTART-\tO\n\n")
    f.write("\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in sentences) + "\n")

with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
    json.dump({"rows": rows, "sentences": [{"words": [w for w, _ in s], "labels": [t for _, t in s]}
                                            for s in sentences]}, f, ensure_ascii=False, indent=1)
