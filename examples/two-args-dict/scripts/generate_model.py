#!/usr/bin/python3
"""Generates the example's TorchScript model and its golden request/response pairs.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 scripts/generate_model.py

The model takes two positional arguments, each scaled its own way (prices standardized, volume min-max
scaled), concatenates them itself into one LSTM and returns a Dict[str, Tensor]: a de-standardized forecast
and the logits of a market regime. The contract reads the logits twice: once as a label (argmax) and once as
probabilities (softmax). The TorchScript file holds only the network; the golden pairs apply the scaling,
the argument order, the inverse scaling, argmax and softmax by hand, as the contract says the server must.
"""
import json
import os
import pathlib
import sys
from typing import Dict

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent
MODEL_DIR = HERE / "model"
GOLDEN_DIR = HERE / "golden"

# Training-time statistics. model/model-contract.yaml states the same numbers.
PRICES_MEAN = [98.5, 101.5, 100.0]              # low, high, close
PRICES_STD = [10.5, 11.25, 10.0]
VOLUME_MIN = [0.0]                              # volume, min-max scaled
VOLUME_MAX = [50000.0]
FORECAST_MEAN = [100.0]                         # next close
FORECAST_STD = [10.0]
REGIME_LABELS = ["bear", "flat", "bull"]
HIDDEN = 12


class PriceVolumeLstm(nn.Module):
    def __init__(self, hidden: int, regimes: int):
        super().__init__()
        self.lstm = nn.LSTM(len(PRICES_MEAN) + len(VOLUME_MIN), hidden, batch_first=True)
        self.forecast = nn.Linear(hidden, 1)
        self.regime = nn.Linear(hidden, regimes)
        # Untrained logits of the default initialization barely depend on the input; wider weights make the
        # regime (argmax) differ between the golden rows, so the pairs check labels, not just one constant.
        nn.init.normal_(self.regime.weight, std=2.0)
        nn.init.zeros_(self.regime.bias)

    def forward(self, prices: torch.Tensor, volume: torch.Tensor) -> Dict[str, torch.Tensor]:
        sequence, _ = self.lstm(torch.cat([prices, volume], dim=-1))
        last = sequence[:, -1, :]
        return {"forecast": self.forecast(last), "regime": self.regime(last)}


def f32_list(array):
    """Nested lists of Python floats that are exactly the float32 values."""
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def serve_by_hand(model, prices, volume):
    """What the server must do, written out: scale each input, pass them in order, unscale, argmax, softmax."""
    x1 = (torch.from_numpy(prices) - torch.tensor(PRICES_MEAN)) / torch.tensor(PRICES_STD)
    x2 = (torch.from_numpy(volume) - torch.tensor(VOLUME_MIN)) / (torch.tensor(VOLUME_MAX) - torch.tensor(VOLUME_MIN))
    with torch.no_grad():
        result = model(x1, x2)
    forecast = result["forecast"] * torch.tensor(FORECAST_STD) + torch.tensor(FORECAST_MEAN)
    logits = result["regime"]
    labels = [REGIME_LABELS[i] for i in torch.argmax(logits, dim=-1).tolist()]
    probability = torch.softmax(logits, dim=-1)
    return forecast.numpy(), labels, probability.numpy(), logits.numpy()


def raw_inputs(rng, batch, steps):
    prices = rng.normal(PRICES_MEAN, PRICES_STD, size=(batch, steps, 3)).astype(np.float32)
    volume = rng.uniform(2000.0, 48000.0, size=(batch, steps, 1)).astype(np.float32)
    return prices, volume


def write_case(name, description, model, prices, volume, batched):
    forecast, labels, probability, _ = serve_by_hand(model, prices, volume)
    if not batched:
        prices, volume, forecast, labels, probability = prices[0], volume[0], forecast[0], labels[0], probability[0]
    case = {
        "description": description,
        "request": {"prices": f32_list(prices), "volume": f32_list(volume)},
        "response": {"forecast": f32_list(forecast), "regime": labels, "regime_probability": f32_list(probability)},
    }
    (GOLDEN_DIR / f"{name}.json").write_text(json.dumps(case) + "\n")


def main():
    torch.manual_seed(24)
    model = PriceVolumeLstm(HIDDEN, len(REGIME_LABELS)).eval()
    scripted = torch.jit.script(model)
    MODEL_DIR.mkdir(exist_ok=True)
    GOLDEN_DIR.mkdir(exist_ok=True)
    scripted.save(str(MODEL_DIR / "model.pt"))

    rng = np.random.default_rng(20261126)
    write_case("batched", "two sequences of 10 steps", scripted, *raw_inputs(rng, 2, 10), batched=True)
    write_case("unbatched", "one sequence of 5 steps, sent without the batch axis", scripted,
               *raw_inputs(rng, 1, 5), batched=False)
    write_case("min-length", "three sequences of the shortest length, 2 steps", scripted,
               *raw_inputs(rng, 3, 2), batched=True)


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes a module's constants in set order, which follows string hashing: a fixed hash
        # seed makes model.pt byte for byte the same on every run, not only its weights.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    main()
