#!/usr/bin/python3
"""Writes the fixture model init drafts contracts from: resources/init/forecaster.pt and a sample request.

Run with Debian's interpreter (apt-get install python3-torch): /usr/bin/python3 src/test/python/generate_forecaster.py

A store-demand forecaster of three inputs like the one in issue 22:
    forward(store_id: int64 [batch], history: float32 [batch, T, 3], calendar: float32 [batch, 5])
        -> Dict[str, Tensor] {"forecast": [batch, 7], "p_stockout": [batch, 1]}
The dict is filled key by key, so its keys are not a literal in the TorchScript code: init learns them only by
running the model on resources/init/sample.json (2 stores, 6 steps of history). forecaster-traced.pt is the same
network saved by torch.jit.trace, whose code init reads too. Small weights (< 10 KB); fixed seeds and hash seed make
the files the same on every run.
"""
import json
import os
import pathlib
import sys
from typing import Dict

import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parent.parent / "resources" / "init"
STORES = 10
HISTORY_FEATURES = 3   # units sold, price, promotion flag, per day
CALENDAR_FEATURES = 5  # day of week, month, holiday, payday, season (encoded)
HORIZON = 7
HIDDEN = 8


class StoreForecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.store = nn.Embedding(STORES, 4)
        self.gru = nn.GRU(HISTORY_FEATURES, HIDDEN, batch_first=True)
        self.forecast = nn.Linear(HIDDEN + 4 + CALENDAR_FEATURES, HORIZON)
        self.stockout = nn.Linear(HIDDEN + 4 + CALENDAR_FEATURES, 1)

    def forward(self, store_id: torch.Tensor, history: torch.Tensor, calendar: torch.Tensor) -> Dict[str, torch.Tensor]:
        _, hidden = self.gru(history)
        features = torch.cat([hidden[-1], self.store(store_id), calendar], dim=-1)
        result: Dict[str, torch.Tensor] = {}
        result["forecast"] = self.forecast(features)
        result["p_stockout"] = torch.sigmoid(self.stockout(features))
        return result


def sample():
    generator = torch.Generator().manual_seed(7)
    history = torch.rand(2, 6, HISTORY_FEATURES, generator=generator) * torch.tensor([40.0, 5.0, 1.0])
    calendar = torch.rand(2, CALENDAR_FEATURES, generator=generator)
    return torch.tensor([3, 7]), history, calendar


def rounded(values):
    """Nested lists of the values to 3 decimals, as a user would write a request by hand."""
    return [rounded(value) for value in values] if isinstance(values, list) else round(values, 3)


def main():
    torch.manual_seed(22)
    model = StoreForecaster().eval()
    OUT.mkdir(parents=True, exist_ok=True)
    store_id, history, calendar = sample()
    request = {"store_id": store_id.tolist(), "history": rounded(history.tolist()),
               "calendar": rounded(calendar.tolist())}
    store_id, history, calendar = (torch.tensor(request[name]) for name in ("store_id", "history", "calendar"))
    torch.jit.script(model).save(str(OUT / "forecaster.pt"))
    traced = torch.jit.trace(model, (store_id, history, calendar), strict=False)
    traced.save(str(OUT / "forecaster-traced.pt"))
    (OUT / "sample.json").write_text(json.dumps(request) + "\n")
    with torch.no_grad():
        print({key: tuple(value.shape) for key, value in model(store_id, history, calendar).items()})


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    main()
