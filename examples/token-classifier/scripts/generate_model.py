#!/usr/bin/python3
"""Generates the example's TorchScript model and its golden request/response pairs.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 scripts/generate_model.py

The model classifies a sequence of token ids: an int64 input of ids and a bool mask of the positions that
count, embedded, mean-pooled over the masked-in positions and projected to topic logits; forward returns one
tensor. The mask is optional in a request: the contract's default (true) makes every position count. The
golden pairs build the default mask, then argmax (topic label) and softmax (scores) by hand, as the contract
says the server must.
"""
import json
import os
import pathlib
import sys

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent
MODEL_DIR = HERE / "model"
GOLDEN_DIR = HERE / "golden"

VOCABULARY = 50                                 # token ids 0..49
EMBEDDING = 8
TOPICS = ["sports", "politics", "science", "arts"]


class TokenClassifier(nn.Module):
    def __init__(self, vocabulary: int, embedding: int, topics: int):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.classifier = nn.Linear(embedding, topics)

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        embedded = self.embedding(tokens)                       # (B, T, E)
        weights = mask.to(embedded.dtype).unsqueeze(-1)         # (B, T, 1): 1 where the position counts
        count = weights.sum(dim=1).clamp(min=1.0)               # (B, 1), 1 when nothing counts
        pooled = (embedded * weights).sum(dim=1) / count        # masked mean over T
        return self.classifier(pooled)


def f32_list(array):
    """Nested lists of Python floats that are exactly the float32 values."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def serve_by_hand(model, tokens, mask):
    """What the server must do, written out: the default mask when none is sent, run, argmax, softmax."""
    if mask is None:
        mask = np.ones(tokens.shape, dtype=np.bool_)            # default: true, filling [batch, T]
    with torch.no_grad():
        logits = model(torch.from_numpy(tokens), torch.from_numpy(mask))
    topics = [TOPICS[i] for i in torch.argmax(logits, dim=-1).tolist()]
    scores = torch.softmax(logits, dim=-1)
    return topics, scores.numpy(), logits.numpy()


def raw_tokens(rng, batch, steps):
    return rng.integers(0, VOCABULARY, size=(batch, steps), dtype=np.int64)


def write_case(name, description, model, tokens, mask, batched):
    topics, scores, _ = serve_by_hand(model, tokens, mask)
    request = {"tokens": tokens.tolist()}
    if mask is not None:
        request["mask"] = mask.tolist()
    if not batched:
        request = {key: value[0] for key, value in request.items()}
        topics, scores = topics[0], scores[0]
    case = {"description": description, "request": request, "response": {"topic": topics, "scores": f32_list(scores)}}
    (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(case) + "\n")


def main():
    torch.manual_seed(25)
    model = TokenClassifier(VOCABULARY, EMBEDDING, len(TOPICS)).eval()
    scripted = torch.jit.script(model)
    MODEL_DIR.mkdir(exist_ok=True)
    GOLDEN_DIR.mkdir(exist_ok=True)
    scripted.save(str(MODEL_DIR / "model.pt"))

    rng = np.random.default_rng(20261127)
    mask = np.array([[True, True, True, True, False, False],      # padded after 4 tokens
                     [True, False, True, True, True, False]])
    tokens = raw_tokens(rng, 2, 6)
    unmasked, _, _ = serve_by_hand(scripted, tokens, None)
    write_case("batched-mask", "two sequences of 6 tokens with a mask that leaves some positions out"
               f" (without the mask the topics would be {', '.join(unmasked)})", scripted, tokens, mask, batched=True)
    write_case("batched-default-mask", "three sequences of 5 tokens without a mask: every position counts",
               scripted, raw_tokens(rng, 3, 5), None, batched=True)
    write_case("unbatched-default-mask", "one sequence of 4 tokens, sent without the batch axis and without a mask",
               scripted, raw_tokens(rng, 1, 4), None, batched=False)


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes a module's constants in set order, which follows string hashing: a fixed hash
        # seed makes model.pt byte for byte the same on every run, not only its weights.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    main()
