#!/usr/bin/env python3
# The training benchmarks' data: a 30522-token vocabulary and 64 full-length examples (128 tokens, 20 masked) in DIR.
import json
import random
import sys

work = sys.argv[1]
V = 30522
with open(f"{work}/vocab.txt", "w") as f:
    f.write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"tok{i}" for i in range(V - 5)]) + "\n")
rng = random.Random(0)
with open(f"{work}/examples.jsonl", "w") as f:
    for i in range(64):
        a = [rng.randrange(5, V) for _ in range(62)]
        b = [rng.randrange(5, V) for _ in range(63)]
        ids = [2] + a + [3] + b + [3]
        types = [0] * 64 + [1] * 64
        cand = [t for t in range(128) if ids[t] not in (2, 3)]
        pos = sorted(rng.sample(cand, 20))
        orig = [ids[p] for p in pos]
        for p in pos:
            ids[p] = 4
        f.write(json.dumps({"input_ids": ids, "token_type_ids": types, "masked_positions": pos,
                            "masked_ids": orig, "is_random_next": bool(i % 2)}) + "\n")
