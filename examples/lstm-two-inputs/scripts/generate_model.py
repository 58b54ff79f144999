#!/usr/bin/python3
"""Generates the example's TorchScript model and its golden request/response pairs.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 scripts/generate_model.py

The model is the kind that breaks on SageMaker when the glue code is written by hand: two named input
sequences, each standardized with its own training statistics, concatenated on the feature axis into one
LSTM, with a de-standardized regression head and a classification head. The TorchScript file holds only the
network; the golden pairs apply normalization and concatenation by hand, as the contract says the server must.
"""
import json
import pathlib

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent
MODEL_DIR = HERE / "model"
GOLDEN_DIR = HERE / "golden"

# Training-time statistics. model/model-contract.yaml states the same numbers.
INPUT_1_MEAN = [101.5, 99.25, 102.75, 100.0]    # open, low, high, close
INPUT_1_STD = [12.5, 11.0, 13.25, 12.0]
INPUT_2_MEAN = [15000.0, 0.5]                   # volume, spread
INPUT_2_STD = [4000.0, 0.25]
OUTPUT_1_MEAN = [100.0]                         # next close
OUTPUT_1_STD = [10.0]
CLASSES = 3                                     # down, flat, up
HIDDEN = 16


class TwoHeadLstm(nn.Module):
    def __init__(self, features: int, hidden: int, classes: int):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.regression = nn.Linear(hidden, 1)
        self.classification = nn.Linear(hidden, classes)

    def forward(self, x: torch.Tensor):
        sequence, _ = self.lstm(x)
        last = sequence[:, -1, :]
        return self.regression(last), self.classification(last)


def f32_list(array):
    """Nested lists of Python floats that are exactly the float32 values."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def serve_by_hand(model, input_1, input_2):
    """What the server must do, written out: standardize, concatenate, run, de-standardize."""
    x1 = (torch.from_numpy(input_1) - torch.tensor(INPUT_1_MEAN)) / torch.tensor(INPUT_1_STD)
    x2 = (torch.from_numpy(input_2) - torch.tensor(INPUT_2_MEAN)) / torch.tensor(INPUT_2_STD)
    with torch.no_grad():
        regression, logits = model(torch.cat([x1, x2], dim=-1))
    value = regression * torch.tensor(OUTPUT_1_STD) + torch.tensor(OUTPUT_1_MEAN)
    return value.numpy(), logits.numpy()


def raw_inputs(rng, batch, steps):
    input_1 = rng.normal(INPUT_1_MEAN, INPUT_1_STD, size=(batch, steps, 4)).astype(np.float32)
    input_2 = rng.normal(INPUT_2_MEAN, INPUT_2_STD, size=(batch, steps, 2)).astype(np.float32)
    return input_1, input_2


def write_case(name, description, model, input_1, input_2, batched):
    value, logits = serve_by_hand(model, input_1, input_2)
    if not batched:
        input_1, input_2, value, logits = input_1[0], input_2[0], value[0], logits[0]
    case = {
        "description": description,
        "request": {"input_1": f32_list(input_1), "input_2": f32_list(input_2)},
        "response": {"output_1": f32_list(value), "output_2": f32_list(logits)},
    }
    (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(case) + "\n")


def main():
    torch.manual_seed(7)
    model = TwoHeadLstm(len(INPUT_1_MEAN) + len(INPUT_2_MEAN), HIDDEN, CLASSES).eval()
    scripted = torch.jit.script(model)
    MODEL_DIR.mkdir(exist_ok=True)
    GOLDEN_DIR.mkdir(exist_ok=True)
    scripted.save(str(MODEL_DIR / "model.pt"))

    rng = np.random.default_rng(20261125)
    write_case("batched", "three sequences of 12 steps", scripted, *raw_inputs(rng, 3, 12), batched=True)
    write_case("unbatched", "one sequence of 20 steps, sent without the batch axis", scripted,
               *raw_inputs(rng, 1, 20), batched=False)
    write_case("single-step", "two sequences of one step", scripted, *raw_inputs(rng, 2, 1), batched=True)


if __name__ == "__main__":
    main()
